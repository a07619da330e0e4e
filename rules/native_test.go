package rules

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/goccy/go-yaml"
)

// TestNativeMatchesCEL evaluates every expression of every built-in
// framework with both evaluators, over the built-in fact documents and
// every golden case, and requires the same truth value and the same set
// of unknown facts.
func TestNativeMatchesCEL(t *testing.T) {
	fws, err := LoadAll(os.DirFS("../frameworks"), ".")
	if err != nil {
		t.Fatal(err)
	}
	docs := append(builtinFacts(t), goldenFacts(t)...)
	native, total := 0, 0
	for _, fw := range fws {
		c := fw.compiled
		for _, f := range docs {
			asOf := types.Timestamp{Time: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
			ca := &activation{c: c, f: f, derived: make([]ref.Val, len(c.derived)), asOf: asOf}
			en := &nenv{f: f, consts: c.constVals, derived: make([]val, len(c.derived))}
			check := func(what string, e *expr) val {
				total++
				rv, _, err := e.prg.Eval(ca)
				if err != nil && !types.IsUnknown(rv) {
					t.Fatalf("%s %s on %s: cel-go: %v", fw.ID, what, f.ID(), err)
				}
				want, ok := fromRef(rv)
				if !ok {
					t.Fatalf("%s %s: cel-go gave %v", fw.ID, what, rv)
				}
				if e.native == nil {
					return want
				}
				native++
				got := e.native(en)
				if got.unk != want.unk || (!want.unk.any() && got.b != want.b) {
					t.Errorf("%s %s on %s: native %v/%v, cel-go %v/%v", fw.ID, what, f.ID(),
						got.b, f.schema.paths(got.unk), want.b, f.schema.paths(want.unk))
				}
				return want
			}
			for i, d := range c.derived {
				v := check("derived["+fw.Derived[i].ID+"]", d)
				ca.derived[i], en.derived[i] = toRef(v), v
			}
			for _, cr := range c.rules {
				check(cr.rule.ID, cr.when)
				for j, cond := range cr.conds {
					check(cr.rule.ID+"/"+cr.rule.Conditions[j].ID, cond)
				}
			}
		}
	}
	t.Logf("%d evaluations compared, %d by the native evaluator, over %d documents and %d frameworks", total, native, len(docs), len(fws))
	if native == 0 {
		t.Error("the native evaluator compiled nothing")
	}
}

// goldenFacts parses the fact document of every golden case.
func goldenFacts(t *testing.T) []*Facts {
	s, err := FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob("../frameworks/*/tests/*.yaml")
	var out []*Facts
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var gf goldenFile
		if err := yaml.Unmarshal(b, &gf); err != nil {
			t.Fatal(err)
		}
		for _, c := range gf.Cases {
			js, _ := json.Marshal(c.Facts)
			f, err := s.ParseFacts(n, js)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
		}
	}
	return out
}
