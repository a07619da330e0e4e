package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const testNotEncoded = `id: t
title: A law whose text could not be read
kind: binding_law
status: in_force
scope: XX
binds: [PK]
sources: [{id: s, title: a news report, read: secondary}]
not_encoded:
  reasons: [text_not_found]
  explanation: only a news report describes it
  searched: 2026-12-06
  sources: [s]
`

func loadNotEncoded(t *testing.T, meta string, extra fstest.MapFS) (*Framework, error) {
	t.Helper()
	fsys := fstest.MapFS{"t/framework.yaml": {Data: []byte(meta)}}
	for k, v := range extra {
		fsys[k] = v
	}
	return Load(fsys, "t")
}

// TestNotEncodedGivesNoTier: a law the register cannot encode is reported
// as such, in its own jurisdiction and elsewhere, never as a tier: not its
// default, not minimal risk, not not_applicable.
func TestNotEncodedGivesNoTier(t *testing.T) {
	fw, err := loadNotEncoded(t, testNotEncoded, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fw.Encoded() || fw.DefaultTier != "" || len(fw.Rules) != 0 {
		t.Fatalf("Encoded() = %v, default tier %q, %d rules; want a framework with neither", fw.Encoded(), fw.DefaultTier, len(fw.Rules))
	}
	day := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	schema, err := FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range []string{"PK", "IN", ""} {
		doc := `{"schema":"observatory.facts/v0","deployment":{"jurisdiction":"` + j + `"},"system":{"capabilities":["remote_biometric_identification"]}}`
		if j == "" {
			doc = `{"schema":"observatory.facts/v0"}`
		}
		f, err := schema.ParseFacts("t", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		r := fw.Evaluate(f, day)
		if r.Applicability != NotEncodedApplicability || r.Tier != "" || r.Label != "" {
			t.Errorf("%q: applicability %q, tier %q, label %q; want not_encoded and no tier", j, r.Applicability, r.Tier, r.Label)
		}
		if !strings.Contains(r.Note, "only a news report") {
			t.Errorf("%q: note %q does not say why", j, r.Note)
		}
		if got := fw.TierAt(f, day); got != "" {
			t.Errorf("%q: TierAt = %q, want none", j, got)
		}
		js, _ := json.Marshal(r)
		if strings.Contains(string(js), `"tier"`) || !strings.Contains(string(js), `"applicability":"not_encoded"`) {
			t.Errorf("%q: %s", j, js)
		}
	}
	if _, err := fw.Mutate(fstest.MapFS{}); err == nil {
		t.Error("Mutate of a framework with no rules: no error")
	}
}

// TestNotEncodedRefused: a framework that is not encoded must say why,
// with reasons from the vocabulary and sources of its own, and hold
// nothing that could classify.
func TestNotEncodedRefused(t *testing.T) {
	for _, c := range []struct {
		name, old, new string
		extra          fstest.MapFS
		want           string
	}{
		{"unknown reason", "[text_not_found]", "[too_long]", nil, `reason "too_long" is not allowed (allowed: text_not_found`},
		{"no reason", "reasons: [text_not_found]", "reasons: []", nil, "at least one reason"},
		{"no explanation", "explanation: only a news report describes it", "explanation: ' '", nil, "needs an explanation"},
		{"no search date", "searched: 2026-12-06", "searched: ''", nil, "needs searched"},
		{"bad search date", "searched: 2026-12-06", "searched: last week", nil, "not a date"},
		{"no sources", "  sources: [s]", "  sources: []", nil, "needs sources"},
		{"foreign source", "  sources: [s]", "  sources: [x]", nil, `source "x" is not among`},
		{"binds nowhere", "binds: [PK]", "binds: []", nil, "names the jurisdictions"},
		{"a default tier", "scope: XX", "scope: XX\ndefault_tier: minimal_risk", nil, "has no default tier"},
		{"derived", "scope: XX", "scope: XX\nconsts: {a: [b]}", nil, "no consts or derived"},
		{"rules file", "", "", fstest.MapFS{"t/rules.yaml": {Data: []byte(testRules)}}, "has no rules.yaml"},
		{"tests", "", "", fstest.MapFS{"t/tests/a.yaml": {Data: []byte("cases: []")}}, "has no tests"},
	} {
		_, err := loadNotEncoded(t, strings.Replace(testNotEncoded, c.old, c.new, 1), c.extra)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
		if err != nil && !strings.Contains(err.Error(), "t/framework.yaml:") {
			t.Errorf("%s: %v does not name the file", c.name, err)
		}
	}
}

// TestNotEncodedReasonsDefined: the vocabulary file parses and each reason
// has an id and a meaning.
func TestNotEncodedReasonsDefined(t *testing.T) {
	rs := NotEncodedReasons()
	if len(rs) == 0 {
		t.Fatal("no reasons")
	}
	for _, r := range rs {
		if !idPattern.MatchString(strings.ReplaceAll(r.ID, "_", "-")) || r.Meaning == "" {
			t.Errorf("reason %+v: id must be snake_case and meaning given", r)
		}
	}
}
