package rules

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"oversight/internal/yamldoc"
)

// A golden test file, tests/*.yaml in a framework directory, holds cases:
// a fact document and the result the framework must give for it.
type goldenFile struct {
	Cases []goldenCase `yaml:"cases"`
}

type goldenCase struct {
	Name   string         `yaml:"name"`
	AsOf   string         `yaml:"as_of"`
	Facts  map[string]any `yaml:"facts"`
	Expect struct {
		Applicability string            `yaml:"applicability"`
		Tier          string            `yaml:"tier"`
		Label         string            `yaml:"label"`
		Bounds        *Bounds           `yaml:"bounds"`
		Rules         []string          `yaml:"rules"`       // the rules that fire, exactly
		Obligations   *[]string         `yaml:"obligations"` // obligation ids, exactly
		Missing       *[]string         `yaml:"missing"`     // exactly
		Conditions    map[string]string `yaml:"conditions"`  // id → met|failed|unknown
		Later         []string          `yaml:"later"`       // rules not yet in force
	} `yaml:"expect"`
}

// TestReport is the outcome of a framework's golden tests.
type TestReport struct {
	Cases    int
	Failures []string // file:line: case: what differed
	Untested []string // rules no case fires
}

// Test runs the golden cases in the framework's tests directory, and
// reports every rule that no case fires or makes possible.
func (fw *Framework) Test(fsys fs.FS) (TestReport, error) {
	var rep TestReport
	cases, err := fw.goldenCases(fsys)
	if err != nil {
		return rep, err
	}
	touched := map[string]bool{}
	for _, gc := range cases {
		rep.Cases++
		if gc.err != "" {
			rep.Failures = append(rep.Failures, gc.where()+gc.err)
			continue
		}
		r := fw.Evaluate(gc.facts, gc.asOf)
		for _, rr := range r.Rules {
			touched[rr.ID] = true
		}
		for _, rr := range r.Later {
			touched[rr.ID] = true
		}
		for _, f := range gc.check(r, false) {
			rep.Failures = append(rep.Failures, gc.where()+f)
		}
	}
	for _, r := range fw.Rules {
		if !touched[r.ID] {
			rep.Untested = append(rep.Untested, r.ID)
		}
	}
	return rep, nil
}

// loadedCase is a golden case read and its facts parsed, ready to run.
type loadedCase struct {
	goldenCase
	file  string
	line  int
	asOf  time.Time
	facts *Facts
	err   string // why the case cannot run
}

func (gc *loadedCase) where() string { return fmt.Sprintf("%s:%d: %s: ", gc.file, gc.line, gc.Name) }

// goldenCases reads the golden cases of the framework's tests directory.
func (fw *Framework) goldenCases(fsys fs.FS) ([]*loadedCase, error) {
	schema, err := FactSchema()
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, path.Join(fw.dir, "tests", "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*loadedCase
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		doc, err := yamldoc.Parse(data)
		if err != nil {
			return nil, LoadErrors{{File: name, Msg: err.Error()}}
		}
		var gf goldenFile
		if err := decodeStrict(doc, &gf); err != nil {
			return nil, LoadErrors{{File: name, Msg: yamldoc.Explain(err).Error()}}
		}
		for i, g := range gf.Cases {
			gc := &loadedCase{goldenCase: g, file: name}
			gc.line, _ = doc.Position(fmt.Sprintf("cases[%d]", i))
			out = append(out, gc)
			if gc.asOf, err = time.Parse(time.DateOnly, gc.AsOf); err != nil {
				gc.err = fmt.Sprintf("as_of %q is not a date YYYY-MM-DD", gc.AsOf)
				continue
			}
			// Round-trip through JSON so the document is what a user would send.
			js, _ := json.Marshal(gc.Facts)
			if gc.facts, err = schema.ParseFacts(name, js); err != nil {
				gc.err = fmt.Sprintf("facts: %v", err)
			}
		}
	}
	return out, nil
}

// check compares a result with the case's expectation and returns what
// differs; with first, it stops at the first difference.
func (gc *loadedCase) check(r Result, first bool) []string {
	var fails []string
	fail := func(format string, args ...any) bool {
		fails = append(fails, fmt.Sprintf(format, args...))
		return first
	}
	x := gc.Expect
	if x.Tier == "" {
		if fail("expect.tier is required") {
			return fails
		}
	} else if string(r.Tier) != x.Tier {
		if fail("tier: got %s, want %s (rules: %s; missing: %s)", r.Tier, x.Tier, ruleIDs(r.Rules, ""), strings.Join(r.Missing, ", ")) {
			return fails
		}
	}
	if x.Applicability != "" && r.Applicability != x.Applicability {
		if fail("applicability: got %s, want %s", r.Applicability, x.Applicability) {
			return fails
		}
	}
	if x.Label != "" && r.Label != x.Label {
		if fail("label: got %q, want %q", r.Label, x.Label) {
			return fails
		}
	}
	if x.Bounds != nil && (r.Bounds == nil || *r.Bounds != *x.Bounds) {
		if fail("bounds: got %v, want %v", r.Bounds, *x.Bounds) {
			return fails
		}
	}
	if x.Rules != nil {
		if got := ruleIDs(r.Rules, Fired); !sameSet(got, x.Rules) {
			if fail("fired rules: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(x.Rules, ", ")) {
				return fails
			}
		}
	}
	if x.Later != nil {
		if got := ruleIDs(r.Later, ""); !sameSet(got, x.Later) {
			if fail("later rules: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(x.Later, ", ")) {
				return fails
			}
		}
	}
	if x.Obligations == nil {
		if fail("expect.obligations is required (use [] for none)") {
			return fails
		}
	} else {
		var got []string
		for _, o := range r.Obligations {
			got = append(got, o.ID)
		}
		if !sameSet(got, *x.Obligations) {
			if fail("obligations: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(*x.Obligations, ", ")) {
				return fails
			}
		}
	}
	if x.Missing == nil {
		if fail("expect.missing is required (use [] for none)") {
			return fails
		}
	} else if !sameSet(r.Missing, *x.Missing) {
		if fail("missing: got [%s], want [%s]", strings.Join(r.Missing, ", "), strings.Join(*x.Missing, ", ")) {
			return fails
		}
	}
	ids := make([]string, 0, len(x.Conditions))
	for id := range x.Conditions {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		want, got := x.Conditions[id], ""
		for _, c := range r.Conditions {
			if c.ID == id {
				got = c.Status
			}
		}
		if got != want {
			if fail("condition %s: got %q, want %q", id, got, want) {
				return fails
			}
		}
	}
	return fails
}

func ruleIDs(rs []RuleResult, status string) []string {
	var out []string
	for _, r := range rs {
		if status == "" || r.Status == status {
			out = append(out, r.ID)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
