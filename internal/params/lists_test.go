package params_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"oversight/internal/params"
	"oversight/internal/testcls"
	"oversight/registry"
)

// fieldErrors returns the field errors of err, each as "path: message".
func fieldErrors(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e, ok := err.(*registry.Error)
	if !ok {
		t.Fatalf("%T %v, want a *registry.Error", err, err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Path+": "+f.Msg)
	}
	return out
}

// TestJurisdictionsBounded: a list of codes longer than ISO 3166-1 has is
// refused with one error naming the parameter and the bound, however long
// it is, and a bad code is quoted clipped.
func TestJurisdictionsBounded(t *testing.T) {
	read := func(v string) ([]string, []string) {
		p := params.Read(url.Values{"jurisdiction": {v}}, params.Deployment...)
		js := p.DeploymentFilter().Jurisdictions
		return js, fieldErrors(t, p.Err())
	}
	if js, errs := read(strings.Repeat("SG,", params.MaxCodes-1) + "MY"); len(js) != params.MaxCodes || errs != nil {
		t.Errorf("%d codes: %d read, %v", params.MaxCodes, len(js), errs)
	}
	want := "query.jurisdiction: at most 249 codes"
	for _, n := range []int{params.MaxCodes + 1, 21000} {
		if js, errs := read(strings.Repeat("x,", n-1) + "x"); js != nil || len(errs) != 1 || errs[0] != want {
			t.Errorf("%d codes: %d read, errors %.200q; want one, %q", n, len(js), errs, want)
		}
	}
	if _, errs := read("SG," + strings.Repeat("x", 5000)); len(errs) != 1 || len(errs[0]) > 200 {
		t.Errorf("a long bad code: %.300q, want one error quoting it clipped", errs)
	}
}

// TestFrameworksBounded: a list naming more frameworks than the register
// encodes (one named again and again) is refused before any is selected,
// and so is a framework named twice.
func TestFrameworksBounded(t *testing.T) {
	cls := testcls.New(t, nil)
	read := func(ids []string) (int, []string) {
		p := params.Read(url.Values{"framework": {strings.Join(ids, ",")}}, "framework")
		got := p.Frameworks(cls)
		return len(got), fieldErrors(t, p.Err())
	}
	all := cls.FrameworkIDs()
	if n, errs := read(all); n != len(all) || errs != nil {
		t.Errorf("every framework once: %d selected, %v", n, errs)
	}
	again := make([]string, 4681)
	for i := range again {
		again[i] = all[0]
	}
	if n, errs := read(again); n != 0 || len(errs) != 1 || !strings.HasPrefix(errs[0], "query.framework: at most ") {
		t.Errorf("one framework named %d times: %d selected, errors %v", len(again), n, errs)
	}
	if n, errs := read(all[:1:1]); n != 1 || errs != nil {
		t.Errorf("one framework: %d selected, %v", n, errs)
	}
	if n, errs := read(append(all[:1:1], all[0])); n != 0 || len(errs) != 1 || !strings.Contains(errs[0], "named twice") {
		t.Errorf("one framework named twice: %d selected, errors %v", n, errs)
	}
}

// TestTierAndStateListsBounded: a list of tiers, or of a submission's
// states, longer than its vocabulary is refused with one error naming the
// parameter and the bound, and a value quoted in an error is clipped.
func TestTierAndStateListsBounded(t *testing.T) {
	cls := testcls.New(t, nil)
	fw := cls.FrameworkIDs()[0]
	tiers := params.TierNames()
	tier := func(v string) []string {
		p := params.Read(url.Values{"tier": {v}}, "tier")
		var f registry.DeploymentFilter
		p.Tier(cls, time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), &f)
		return fieldErrors(t, p.Err())
	}
	if errs := tier(fw + ":" + strings.Join(tiers, ",")); errs != nil {
		t.Errorf("every tier once: %v", errs)
	}
	many := fw + ":" + strings.Repeat(tiers[0]+",", 5000) + tiers[0]
	if errs := tier(many); len(errs) != 1 || !strings.HasPrefix(errs[0], "query.tier: at most ") {
		t.Errorf("a tier named 5,001 times: %.200q, want one error giving the bound", errs)
	}
	for _, v := range []string{strings.Repeat("x", 5000), fw + ":" + strings.Repeat("x", 5000)} {
		if errs := tier(v); len(errs) != 1 || len(errs[0]) > 200 {
			t.Errorf("a long bad tier: %.300q, want one error quoting it clipped", errs)
		}
	}
	state := func(v string) []string {
		p := params.Read(url.Values{"state": {v}}, "state")
		p.QueueFilter()
		return fieldErrors(t, p.Err())
	}
	if errs := state("pending,changes_requested"); errs != nil {
		t.Errorf("two states: %v", errs)
	}
	if errs := state(strings.Repeat("pending,", 8000) + "pending"); len(errs) != 1 || !strings.HasPrefix(errs[0], "query.state: at most ") {
		t.Errorf("a state named 8,001 times: %.200q, want one error giving the bound", errs)
	}
}
