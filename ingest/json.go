package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"oversight/registry"
)

// parseJSON reads a JSON document with encoding/json, which is fast on
// large imports; lines for error messages are found only when needed, by
// one streaming pass over the tokens.
func parseJSON(name string, data []byte) (*registry.Set, *Source, error) {
	var set registry.Set
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&set); err != nil {
		return nil, nil, ErrorList{jsonError(name, data, err)}
	}
	if dec.More() {
		return nil, nil, ErrorList{{File: name, Line: lineAt(data, dec.InputOffset()), Msg: "extra data after the JSON document"}}
	}
	var once sync.Once
	var lines map[string]int
	src := fileSource(name, func(path string) int {
		once.Do(func() { lines = jsonPaths(data) })
		for p := path; p != ""; p = parent(p) {
			if l, ok := lines[p]; ok {
				return l
			}
		}
		return 0
	})
	return &set, src, nil
}

func jsonError(name string, data []byte, err error) *Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &Error{File: name, Line: lineAt(data, se.Offset), Msg: se.Error()}
	case errors.As(err, &te):
		return &Error{File: name, Line: lineAt(data, te.Offset), Field: te.Field, Msg: fmt.Sprintf("expected %s, found a JSON %s", te.Type, te.Value)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &Error{File: name, Line: firstKeyLine(data, field), Field: field, Msg: "unknown field"}
	}
	return &Error{File: name, Msg: err.Error()}
}

// lineAt returns the 1-based line of a byte offset.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// firstKeyLine finds the line of the first object key with this name.
func firstKeyLine(data []byte, key string) int {
	if i := bytes.Index(data, []byte(`"`+key+`"`)); i >= 0 {
		return lineAt(data, int64(i))
	}
	return 0
}

// jsonPaths maps every value's path (deployments[3].vendors[0].role) to its
// line, in one pass over the document's tokens.
func jsonPaths(data []byte) map[string]int {
	out := map[string]int{}
	var newlines []int64
	for i, c := range data {
		if c == '\n' {
			newlines = append(newlines, int64(i))
		}
	}
	lineOf := func(off int64) int {
		return sort.Search(len(newlines), func(i int) bool { return newlines[i] >= off }) + 1
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		path  string
		array bool
		index int
		key   string
	}
	var stack []frame
	expectKey := false
	child := func() string {
		if len(stack) == 0 {
			return ""
		}
		f := &stack[len(stack)-1]
		if f.array {
			p := fmt.Sprintf("%s[%d]", f.path, f.index)
			f.index++
			return p
		}
		if f.path == "" {
			return f.key
		}
		return f.path + "." + f.key
	}
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		if len(stack) > 0 && !stack[len(stack)-1].array && expectKey {
			if k, ok := tok.(string); ok {
				stack[len(stack)-1].key = k
				expectKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			p := child()
			out[p] = lineOf(start(data, off))
			stack = append(stack, frame{path: p, array: tok == json.Delim('[')})
			expectKey = tok == json.Delim('{')
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			expectKey = len(stack) > 0 && !stack[len(stack)-1].array
		default:
			p := child()
			out[p] = lineOf(start(data, off))
			expectKey = len(stack) > 0 && !stack[len(stack)-1].array
		}
	}
}

// start skips the separators between the end of one token and the start
// of the next.
func start(data []byte, off int64) int64 {
	rest := data[off:]
	return off + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n,:")))
}
