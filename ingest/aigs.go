package ingest

import "oversight/registry"

func parseAIGS(name string, data []byte) (*registry.Set, *Source, error) {
	return nil, nil, &Error{File: name, Msg: "AIGS import is not written yet"}
}
