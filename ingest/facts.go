package ingest

import (
	"bytes"
	"errors"

	"oversight/internal/yamldoc"
	"oversight/registry"
	"oversight/rules"
)

// A file may hold one fact document (schema observatory.facts/v0) instead
// of lists of records, as data/facts/<deployment-id>.yaml does: it is read
// as a set of one FactDoc. Such a document is told from a register document
// by its top-level key "schema", which no register document has.

// isFactDocument reports whether js, a JSON document, is a fact document:
// small enough to be one, and with a top-level key "schema".
func isFactDocument(js []byte) bool {
	if len(js) > rules.MaxFactBytes {
		return false
	}
	found := false
	yamldoc.CheckKeys(js, func(outer []string, key string) bool {
		found = found || len(outer) == 0 && key == "schema"
		return true
	})
	return found
}

// parseFactDocument reads a file holding one fact document, YAML or JSON.
// The schema's errors name the file, the field and, in YAML, the line.
func parseFactDocument(name string, data []byte) (*registry.Set, *Source, error) {
	f, err := registry.ParseFactDoc(name, data)
	var fe rules.FieldErrors
	if errors.As(err, &fe) {
		var out ErrorList
		for _, e := range fe {
			if !out.add(&Error{File: name, Line: e.Line, Field: rules.PointerToPath(e.Field), Msg: e.Msg}) {
				break
			}
		}
		return nil, nil, out
	}
	if err != nil {
		return nil, nil, ErrorList{{File: name, Msg: err.Error()}}
	}
	return &registry.Set{Facts: []*registry.FactDoc{f}}, rowSource(name, "facts", []int{firstLine(data)}), nil
}

// firstLine is the line a document's first key is on, past comments and
// blank lines, for errors about the document as a whole.
func firstLine(data []byte) int {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' && !bytes.Equal(t, []byte("---")) {
			return i + 1
		}
	}
	return 1
}
