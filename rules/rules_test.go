package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const testMeta = `id: t
title: Test framework
kind: binding_law
status: in_force
scope: XX
binds: [PK]
sources: [{id: s, title: a source, read: primary}]
consts:
  le: [police, other_law_enforcement]
derived:
  - id: is_police
    expr: facts.operator.type in consts.le
`

// testRules has a rule on public face identification by police, a
// conditions rule, and one not in force until 2030.
const testRules = `rules:
  - id: R1
    title: police identification in public
    when: >-
      derived.is_police
      && 'remote_biometric_identification' in facts.system.capabilities
      && facts.setting.publicly_accessible == true
    outcome: {tier: high_risk, obligations: [{id: o1, text: do it, citation: Art. 1}]}
    citation: {article: Art. 1, source: s}
    explanation: e
  - id: R2
    title: live matching, with conditions
    when: derived.is_police && facts.identification.timing == 'real_time'
    outcome: {tier: prohibited_unless_conditions_met}
    conditions:
      - {id: judge, check: "facts.safeguards.authorisation.type == 'judicial'", citation: Art. 2}
      - {id: law, check: facts.legal_basis.specific_enabling_law == true, citation: Art. 2}
    citation: {article: Art. 2}
    explanation: e
  - id: R3
    title: a future ban on emotion recognition
    when: "'emotion_recognition' in facts.system.capabilities"
    outcome: {tier: prohibited}
    citation: {article: Art. 3}
    explanation: e
    effective_from: 2030-01-01
`

func load(t *testing.T, meta, rules string) (*Framework, error) {
	t.Helper()
	fsys := fstest.MapFS{
		"t/framework.yaml": {Data: []byte(meta)},
		"t/rules.yaml":     {Data: []byte(rules)},
	}
	return Load(fsys, "t")
}

func facts(t *testing.T, doc string) *Facts {
	t.Helper()
	s, err := FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.ParseFacts("doc.yaml", []byte("schema: observatory.facts/v0\n"+doc))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var day = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func TestKleene(t *testing.T) {
	fw, err := load(t, testMeta, testRules)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, doc string
		tier      Tier
		missing   string
		fired     string
	}{
		{"all known", "deployment: {jurisdiction: PK}\noperator: {type: police}\nsystem: {capabilities: [remote_biometric_identification]}\nsetting: {publicly_accessible: true}\nidentification: {timing: post}",
			HighRisk, "", "R1"},
		{"a false conjunct decides despite unknowns", "operator: {type: municipality}",
			MinimalRisk, "", ""},
		{"the capability list rules it out", "operator: {type: police}\nsystem: {capabilities: [lpr_anpr]}\nidentification: {timing: post}",
			MinimalRisk, "", ""},
		{"an unknown that could raise the tier", "operator: {type: police}\nsystem: {capabilities: [remote_biometric_identification]}\nidentification: {timing: post}",
			Indeterminate, "setting.publicly_accessible", ""},
		{"'unknown' is unknown", "operator: {type: unknown}\nsystem: {capabilities: [remote_biometric_identification]}\nsetting: {publicly_accessible: true}\nidentification: {timing: post}",
			Indeterminate, "operator.type", ""},
		{"conditions unknown", "operator: {type: police}\nsystem: {capabilities: []}\nidentification: {timing: real_time}",
			ProhibitedUnless, "legal_basis.specific_enabling_law,safeguards.authorisation.type", "R2"},
		{"a failed condition", "operator: {type: police}\nsystem: {capabilities: []}\nidentification: {timing: real_time}\nsafeguards: {authorisation: {type: internal}}",
			Prohibited, "", "R2"},
		{"all conditions met", "operator: {type: police}\nsystem: {capabilities: []}\nidentification: {timing: real_time}\nsafeguards: {authorisation: {type: judicial}}\nlegal_basis: {specific_enabling_law: true}",
			HighRisk, "", "R2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := fw.Evaluate(facts(t, c.doc), day)
			if r.Tier != c.tier {
				t.Errorf("tier %s, want %s (%+v)", r.Tier, c.tier, r.Rules)
			}
			if got := strings.Join(r.Missing, ","); got != c.missing {
				t.Errorf("missing %q, want %q", got, c.missing)
			}
			if got := strings.Join(ruleIDs(r.Rules, Fired), ","); got != c.fired {
				t.Errorf("fired %q, want %q", got, c.fired)
			}
		})
	}
}

