package review

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"oversight/registry"
)

// A Change is one field of a record, by its path in the import format
// (vendors[0].role), as it was and as it would be; a side that is absent
// is null.
type Change struct {
	Path   string `json:"path"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// Diff lists the fields that differ between two states of a record, in
// path order; either may be nil. Lists are compared item by item, so that
// a source added at the end is one change, not one per source.
func Diff(before, after *registry.Deployment) ([]Change, error) {
	b, err := leaves(before)
	if err != nil {
		return nil, err
	}
	a, err := leaves(after)
	if err != nil {
		return nil, err
	}
	return diffLeaves(b, a), nil
}

// DiffJSON is Diff for any two states of a record of any kind, as the log
// holds them; either may be empty (created, or retracted).
func DiffJSON(before, after json.RawMessage) ([]Change, error) {
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
	return diffLeaves(b, a), nil
}

func diffLeaves(b, a map[string]string) []Change {
	paths := map[string]bool{}
	for p := range b {
		paths[p] = true
	}
	for p := range a {
		paths[p] = true
	}
	out := []Change{}
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		bv, bok := b[p]
		av, aok := a[p]
		if bok && aok && bv == av {
			continue
		}
		out = append(out, Change{Path: p, Before: decoded(bv, bok), After: decoded(av, aok)})
	}
	return out
}

// leaves maps each scalar of d's JSON form to its path, holding the
// scalar's JSON text.
func leaves(d *registry.Deployment) (map[string]string, error) {
	out := map[string]string{}
	if d == nil {
		return out, nil
	}
	js, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		return nil, err
	}
	flatten("", v, out)
	return out, nil
}

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
