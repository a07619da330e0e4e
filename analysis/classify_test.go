package analysis

import (
	"reflect"
	"slices"
	"testing"
	"time"

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

// TestTableLater: an export's tier that holds today comes with what a rule
// not yet in force will make it (issue 15: "from 2027-12-02: high-risk,
// Annex III 1(a)"), so that minimal risk is not read as the last word; a
// tier nothing will change comes with nothing.
func TestTableLater(t *testing.T) {
	t.Parallel()
	facts, err := data.Facts()
	if err != nil {
		t.Fatal(err)
	}
	c := classifierWith(t, facts)
	// The curated document of the register's Bunnings deployment: a
	// retailer's own live face matching, Annex III point 1(a) deferred.
	shop := &registry.Deployment{ID: "au-bunnings-store-face-recognition"}
	if facts[shop.ID] == nil {
		t.Fatalf("no curated facts for %s", shop.ID)
	}
	table := c.Table(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
	tiers, later, err := table.Of(shop)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for i, id := range table.FrameworkIDs() {
		got[id] = [2]string{tiers[i], later[i]}
	}
	if want := [2]string{"minimal_risk", "from 2027-12-02: high_risk (Art. 6(2); Annex III point 1(a))"}; got["eu-ai-act"] != want {
		t.Errorf("eu-ai-act: %q, want %q", got["eu-ai-act"], want)
	}
	if l := got["au-privacy-act"][1]; l != "" {
		t.Errorf("au-privacy-act: nothing is coming, yet %q", l)
	}
	// A practice prohibited today keeps nothing in later, though a high-risk
	// rule comes into force for it too: "from 2027-12-02: high_risk" beside
	// "prohibited" would read as a ban that ends (the pages do the same).
	delhi := &registry.Deployment{ID: "in-delhi-police-afrs-protests"}
	if facts[delhi.ID] == nil {
		t.Fatalf("no curated facts for %s", delhi.ID)
	}
	eu := slices.Index(table.FrameworkIDs(), "eu-ai-act")
	if tiers, later, _ := table.Of(delhi); tiers[eu] != "prohibited" || later[eu] != "" {
		t.Errorf("eu-ai-act, %s: %q, later %q; want prohibited and nothing later", delhi.ID, tiers[eu], later[eu])
	}
	if res := c.frameworks[eu].Evaluate(facts[delhi.ID], time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)); rules.Coming(res.Later) == nil {
		t.Errorf("eu-ai-act, %s: no rule coming at all, so this case tests nothing", delhi.ID)
	}
	later2028 := c.Table(time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC))
	if tiers, later, _ := later2028.Of(shop); tiers[slices.Index(later2028.FrameworkIDs(), "eu-ai-act")] != "high_risk" ||
		later[slices.Index(later2028.FrameworkIDs(), "eu-ai-act")] != "" {
		t.Errorf("eu-ai-act in 2028: %v, %v", tiers, later)
	}
}
