package rules

import (
	"encoding/json"
	"os"
	"testing"
)

// TestBoundsExact checks the bounds of undecided results against every
// completion of their missing facts: for each built-in fact document
// undecided under a benchmark framework, whose missing facts are booleans,
// enumerations or counts, each missing fact is set to every value it may
// take (counts to values on either side of the thresholds the rules use),
// and the least and most severe tiers of the completed documents must be
// the reported bounds. A bound wider than any completion reaches (a rule
// reported by its outcome tier when a condition already fails) or narrower
// (two rules of which one must hold) fails.
func TestBoundsExact(t *testing.T) {
	docs := builtinFacts(t)
	schema, err := FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	counts := []any{0, 3, 4, 10, 100000} // around the 4-year sentence and beyond
	checked := 0
	for _, id := range []string{"eu-ai-act", "apac-baseline"} {
		fw, err := Load(os.DirFS("../frameworks"), id)
		if err != nil {
			t.Fatal(err)
		}
	doc:
		for _, f := range docs {
			res := fw.Evaluate(f, day)
			if res.Tier != Indeterminate {
				continue
			}
			var paths []string
			var values [][]any
			n := 1
			for _, p := range res.Missing {
				l, _ := schema.Leaf(p)
				var vs []any
				switch {
				case l.Kind == Bool:
					vs = []any{true, false}
				case l.Kind == String && l.Enum != nil:
					for _, e := range l.Enum {
						if e != "unknown" {
							vs = append(vs, e)
						}
					}
				case l.Kind == Int:
					vs = counts
				default:
					continue doc // lists have too many values to try
				}
				paths, values = append(paths, p), append(values, vs)
				if n *= len(vs); n > 4096 {
					continue doc
				}
			}
			var least, most Tier
			for i := 0; i < n; i++ {
				doc := completed(t, f.Doc(), paths, values, i)
				g, err := schema.ParseFacts(f.ID(), doc)
				if err != nil {
					t.Fatalf("%s: completion: %v", f.ID(), err)
				}
				r := fw.Evaluate(g, day)
				lo, hi := r.Tier, r.Tier
				if r.Bounds != nil {
					lo, hi = r.Bounds.Least, r.Bounds.Most
				}
				if least == "" || lo.Severity() < least.Severity() {
					least = lo
				}
				if most == "" || hi.Severity() > most.Severity() {
					most = hi
				}
			}
			checked++
			if res.Bounds == nil || res.Bounds.Least != least || res.Bounds.Most != most {
				t.Errorf("%s under %s: bounds %v, completions of %v give %s..%s", f.ID(), id, res.Bounds, paths, least, most)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d undecided results checked", checked)
	}
}

// completed is a fact document with the i-th combination of values set at
// the paths, as JSON.
func completed(t *testing.T, doc map[string]any, paths []string, values [][]any, i int) []byte {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for k, p := range paths {
		vs := values[k]
		v := vs[i%len(vs)]
		i /= len(vs)
		SetPathValue(out, p, v)
	}
	b, err = json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
