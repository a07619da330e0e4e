package site

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"oversight/internal/fixture"
)

// TestAssessmentComparesWithTheRegister: the result of an assessment links
// to the register's deployments in the system's country and with each of
// its capabilities, as a city about to sign asks what others bought and
// from whom; a capability the register does not record gives no link.
func TestAssessmentComparesWithTheRegister(t *testing.T) {
	set := fixture.Set(3)
	code := set.Deployments[0].Jurisdiction
	s, _ := siteOf(t, set)
	form := url.Values{"deployment.jurisdiction": {code}, "system.capabilities": {"crowd_analytics", "remote_biometric_identification"}, "to": {"result"}}
	r := httptest.NewRequest("POST", "/assess", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != 200 {
		t.Fatalf("%d: %s", rec.Code, rec.Body)
	}
	page := rec.Body.String()
	for _, want := range []string{`href="/search?jurisdiction=` + code + `"`, `href="/search?technology=crowd_analytics"`, `href="/search?technology=remote_biometric_identification"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the result has no link %s", want)
		}
	}
	got := comparisons("KZ", "Kazakhstan", []string{"crowd_analytics"})
	want := "with " + label("capability", "crowd_analytics") + ", in every country"
	if len(got) != 2 || got[0].Words != "in Kazakhstan" || got[1].Words != want {
		t.Errorf("the comparisons' words: %+v, want %q and %q", got, "in Kazakhstan", want)
	}
	if got := comparisons("", "", []string{"not_a_capability"}); len(got) != 0 {
		t.Errorf("a capability the register lacks: %v", got)
	}
}