func TestDatesAndApplicability(t *testing.T) {
	fw, err := load(t, testMeta, testRules)
	if err != nil {
		t.Fatal(err)
	}
	doc := facts(t, "deployment: {jurisdiction: KZ}\nsystem: {capabilities: [emotion_recognition]}\noperator: {type: private_company}")
	r := fw.Evaluate(doc, day)
	if r.Tier != MinimalRisk || len(r.Later) != 1 || r.Later[0].ID != "R3" || r.Later[0].Rule().EffectiveFrom != "2030-01-01" {
		t.Errorf("before 2030: tier %s, later %+v", r.Tier, r.Later)
	}
	if r.Applicability != BenchmarkOnly {
		t.Errorf("applicability %s outside binds", r.Applicability)
	}
	if r := fw.Evaluate(doc, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); r.Tier != Prohibited {
		t.Errorf("from 2030: tier %s", r.Tier)
	}
	in := facts(t, "deployment: {jurisdiction: PK}")
	if r := fw.Evaluate(in, day); r.Applicability != Applies {
		t.Errorf("applicability %s in a bound jurisdiction", r.Applicability)
	}
	late, err := load(t, testMeta+"effective_from: 2027-01-01\n", testRules)
	if err != nil {
		t.Fatal(err)
	}
	if r := late.Evaluate(in, day); r.Tier != NotApplicable || r.Note == "" {
		t.Errorf("framework not yet in force: %s %q", r.Tier, r.Note)
	}
	// Not yet in force, it still says what it will require: the rules that
	// hold from its first day, dated from that day (R1, no date of its
	// own), and a rule dated later still, from its own day (R3).
	held := facts(t, "deployment: {jurisdiction: PK}\noperator: {type: police}\nsystem: {capabilities: [remote_biometric_identification]}\nsetting: {publicly_accessible: true}\nidentification: {timing: post}")
	r = late.Evaluate(held, day)
	c := Coming(r.Later)
	if r.Label != "does not apply until 1 January 2027" {
		t.Errorf("not yet in force, label %q", r.Label)
	}
	if r.Tier != NotApplicable || c == nil || c.ID != "R1" || c.Status != NotYetInForce || c.EffectiveFrom() != "2027-01-01" || c.Tier != HighRisk {
		t.Errorf("not yet in force, later %+v (coming %+v)", r.Later, c)
	}
	if r := late.Evaluate(held, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); r.Tier != HighRisk || len(r.Later) != 0 {
		t.Errorf("from its first day: %s, later %+v", r.Tier, r.Later)
	}
	r = late.Evaluate(doc, day)
	if len(r.Later) != 1 || r.Later[0].ID != "R3" || r.Later[0].EffectiveFrom() != "2030-01-01" {
		t.Errorf("a rule dated after the framework's first day: later %+v", r.Later)
	}
	// A rule dated before the framework's first day comes with the framework.
	later, err := load(t, testMeta+"effective_from: 2031-01-01\n", testRules)
	if err != nil {
		t.Fatal(err)
	}
	if c := Coming(later.Evaluate(doc, day).Later); c == nil || c.ID != "R3" || c.EffectiveFrom() != "2031-01-01" {
		t.Errorf("a rule dated before the framework's first day: coming %+v", c)
	}
	if b, _ := json.Marshal(late.Evaluate(held, day)); !strings.Contains(string(b), `"effective_from":"2027-01-01"`) {
		t.Errorf("the JSON does not date the coming rule: %s", b)
	}
}

