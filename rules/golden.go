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

	"github.com/goccy/go-yaml"

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
	schema, err := FactSchema()
	if err != nil {
		return rep, err
	}
	names, err := fs.Glob(fsys, path.Join(fw.dir, "tests", "*.yaml"))
	if err != nil {
		return rep, err
	}
	sort.Strings(names)
	touched := map[string]bool{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return rep, err
		}
		doc, err := yamldoc.Parse(data)
		if err != nil {
			return rep, LoadErrors{{File: name, Msg: err.Error()}}
		}
		var gf goldenFile
		if err := yaml.UnmarshalWithOptions(data, &gf, yaml.Strict()); err != nil {
			return rep, LoadErrors{{File: name, Msg: yamldoc.Explain(err).Error()}}
		}
		for i, gc := range gf.Cases {
			rep.Cases++
			at := fmt.Sprintf("cases[%d]", i)
			line, _ := doc.Position(at)
			fail := func(format string, args ...any) {
				rep.Failures = append(rep.Failures, fmt.Sprintf("%s:%d: %s: %s", name, line, gc.Name, fmt.Sprintf(format, args...)))
			}
			asOf, err := time.Parse(time.DateOnly, gc.AsOf)
			if err != nil {
				fail("as_of %q is not a date YYYY-MM-DD", gc.AsOf)
				continue
			}
			// Round-trip through JSON so the document is what a user would send.
			js, _ := json.Marshal(gc.Facts)
			f, err := schema.ParseFacts(name, js)
			if err != nil {
				fail("facts: %v", err)
				continue
			}
			r := fw.Evaluate(f, asOf)
			for _, rr := range r.Rules {
				touched[rr.ID] = true
			}
			for _, rr := range r.Later {
				touched[rr.ID] = true
			}
			x := gc.Expect
			if x.Tier == "" {
				fail("expect.tier is required")
			} else if string(r.Tier) != x.Tier {
				fail("tier: got %s, want %s (rules: %s; missing: %s)", r.Tier, x.Tier, ruleIDs(r.Rules, ""), strings.Join(r.Missing, ", "))
			}
			if x.Applicability != "" && r.Applicability != x.Applicability {
				fail("applicability: got %s, want %s", r.Applicability, x.Applicability)
			}
			if x.Label != "" && r.Label != x.Label {
				fail("label: got %q, want %q", r.Label, x.Label)
			}
			if x.Bounds != nil && (r.Bounds == nil || *r.Bounds != *x.Bounds) {
				fail("bounds: got %v, want %v", r.Bounds, *x.Bounds)
			}
			if x.Rules != nil {
				if got := ruleIDs(r.Rules, Fired); !sameSet(got, x.Rules) {
					fail("fired rules: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(x.Rules, ", "))
				}
			}
			if x.Later != nil {
				if got := ruleIDs(r.Later, ""); !sameSet(got, x.Later) {
					fail("later rules: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(x.Later, ", "))
				}
			}
			if x.Obligations == nil {
				fail("expect.obligations is required (use [] for none)")
			} else {
				var got []string
				for _, o := range r.Obligations {
					got = append(got, o.ID)
				}
				if !sameSet(got, *x.Obligations) {
					fail("obligations: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(*x.Obligations, ", "))
				}
			}
			if x.Missing == nil {
				fail("expect.missing is required (use [] for none)")
			} else if !sameSet(r.Missing, *x.Missing) {
				fail("missing: got [%s], want [%s]", strings.Join(r.Missing, ", "), strings.Join(*x.Missing, ", "))
			}
			for id, want := range x.Conditions {
				got := ""
				for _, c := range r.Conditions {
					if c.ID == id {
						got = c.Status
					}
				}
				if got != want {
					fail("condition %s: got %q, want %q", id, got, want)
				}
			}
		}
	}
	for _, r := range fw.Rules {
		if !touched[r.ID] {
			rep.Untested = append(rep.Untested, r.ID)
		}
	}
	return rep, nil
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
