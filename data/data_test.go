package data

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"oversight/registry"
)

// TestBuiltinValid loads the built-in register: every file parses, every
// record validates and every reference resolves.
func TestBuiltinValid(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d jurisdictions, %d vendors, %d instruments, %d deployments, %d claims",
		len(set.Jurisdictions), len(set.Vendors), len(set.Instruments), len(set.Deployments), len(set.Claims))
}

// TestFactsSourced checks the built-in fact documents: each belongs to a
// deployment, cites only that deployment's sources, and every fact it
// states is supported by an evidence entry (its JSON pointer or a parent's).
func TestFactsSourced(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	facts, err := Facts()
	if err != nil {
		t.Fatal(err)
	}
	if len(facts) != len(set.Deployments) {
		t.Errorf("%d fact documents for %d deployments", len(facts), len(set.Deployments))
	}
	deps := map[string]*registry.Deployment{}
	for _, d := range set.Deployments {
		deps[d.ID] = d
	}
	for id, f := range facts {
		d, ok := deps[id]
		if !ok {
			t.Errorf("facts/%s.yaml: no deployment %s", id, id)
			continue
		}
		urls := map[string]bool{}
		for _, s := range d.Sources {
			urls[s.URL] = true
		}
		var pointers []string
		evidence, _ := f.Doc()["evidence"].([]any)
		for _, e := range evidence {
			e := e.(map[string]any)
			if !urls[e["url"].(string)] {
				t.Errorf("facts/%s.yaml: evidence %s is not one of the deployment's sources", id, e["url"])
			}
			for _, p := range e["supports"].([]any) {
				pointers = append(pointers, p.(string))
			}
		}
		doc := maps.Clone(f.Doc())
		for _, k := range []string{"schema", "as_of", "notes", "evidence"} {
			delete(doc, k)
		}
		for ptr, v := range leaves(doc, "") {
			switch ptr {
			case "/deployment/id", "/deployment/title", "/deployment/jurisdiction":
				continue
			}
			if !slices.ContainsFunc(pointers, func(p string) bool { return ptr == p || strings.HasPrefix(ptr, p+"/") }) {
				t.Errorf("facts/%s.yaml: %s = %v has no evidence", id, ptr, v)
			}
		}
		if f.Jurisdiction() != d.Jurisdiction {
			t.Errorf("facts/%s.yaml: jurisdiction %s, deployment says %s", id, f.Jurisdiction(), d.Jurisdiction)
		}
	}
}

// leaves maps the JSON pointer of every non-null leaf under v to its value.
func leaves(v any, ptr string) map[string]any {
	out := map[string]any{}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			maps.Copy(out, leaves(x, ptr+"/"+k))
		}
	} else if v != nil {
		out[ptr] = v
	}
	return out
}

// TestDataQuality fails on what the register's standard asks beyond
// validation (see Quality), each reported by file, line and field. The
// amounts whose year no source read states yet are counted, and may not
// grow: each must be dated from a page, or left undated with that page's
// word for it, by a reviewer who reads the sources.
func TestDataQuality(t *testing.T) {
	findings, err := Quality()
	if err != nil {
		t.Fatal(err)
	}
	const undatedAmounts = 19 // the register's debt on 2026-12-05
	n := 0
	for _, f := range findings {
		if strings.HasSuffix(f.Field, ".year") {
			n++
			t.Log(f)
			continue
		}
		t.Error(f)
	}
	if n > undatedAmounts {
		t.Errorf("%d amounts without the year they are of; there were %d: date the new ones from their sources", n, undatedAmounts)
	}
}
