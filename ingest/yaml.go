package ingest

import (
	"oversight/internal/yamldoc"
	"oversight/registry"
)

// parseDocument reads a YAML document. yamldoc converts it to JSON with
// every value on its YAML line, within the parser's bounds; the JSON is
// then read as a JSON file is (decodeSet), so that errors name the YAML
// line.
func parseDocument(name string, data []byte) (*registry.Set, *Source, error) {
	doc, err := yamldoc.Parse(data)
	if err != nil {
		return nil, nil, docError(name, err)
	}
	if len(doc.File.Docs) != 1 || doc.File.Docs[0].Body == nil {
		return nil, nil, ErrorList{{File: name, Line: 1, Msg: "expected one document with lists named jurisdictions, vendors, instruments, deployments, claims or facts, or one fact document"}}
	}
	if isFactDocument(doc.JSON) {
		return parseFactDocument(name, data)
	}
	return decodeSet(name, doc.JSON)
}
