package rules

import (
	"os"
	"slices"
	"testing"
)

func TestMutateExpr(t *testing.T) {
	for _, tc := range []struct {
		src    string
		negate bool
		want   []string // the mutants, as unparsed
	}{
		{"facts.a == 'x' && facts.b > 2", false, []string{
			`facts.a == "x" || facts.b > 2`,
			`facts.a != "x" && facts.b > 2`,
			`facts.a == "x" && facts.b <= 2`,
		}},
		{"!facts.c || size(facts.l) < 1", true, []string{
			`!facts.c && size(facts.l) < 1`,
			`facts.c || size(facts.l) < 1`,
			`!facts.c || size(facts.l) >= 1`,
			`!(!facts.c || size(facts.l) < 1)`,
		}},
		// Inside a macro, the written call is changed; a negated membership
		// is not negated again (dropping its ! covers it).
		{"facts.l.exists(p, p in ['a'] && !(p in consts.k))", false, []string{
			`facts.l.exists(p, p in ["a"] || !(p in consts.k))`,
			`facts.l.exists(p, !(p in ["a"]) && !(p in consts.k))`,
			`facts.l.exists(p, p in ["a"] && p in consts.k)`,
		}},
		// Dropping a negation of a macro keeps the macro.
		{"!facts.l.all(p, p != 'a')", false, []string{
			`facts.l.all(p, p != "a")`,
			`!facts.l.all(p, p == "a")`,
		}},
	} {
		ms, err := MutateExpr(tc.src, tc.negate)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.Expr)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: mutants\n%q\nwant\n%q", tc.src, got, tc.want)
		}
	}
}

// TestMutateEU checks that every mutant of the EU framework compiles, that
// the golden cases kill most of them, and that a mutant the cases must
// kill is killed.
func TestMutateEU(t *testing.T) {
	fw, err := Load(os.DirFS("../frameworks"), "eu-ai-act")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := fw.Mutate(os.DirFS("../frameworks"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cases == 0 || rep.Valid() < 50 || rep.Valid() != len(rep.Mutants) {
		t.Fatalf("%d cases, %d mutants, %d valid", rep.Cases, len(rep.Mutants), rep.Valid())
	}
	found := false
	for _, m := range rep.Mutants {
		if m.Rule == "EU-AIA-2-3" && m.Site == "when" && m.Op == "&& → ||" {
			found = true
			if !m.Killed {
				t.Errorf("the Art. 2(3) exclusion with || survives: %s", m.Expr)
			}
		}
	}
	if !found {
		t.Error("no && → || mutant of EU-AIA-2-3")
	}
	if rep.Score() < 0.5 {
		t.Errorf("score %.2f", rep.Score())
	}
}

// TestDerivedRead checks that a derived value no rule reads is found, so
// that its surviving mutants are reported as equivalent.
func TestDerivedRead(t *testing.T) {
	fw, err := Load(os.DirFS("../frameworks"), "apac-baseline")
	if err != nil {
		t.Fatal(err)
	}
	read := fw.derivedRead()
	// is_security_actor is read only through is_state and rules; is_biometric by nothing.
	if !read["is_rbi"] || !read["is_security_actor"] || read["is_biometric"] {
		t.Errorf("derived read: %v", read)
	}
}

// FuzzMutateExpr feeds MutateExpr expressions as a user's framework
// directory (oversight frameworks mutate DIR) may hold them. It must refuse
// or accept without panicking, and every mutant it returns must parse again
// and differ from the expression it came from.
func FuzzMutateExpr(f *testing.F) {
	fws, err := LoadAll(os.DirFS("../frameworks"), ".")
	if err != nil {
		f.Fatal(err)
	}
	for _, fw := range fws {
		for _, d := range fw.Derived {
			f.Add(d.Expr, false)
		}
		for _, r := range fw.Rules {
			f.Add(r.When, false)
			for _, c := range r.Conditions {
				f.Add(c.Check, true)
			}
		}
	}
	f.Add("!x.all(a, !a.exists(b, !(b in y)))", true)
	f.Add("a ? b < c : !d", true)
	f.Fuzz(func(t *testing.T, src string, negate bool) {
		if len(src) > 2000 {
			return
		}
		ms, err := MutateExpr(src, negate)
		if err != nil {
			return
		}
		for _, m := range ms {
			if m.Expr == src {
				t.Fatalf("%q: mutant %s is the expression itself", src, m.Op)
			}
			if _, err := parseForMutation(m.Expr); err != nil {
				t.Fatalf("%q: mutant %s %q does not parse: %v", src, m.Op, m.Expr, err)
			}
		}
	})
}
