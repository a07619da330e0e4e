package analysis

import (
	"reflect"
	"testing"

	"oversight/data"
	"oversight/registry"
	"oversight/rules"
	"oversight/synth"
)

// TestDerivedFactsValid backs Classifier.FactsFor, which reads derived
// facts without validating them: for the built-in deployments, synthetic
// ones, and a deployment for every value of every vocabulary DeriveFacts
// reads, the derived document must pass the fact schema and read the
// same, leaf by leaf, either way.
func TestDerivedFactsValid(t *testing.T) {
	t.Parallel()
	base, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	ds := append([]*registry.Deployment{}, base.Deployments...)
	ds = append(ds, synth.Batch(base, 7, 0, 300)...)
	cameras := int64(1200)
	for i, status := range registry.Statuses.Values {
		kind := registry.OperatorKinds.Values[i%len(registry.OperatorKinds.Values)]
		ds = append(ds, &registry.Deployment{ID: "v-" + status, Title: "t", Jurisdiction: "PK",
			Status: registry.Status{Value: status}, Operator: registry.Operator{Kind: kind, Name: "n"},
			Scale: registry.Scale{Cameras: &cameras}})
	}
	for _, kind := range registry.OperatorKinds.Values {
		ds = append(ds, &registry.Deployment{ID: "k-" + kind, Title: "t", Jurisdiction: "IN", Operator: registry.Operator{Kind: kind}})
	}
	ds = append(ds, &registry.Deployment{ID: "all", Title: "t", Jurisdiction: "MM",
		System:  registry.System{Capabilities: registry.Capabilities.Values, Purposes: registry.Purposes.Values},
		Vendors: []registry.VendorRole{{Vendor: "a", Role: "prime"}, {Vendor: "b", Role: "integrator"}}})
	for _, d := range ds {
		doc := DeriveFacts(d)
		checked, err := schema.NewFacts(doc)
		if err != nil {
			t.Errorf("%s: derived facts fail the schema: %v", d.ID, err)
			continue
		}
		fast := schema.DerivedFacts(DeriveFacts(d))
		for _, l := range schema.Leaves() {
			a, aok := checked.Value(l.Path)
			b, bok := fast.Value(l.Path)
			if aok != bok || !reflect.DeepEqual(a, b) {
				t.Errorf("%s: %s reads %v (%v) validated, %v (%v) not", d.ID, l.Path, a, aok, b, bok)
			}
		}
	}
}

// BenchmarkFactsFor measures reading the facts of a synthetic deployment
// that has no curated document (docs/performance.md, "Facts").
func BenchmarkFactsFor(b *testing.B) {
	base, err := data.Load()
	if err != nil {
		b.Fatal(err)
	}
	c, err := NewClassifier(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	ds := synth.Batch(base, 1, 0, 1000)
	i := 0
	for b.Loop() {
		if f, _ := c.FactsFor(ds[i%len(ds)]); f == nil {
			b.Fatal("no facts")
		}
		i++
	}
}
