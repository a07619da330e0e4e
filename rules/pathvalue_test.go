package rules

import (
	"reflect"
	"testing"
)

// TestPathValue: a value is read at a dotted path, absent where the path
// leads to nothing or through a value that is no object, and written back
// there, making or replacing the objects on the way.
func TestPathValue(t *testing.T) {
	doc := map[string]any{"deployment": map[string]any{"jurisdiction": "PK"}, "system": "x"}
	for path, want := range map[string]any{
		"deployment.jurisdiction": "PK",
		"deployment":              map[string]any{"jurisdiction": "PK"},
		"deployment.operator":     nil,
		"system.kind":             nil, // through a string
		"nothing.at.all":          nil,
	} {
		if got := PathValue(doc, path); !reflect.DeepEqual(got, want) {
			t.Errorf("PathValue(%q) = %#v, want %#v", path, got, want)
		}
	}
	SetPathValue(doc, "deployment.operator.kind", "police")
	SetPathValue(doc, "system.kind", "frt")
	SetPathValue(doc, "top", true)
	want := map[string]any{
		"deployment": map[string]any{"jurisdiction": "PK", "operator": map[string]any{"kind": "police"}},
		"system":     map[string]any{"kind": "frt"},
		"top":        true,
	}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("after SetPathValue: %#v, want %#v", doc, want)
	}
}
