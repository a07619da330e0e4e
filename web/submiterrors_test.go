package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

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
