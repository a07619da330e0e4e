package api

import (
	"encoding/json"
	"slices"
	"strings"
)

// An Endpoint is one operation of the API as its OpenAPI description
// gives it: what a page about the API lists.
type Endpoint struct {
	Method, Path, Summary string
	Tag                   string // the group it is listed in
	// Open: a browser can open it as it is, a GET without path or
	// required query parameters or an account.
	Open bool
}

// Endpoints lists the operations of openapi.json in its order, grouped by
// their first tag in the order the tags first appear.
func Endpoints() []Endpoint {
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapi, &spec); err != nil {
		panic("api/openapi.json: " + err.Error()) // embedded; TestOpenAPI reads it too
	}
	var out []Endpoint
	var order []string // paths in the file's order: a map forgets it
	dec := json.NewDecoder(strings.NewReader(string(openapi)))
	for depth := 0; ; {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		default:
			if s, ok := tok.(string); ok && depth == 2 && strings.HasPrefix(s, "/") && spec.Paths[s] != nil && !slices.Contains(order, s) {
				order = append(order, s)
			}
		}
	}
	for _, path := range order {
		for _, method := range []string{"get", "post", "put", "patch", "delete"} {
			raw, ok := spec.Paths[path][method]
			if !ok {
				continue
			}
			var op struct {
				Summary    string            `json:"summary"`
				Tags       []string          `json:"tags"`
				Security   []json.RawMessage `json:"security"`
				Parameters []struct {
					Required bool `json:"required"`
				} `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				panic("api/openapi.json: " + path + ": " + err.Error())
			}
			e := Endpoint{Method: strings.ToUpper(method), Path: path, Summary: op.Summary}
			if len(op.Tags) > 0 {
				e.Tag = op.Tags[0]
			}
			e.Open = e.Method == "GET" && !strings.Contains(path, "{") && op.Security == nil
			for _, p := range op.Parameters {
				e.Open = e.Open && !p.Required
			}
			out = append(out, e)
		}
	}
	var tags []string
	for _, e := range out {
		if !slices.Contains(tags, e.Tag) {
			tags = append(tags, e.Tag)
		}
	}
	slices.SortStableFunc(out, func(a, b Endpoint) int { return slices.Index(tags, a.Tag) - slices.Index(tags, b.Tag) })
	return out
}
