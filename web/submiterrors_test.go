package web

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"oversight/contrib"
	"oversight/internal/fixture"
)

// TestSubmitErrorsInFormWords: each field of the contribution form, sent a
// bad value, is refused in the form's own words: the error links to the
// field, names it by its label and says what to do, with none of the
// import's wording (paths such as record.title, "slug", "batch", "BCP 47").
func TestSubmitErrorsInFormWords(t *testing.T) {
	t.Parallel()
	srv, _ := serveSet(t, fixture.Set(2), nil)
	valid := url.Values{"kind": {"new"}, "title": {"A test deployment"}, "jurisdiction": {"PK"}, "status": {"unknown"}, "certainty": {"reported"},
		"message": {"seen in the news"}, "evidence0.url": {"https://example.org/a"}}
	internal := regexp.MustCompile(`record\.|evidence\[|<code>|slug|batch|BCP 47|is required|is not a known|not an http`)
	for _, c := range []struct{ field, value, label string }{
		{"target", "synthetic-pk-0000000", "Record it concerns"},
		{"pseudonym", strings.Repeat("x", 60), "Pseudonym"},
		{"evidence0.url", "not a url", "Source 1, address (URL)"},
		{"evidence0.url", "", "Evidence"},
		{"evidence0.published", "yesterday", "Source 1, published"},
		{"evidence0.language", "english", "Source 1, language of the page"},
		{"evidence0.original", "texte", "Source 1, the quote in the page"},
		{"title", "", "Title"},
		{"jurisdiction", "ZZ", "Country or territory"},
		{"jurisdiction", "kaz", "Country or territory"},
		{"place.level", "moon", "Place is a"},
		{"operator.kind", "alien", "Operator is"},
		{"capabilities", "mindreading", "Capabilities"},
		{"purposes", "fun", "Purposes"},
		{"vendor0.id", "Not A Slug", "Vendor 1"},
		{"status", "zzz", "Status"},
		{"certainty", "", "How sure are the sources?"},
	} {
		b := newClient(t, srv.URL, "")
		form := url.Values{"csrf": {b.formToken("/submit")}}
		for k, v := range valid {
			form[k] = v
		}
		form.Set(c.field, c.value)
		a := b.do("POST", "/submit", form)
		errs := regexp.MustCompile(`(?s)<div role="alert" class="error">(.*?)</div>`).FindStringSubmatch(a.body)
		if a.status != 422 || errs == nil {
			t.Errorf("%s=%q: %d, no list of errors", c.field, c.value, a.status)
			continue
		}
		for _, li := range regexp.MustCompile(`<li>(.*?)</li>`).FindAllStringSubmatch(errs[1], -1) {
			if !strings.HasPrefix(li[1], `<a href="#`) || internal.MatchString(li[1]) {
				t.Errorf("%s=%q: %s: not in the form's words, or links to no field", c.field, c.value, li[1])
			}
		}
		if !strings.Contains(strings.ReplaceAll(errs[1], "&#39;", "'"), `">`+c.label) {
			t.Errorf("%s=%q: no error names the field %q: %s", c.field, c.value, c.label, errs[1])
		}
	}
}

// TestSubmitReportsEveryProblemAtOnce: a submission with problems of every
// kind the form checks (a value no field holds, the proposal's own, the
// record's, and what it says of the register) is refused with all of them
// listed, not the first kind alone, and nothing of it is kept; past
// shownErrors problems the list stops and counts the rest.
func TestSubmitReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	srv, db := serveSet(t, fixture.Set(2), nil)
	send := func(bad url.Values) string {
		b := newClient(t, srv.URL, "")
		form := url.Values{"csrf": {b.formToken("/submit")}, "kind": {"new"}, "title": {"A test deployment"}, "jurisdiction": {"PK"},
			"status": {"unknown"}, "certainty": {"reported"}, "message": {"seen in the news"}, "evidence0.url": {"https://example.org/a"}}
		for k, v := range bad {
			form[k] = v
		}
		a := b.do("POST", "/submit", form)
		errs := regexp.MustCompile(`(?s)<div role="alert" class="error">(.*?)</div>`).FindStringSubmatch(a.body)
		if a.status != 422 || errs == nil {
			t.Fatalf("%d, no list of errors", a.status)
		}
		return strings.ReplaceAll(errs[1], "&#39;", "'")
	}
	errs := send(url.Values{"evidence0.published": {"yesterday"}, "pseudonym": {"-not a name"}, "title": {""},
		"vendor0.id": {"no-such-vendor"}, "jurisdiction": {"ZZ"}})
	for _, label := range []string{"Source 1, published", "Pseudonym", "Title", "Vendor 1", "Country or territory"} {
		if !strings.Contains(errs, `">`+label) {
			t.Errorf("no error names %q: %s", label, errs)
		}
	}
	// Sixty capabilities the register does not have: sixty problems.
	var caps []string
	for i := range 60 {
		caps = append(caps, "not-a-capability-"+strconv.Itoa(i))
	}
	errs = send(url.Values{"capabilities": caps, "title": {""}})
	if n := strings.Count(errs, "<li>"); n != 50 || !strings.Contains(errs, "And 11 problems more") {
		t.Errorf("61 problems: %d listed, and the rest counted? %s", n, errs[strings.LastIndex(errs, "</ul>"):])
	}
	subs, err := db.Queue(t.Context(), contrib.QueueFilter{})
	if err != nil || len(subs) != 0 {
		t.Errorf("%d submissions kept (%v), want none", len(subs), err)
	}
}
