package analysis

import (
	"reflect"
	"testing"

	"oversight/data"
	"oversight/frameworks"
	"oversight/registry"
	"oversight/rules"
	"oversight/synth"
)

// TestTierMemo: spans looked up by the values of the facts the frameworks
// read are the spans classifying each deployment gives, for the built-in
// deployments and synthetic ones (which share those values), on the first
// call and on every later one; and a caller changing what it got does not
// change what the next caller gets.
func TestTierMemo(t *testing.T) {
	t.Parallel()
	base, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := builtinClassifier(t)
	ds := append([]*registry.Deployment{}, base.Deployments...)
	ds = append(ds, synth.Batch(base, 3, 0, 400)...)
	keys := map[string]bool{}
	for round := range 2 {
		for _, d := range ds {
			want := c.tierSpans(c.derived(d))
			got := c.TierSpans(d, nil)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, %s: spans %v, want %v", round, d.ID, got, want)
			}
			got[0].Tier = "changed"
			if k, ok := c.schema.Key(DeriveFacts(d), c.tierReads()); ok {
				keys[k] = true
			}
		}
	}
	if len(keys) == 0 || len(keys) >= len(ds) {
		t.Errorf("%d keys for %d deployments: the memo shares nothing", len(keys), len(ds))
	}
}

// builtinClassifier returns a classifier over the built-in frameworks,
// without curated fact documents (internal/testcls imports analysis, so
// its tests cannot use it).
func builtinClassifier(t testing.TB) *Classifier { return classifierWith(t, nil) }

// classifierWith is builtinClassifier with curated fact documents, as
// NewClassifier takes them.
func classifierWith(t testing.TB, curated map[string]*rules.Facts) *Classifier {
	t.Helper()
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClassifier(fws, curated)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