// TestLoadErrors checks that each kind of mistake in a framework stops
// loading with the file, line and column of the mistake.
func TestLoadErrors(t *testing.T) {
	rule := func(when string) string {
		return "rules:\n  - id: X\n    title: x\n    when: " + when + "\n    outcome: {tier: high_risk}\n    citation: {article: Art. 1}\n    explanation: e\n"
	}
	cases := []struct {
		name, meta, rules, want string
	}{
		{"unknown field", testMeta, strings.Replace(rule("true"), "    when:", "    whenn: x\n    when:", 1), "t/rules.yaml:4:"},
		{"misspelt fact", testMeta, rule("facts.setting.publicly_accesible == true"), "t/rules.yaml:4:24: undeclared reference to 'facts.setting.publicly_accesible'"},
		{"type error", testMeta, rule("facts.identification.timing == true"), "t/rules.yaml:4:"},
		{"enumeration typo", testMeta, rule("facts.identification.timing == 'realtime'"), `t/rules.yaml:4:42: "realtime" is not a value of facts.identification.timing (allowed: real_time, post, both, unknown)`},
		{"enumeration typo in a list literal", testMeta, rule("facts.operator.type in ['police', 'polce']"), `"polce" is not a value of facts.operator.type`},
		{"enumeration typo in a constant", strings.Replace(testMeta, "other_law_enforcement", "other_law_enforcment", 1), rule("derived.is_police"), `t/framework.yaml:12:40: "other_law_enforcment" is not a value of facts.operator.type`},
		{"enumeration typo inside a macro", testMeta, rule("facts.purposes.exists(p, p == 'protests')"), `"protests" is not a value of facts.purposes`},
		{"not a boolean", testMeta, rule("facts.operator.name"), "t/rules.yaml:4:11: expression gives string, want bool"},
		{"bad tier", testMeta, strings.Replace(rule("true"), "high_risk", "banned", 1), `t/rules.yaml:5:21: tier "banned" is not allowed (allowed: prohibited, prohibited_unless_conditions_met`},
		{"unknown required fact", testMeta, strings.Replace(rule("true"), "    outcome:", "    requires: [setting.public]\n    outcome:", 1), `t/rules.yaml:5:16: requires "setting.public": no such fact`},
		{"error on the second line of a folded expression", testMeta, rule(">-\n      true\n      && facts.setting.publicly_accesible"), "t/rules.yaml:6:23: undeclared reference"},
		{"syntax error", testMeta, rule("true &&"), "t/rules.yaml:4:"},
		{"runaway cost", testMeta, rule("facts.system.vendors.all(a, facts.system.vendors.all(b, facts.system.vendors.all(c, a + b + c != '')))"), "over the limit"},
		{"bad id", strings.Replace(testMeta, "id: t", "id: T_1", 1), rule("true"), `t/framework.yaml:1:5: id "T_1" must be kebab-case`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := load(t, c.meta, c.rules)
			if err == nil {
				t.Fatal("loaded")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q\nwant it to contain %q", err, c.want)
			}
		})
	}
}

func TestFactErrors(t *testing.T) {
	s, err := FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ doc, want string }{
		{"identification: {timing: realtime}", "doc.yaml:2: /identification/timing: value must be one of 'real_time', 'post', 'both', 'unknown'"},
		{"setting: {publicly_accessible: yes please}", "doc.yaml:2: /setting/publicly_accessible: got string, want null or boolean"},
		{"operator: {kind: police}", "/operator: additional properties 'kind' not allowed"},
		{"purposes: [protests]", "/purposes/0: value must be one of"},
	}
	for _, c := range cases {
		_, err := s.ParseFacts("doc.yaml", []byte("schema: observatory.facts/v0\n"+c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v\nwant it to contain %q", c.doc, err, c.want)
		}
	}
	if _, err := s.ParseFacts("doc.json", []byte(`{"schema": "observatory.facts/v0", "offence": {"max_custodial_sentence_years": 2.5}}`)); err == nil ||
		!strings.Contains(err.Error(), "/offence/max_custodial_sentence_years") {
		t.Errorf("a fractional sentence: %v", err)
	}
}
