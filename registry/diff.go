package registry

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
)

// A FieldChange is one field of a record, by its path in the import format
// (vendors[0].role), as it was and as it is; a side that is absent is nil.
type FieldChange struct {
	Path   string `json:"path"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// DiffStates lists the fields that differ between two states of a record
// of any kind, as the log holds them, in path order; either may be empty
// (created, or retracted). Lists are compared item by item, so that a
// source added at the end is one change, not one per source.
func DiffStates(before, after json.RawMessage) ([]FieldChange, error) {
	b, a := map[string]string{}, map[string]string{}
	for _, side := range []struct {
		js  json.RawMessage
		out map[string]string
	}{{before, b}, {after, a}} {
		if len(side.js) == 0 {
			continue
		}
		var v any
		if err := json.Unmarshal(side.js, &v); err != nil {
			return nil, err
		}
		flatten("", v, side.out)
	}
	paths := map[string]bool{}
	for p := range b {
		paths[p] = true
	}
	for p := range a {
		paths[p] = true
	}
	out := []FieldChange{}
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		bv, bok := b[p]
		av, aok := a[p]
		if bok && aok && bv == av {
			continue
		}
		out = append(out, FieldChange{Path: p, Before: decoded(bv, bok), After: decoded(av, aok)})
	}
	return out, nil
}

// flatten maps each scalar of a JSON value to its path, holding the
// scalar's JSON text.
func flatten(path string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			flatten(p, e, out)
		}
	case []any:
		for i, e := range x {
			flatten(path+"["+strconv.Itoa(i)+"]", e, out)
		}
	default:
		js, _ := json.Marshal(x)
		out[path] = string(js)
	}
}

func decoded(js string, ok bool) any {
	if !ok {
		return nil
	}
	var v any
	json.Unmarshal([]byte(js), &v)
	return v
}
