package analysis

import (
	"slices"
	"testing"
	"time"

	"oversight/data"
	"oversight/registry"
	"oversight/synth"
)

// TestTableMemo: a table's tiers and later rules, looked up by the values
// of the facts every framework reads, are what classifying each
// deployment gives, for the built-in deployments with their curated fact
// documents and for 400 synthetic ones, on days before, within and after the
// frameworks' changes; a set of values is classified once; and a caller
// changing what it got does not change what the next caller gets.
func TestTableMemo(t *testing.T) {
	t.Parallel()
	base, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	facts, err := data.Facts()
	if err != nil {
		t.Fatal(err)
	}
	c := classifierWith(t, facts)
	ds := append([]*registry.Deployment{}, base.Deployments...)
	ds = append(ds, synth.Batch(base, 5, 0, 400)...)
	for _, day := range []string{"2019-06-01", "2025-02-02", "2026-12-06", "2027-12-02", "2031-01-01"} {
		asOf, _ := time.Parse(time.DateOnly, day)
		table := c.Table(asOf)
		want := make([]tableRow, len(ds))
		for i, d := range ds {
			f, _ := c.FactsFor(d)
			want[i].tiers, want[i].later = table.classify(f)
		}
		laterSeen := 0
		for round := range 2 {
			for i, d := range ds {
				wantTiers, wantLater := want[i].tiers, want[i].later
				tiers, later, err := table.Of(d)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(tiers, wantTiers) || !slices.Equal(later, wantLater) {
					t.Fatalf("%s, round %d, %s: %v, %v; classified: %v, %v", day, round, d.ID, tiers, later, wantTiers, wantLater)
				}
				for _, l := range later {
					if l != "" {
						laterSeen++
					}
				}
				tiers[0], later[0] = "changed", "changed"
			}
		}
		if len(table.memo) == 0 || len(table.memo) >= len(ds) {
			t.Errorf("%s: %d rows kept for %d deployments: the memo shares nothing", day, len(table.memo), len(ds))
		}
		if day == "2026-12-06" && laterSeen == 0 {
			t.Errorf("%s: no deployment has a later rule, so the later column is not tested", day)
		}
	}
}

// TestTableMemoFull: a table that has kept tableMemoMax rows starts again
// and still answers as classifying does.
func TestTableMemoFull(t *testing.T) {
	t.Parallel()
	base, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := builtinClassifier(t)
	table := c.Table(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
	table.memo = make(map[string]tableRow, tableMemoMax)
	for i := range tableMemoMax {
		table.memo[string(rune(i))+"-not a key"] = tableRow{}
	}
	d := base.Deployments[0]
	tiers, later, err := table.Of(d)
	if err != nil {
		t.Fatal(err)
	}
	wantTiers, wantLater := table.classify(c.derived(d))
	if !slices.Equal(tiers, wantTiers) || !slices.Equal(later, wantLater) {
		t.Fatalf("%s: %v, %v; classified: %v, %v", d.ID, tiers, later, wantTiers, wantLater)
	}
	if len(table.memo) != 1 {
		t.Errorf("%d rows kept after the memo filled, want 1 (started again)", len(table.memo))
	}
}
