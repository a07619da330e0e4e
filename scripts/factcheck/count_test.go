package main

import (
	"path/filepath"
	"strings"
	"testing"

	"oversight/data"
	"oversight/registry"
)

// fixture is a register of two deployments and one profile (see profile): "a" with five facts on two
// sources, "b" with one fact naming no source.
func fixture() *registry.Set {
	a := &registry.Deployment{
		ID:       "a",
		Operator: registry.Operator{Name: "Police", Sources: []string{"p1"}},
		System: registry.System{
			Capabilities: []string{"face_recognition"},
			Sources:      []string{"p1", "p2"},
		},
		Dates: []registry.DatedEvent{{Event: "live", Sources: []string{"p2"}}},
		Sources: []registry.Source{
			{Key: "p1", URL: "https://example.org/1", Title: "One"},
			{Key: "p2", URL: "https://example.org/2", Excerpt: "two"},
		},
	}
	b := &registry.Deployment{
		ID:       "b",
		Operator: registry.Operator{Name: "City"},
		Sources:  []registry.Source{{Key: "q", URL: "https://example.org/q"}},
	}
	return &registry.Set{Deployments: []*registry.Deployment{a, b}, Jurisdictions: []*registry.Jurisdiction{profile()}}
}

// factString writes facts as "label=key+key ...", for comparing lists.
func factString(fs []Fact) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.Label+"="+strings.Join(f.Sources, "+"))
	}
	return strings.Join(s, " ")
}

func TestFacts(t *testing.T) {
	got := factString(Facts(fixture().Deployments[0]))
	want := "operator=p1 capability face_recognition=p1+p2 date live=p2 source p1 title=p1 source p2 excerpt=p2"
	if got != want {
		t.Errorf("Facts:\n got %s\nwant %s", got, want)
	}
}

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ledger string
		want   Tally
	}{
		{"both read", "a\tp1\tread\t\na\tp2\tread\t\n",
			Tally{Deployments: 1, Facts: 5, Confirmed: 5}},
		// p2 missing: its date and excerpt rest on it alone; the
		// capability is also cited by p1, which was read.
		{"one missing", "a\tp1\tread\t\na\tp2\tno-copy\tsearched twice\n",
			Tally{Deployments: 1, Facts: 5, Confirmed: 3, NoCopy: 2}},
		{"one not searched", "a\tp1\tno-copy\t\na\tp2\tnot-searched\t\n",
			Tally{Deployments: 1, Facts: 5, NoCopy: 3, NotSearched: 2}},
		{"a source with no row", "a\tp1\tread\t\n",
			Tally{Deployments: 1, Facts: 5, Confirmed: 3, NotSearched: 2, Unlisted: 1}},
		{"a fact with no source", "b\tq\tread\t\n",
			Tally{Deployments: 1, Unsourced: 1}},
		// The profile (see profile): its "no" AI law names no source.
		{"a profile", "XX\tx1\tread\t\nXX\tx2\tread\t\n",
			Tally{Profiles: 1, Facts: 5, Confirmed: 5, Unsourced: 1}},
		// x1 missing: the membership and its title and publisher rest
		// on it alone; the data-protection law is also cited by x2.
		{"a profile's page missing", "XX\tx1\tno-copy\t\nXX\tx2\tread\t\n",
			Tally{Profiles: 1, Facts: 5, Confirmed: 2, NoCopy: 3, Unsourced: 1}},
		{"a deployment and a profile", "a\tp1\tread\t\na\tp2\tread\t\nXX\tx2\tread\t\n",
			Tally{Deployments: 1, Profiles: 1, Facts: 10, Confirmed: 7, NotSearched: 3, Unsourced: 1, Unlisted: 1}},
	} {
		rows, err := ParseLedger(strings.NewReader(header + "\n" + tc.ledger))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := Count(fixture(), rows)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestCountRefusesUnknown(t *testing.T) {
	for ledger, want := range map[string]string{
		"a\tp1\tread\t\nz\tp1\tread\t\n": `line 3: "z" is neither a deployment nor a jurisdiction code in the register`,
		"a\tp9\tread\t\n":                `line 2: a has no source "p9"`,
		"b\tp1\tread\t\n":                `line 2: b has no source "p1"`,
		"XX\tp1\tread\t\n":               `line 2: XX has no source "p1"`,
		"xx\tx1\tread\t\n":               `line 2: "xx" is neither a deployment nor a jurisdiction code in the register`,
	} {
		rows, err := ParseLedger(strings.NewReader(header + "\n" + ledger))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Count(fixture(), rows); err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %s", ledger, err, want)
		}
	}
}

// TestLedgers checks that every ledger in docs/factcheck names only
// deployments and sources the built-in register has, so that a renamed
// source key shows here rather than in a reader's rerun.
func TestLedgers(t *testing.T) {
	names, err := filepath.Glob("../../docs/factcheck/*.tsv")
	if err != nil || len(names) == 0 {
		t.Fatalf("no ledgers found: %v", err)
	}
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		rows, err := readLedger(name)
		if err != nil {
			t.Error(err)
			continue
		}
		n, err := Count(set, rows)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if n.Deployments+n.Profiles == 0 || n.Facts == 0 {
			t.Errorf("%s: %+v, want deployments and facts", name, n)
		}
	}
}
