package review

import (
	"encoding/json"

	"oversight/registry"
)

// A Change is one field of a record, as it was and as it would be.
type Change = registry.FieldChange

// Diff lists the fields that differ between two states of a deployment, in
// path order; either may be nil.
func Diff(before, after *registry.Deployment) ([]Change, error) {
	var b, a json.RawMessage
	for _, side := range []struct {
		d  *registry.Deployment
		js *json.RawMessage
	}{{before, &b}, {after, &a}} {
		if side.d == nil {
			continue
		}
		js, err := json.Marshal(side.d)
		if err != nil {
			return nil, err
		}
		*side.js = js
	}
	return registry.DiffStates(b, a)
}

// DiffJSON is Diff for any two states of a record of any kind, as the log
// holds them; either may be empty (created, or retracted).
func DiffJSON(before, after json.RawMessage) ([]Change, error) {
	return registry.DiffStates(before, after)
}
