package rules

import "testing"

// TestKey: documents get one key under a set of paths exactly when they
// agree on the values there, an absent leaf and a present one differ, a
// value of another type or a list of other items differs, and values
// outside the paths do not count.
func TestKey(t *testing.T) {
	s, err := FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"identification.timing", "operator.type", "system.capabilities"}
	doc := func(timing any, caps any, title string) map[string]any {
		d := map[string]any{"deployment": map[string]any{"title": title}, "operator": map[string]any{"type": "police"}}
		if timing != nil {
			d["identification"] = map[string]any{"timing": timing}
		}
		if caps != nil {
			d["system"] = map[string]any{"capabilities": caps}
		}
		return d
	}
	key := func(d map[string]any) string {
		k, ok := s.Key(d, paths)
		if !ok {
			t.Fatalf("no key for %v", d)
		}
		return k
	}
	a := key(doc("real_time", []any{"face_identification"}, "a"))
	if b := key(doc("real_time", []any{"face_identification"}, "b")); a != b {
		t.Errorf("an unread leaf changed the key: %q, %q", a, b)
	}
	others := []map[string]any{
		doc(nil, []any{"face_identification"}, "a"),
		doc("post", []any{"face_identification"}, "a"),
		doc("real_time", []any{}, "a"),
		doc("real_time", nil, "a"),
		doc("real_time", []any{"face_identification", "face_identification"}, "a"),
		doc("real_time", []any{"face_identificatio", "n"}, "a"),
	}
	seen := map[string]int{a: -1}
	for i, d := range others {
		k := key(d)
		if j, ok := seen[k]; ok {
			t.Errorf("documents %d and %d share key %q", i, j, k)
		}
		seen[k] = i
	}
	if _, ok := s.Key(doc(1.5, nil, "a"), paths); ok {
		t.Error("a float has a key")
	}
	if _, ok := s.Key(doc(nil, nil, "a"), []string{"no.such.leaf"}); ok {
		t.Error("a path that names no leaf has a key")
	}
}
