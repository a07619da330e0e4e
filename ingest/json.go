package ingest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"oversight/internal/yamldoc"
	"oversight/registry"
)

// decodeSet reads a register document's JSON: a JSON file, or a YAML file
// converted with each value on its YAML line. json.Unmarshal decodes large
// imports fast; the document is then checked for what it lets through
// (checkJSON). Before any of it, what decoding would allocate is estimated
// and bounded. Lines for error messages are found only when needed, by one
// pass over the document.
func decodeSet(name string, js []byte) (*registry.Set, *Source, error) {
	var cost budget
	n, err := decodeCost(js, 2)
	if err == nil {
		err = cost.add(n)
	}
	if err != nil {
		return nil, nil, ErrorList{{File: name, Msg: err.Error()}}
	}
	var set registry.Set
	if err := json.Unmarshal(js, &set); err != nil {
		return nil, nil, ErrorList{jsonError(name, js, err)}
	}
	if err := checkJSON(js, &set); err != nil {
		return nil, nil, docError(name, err)
	}
	return decoded(name, &set, jsonSource(name, js))
}

// DecodeJSON decodes one JSON value into v as an import reads a file:
// nothing after the value, no key twice, valid UTF-8, nesting within
// registry.MaxDepth, and every key exactly the name of a field of v. The
// API's bodies and the review page's edited record are read with it, so
// that no way into the register is laxer than an import.
func DecodeJSON(js []byte, v any) error {
	if err := checkJSON(js, v); err != nil {
		return err
	}
	return json.Unmarshal(js, v)
}

// checkJSON checks JSON that json.Unmarshal decoded into v for what it let
// through: duplicate keys, invalid UTF-8, nesting past registry.MaxDepth,
// and keys that name no field of v. Unmarshal skips an unknown field, and
// matches a field's name in any case ("Title" is read as title, or
// overwrites it); this is exact. Unmarshal is used rather than a Decoder
// with DisallowUnknownFields, which copies the whole input into a buffer
// it grows by doubling.
func checkJSON(js []byte, v any) error {
	if err := yamldoc.CheckJSON(js, registry.MaxDepth); err != nil {
		return err
	}
	return yamldoc.CheckKeys(js, fieldsOf(v))
}

// fieldsOf returns the test of yamldoc.CheckKeys for the JSON of v: that
// the key, in the objects named by outer, names a field of v.
func fieldsOf(v any) func(outer []string, key string) bool {
	root := reflect.TypeOf(v)
	return func(outer []string, key string) bool {
		t := root
		for i := 0; ; i++ {
			fields, free := jsonFields(t)
			if free {
				return true
			}
			name := key
			if i < len(outer) {
				name = outer[i]
			}
			if t = fields[name]; t == nil || i == len(outer) {
				return t != nil
			}
		}
	}
}

var fieldsCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields returns the fields, by JSON name, of the objects a value of
// type t is read from, looking through pointers and lists; free is true
// when t reads any object (an interface, a map, raw JSON, a
// json.Unmarshaler).
func jsonFields(t reflect.Type) (fields map[string]reflect.Type, free bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Interface || t.Kind() == reflect.Map || t.Kind() == reflect.Slice:
		return nil, true
	case t.Kind() != reflect.Struct:
		return nil, false
	case reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()):
		return nil, true
	}
	if f, ok := fieldsCache.Load(t); ok {
		return f.(map[string]reflect.Type), false
	}
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "-" {
			out[cmp.Or(name, f.Name)] = f.Type
		}
	}
	fieldsCache.Store(t, out)
	return out, false
}

// What decoding allocates, in bytes, measured with room for the garbage
// of growing slices: a record, a Go struct with all its fields; another
// object, a struct in a list (a source, a vendor role); and any other
// value, a string or a number, or an element of a claim's value.
const (
	recordBytes = 1000
	objectBytes = 400
	valueBytes  = 48
)

// maxItems is the longest list a record may hold (registry.ListLimits).
var maxItems = slices.Max(slices.Collect(maps.Values(registry.ListLimits)))

// decodeCost estimates what decoding a JSON document of records allocates,
// its records being the values recordDepth deep, and refuses one holding a
// list longer than any record may have: decoding a list of a million {}
// allocates a million structs before validation can refuse it.
func decodeCost(js []byte, recordDepth int) (int, error) {
	return censusCost(yamldoc.Tally(js, maxItems, recordDepth), recordDepth)
}

// censusCost is decodeCost of a tallied document.
func censusCost(c yamldoc.Census, recordDepth int) (int, error) {
	if c.TooLong {
		return 0, fmt.Errorf("%s: a list of more than %d items", c.Long, maxItems)
	}
	cost := 0
	for d := range c.Objects {
		if d == recordDepth { // a whole record, whatever is written there
			cost += (c.Objects[d] + c.Others[d]) * recordBytes
		} else {
			cost += c.Objects[d]*objectBytes + c.Others[d]*valueBytes
		}
	}
	return cost, nil
}

// A budget adds up the estimated cost of decoding a file, and fails past
// registry.MaxDecodeBytes.
type budget int

func (b *budget) add(bytes int) error {
	if *b += budget(bytes); *b > registry.MaxDecodeBytes {
		return fmt.Errorf("decoding the file would take more than %d MiB of memory: split it into files imported together", registry.MaxDecodeBytes>>20)
	}
	return nil
}

// jsonSource locates paths in a JSON document, or in the JSON of a YAML
// document, whose lines are the YAML's: one pass finds every path asked.
func jsonSource(name string, js []byte) *Source {
	var mu sync.Mutex
	return &Source{locate: func(paths []string) []Location {
		mu.Lock()
		defer mu.Unlock()
		want := map[string]bool{}
		for _, p := range paths {
			for q := p; q != ""; q = yamldoc.Parent(q) {
				want[q] = true
			}
		}
		lines := yamldoc.Paths(js, func(p string) bool { return want[p] })
		out := make([]Location, len(paths))
		for i, p := range paths {
			out[i] = Location{File: name, Local: p}
			for q := p; q != ""; q = yamldoc.Parent(q) {
				if l, ok := lines[q]; ok {
					out[i].Line = l
					break
				}
			}
		}
		return out
	}}
}

func jsonError(name string, data []byte, err error) *Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &Error{File: name, Line: lineAt(data, se.Offset), Msg: se.Error()}
	case errors.As(err, &te):
		return &Error{File: name, Line: lineAt(data, te.Offset), Field: te.Field, Msg: fmt.Sprintf("expected %s, found a %s", te.Type, te.Value)}
	}
	return &Error{File: name, Msg: err.Error()}
}

// lineAt returns the 1-based line of a byte offset.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}
