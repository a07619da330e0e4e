package web

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"oversight/store"
)

var recordArea = regexp.MustCompile(`(?s)<textarea id="record" name="record"[^>]*>(.*?)</textarea>`)

// TestReviewRecordStrict: the record a reviewer edits on the review page is
// read as an import reads a file (ingest.DecodeJSON), so that what the API
// and imports refuse cannot be logged through the form instead: a key
// twice (encoding/json keeps the last), a field name in another case (it
// matches any case), text after the record (a Decoder stops before it),
// invalid UTF-8 (replaced by U+FFFD). An edit without them is accepted.
func TestReviewRecordStrict(t *testing.T) {
	onBoth(t, func(t *testing.T, srv *httptest.Server, db *store.DB) {
		p := newPrincipals(t, srv, db)
		page := p.reviewer.do("GET", "/review/"+p.submission, nil)
		m := recordArea.FindStringSubmatch(page.body)
		if page.status != http.StatusOK || m == nil {
			t.Fatalf("GET /review/%s: %d, no record to edit", p.submission, page.status)
		}
		record := strings.TrimSpace(html.UnescapeString(m[1]))
		const title = `"title": "`
		if !strings.HasPrefix(record, "{") || !strings.Contains(record, title) {
			t.Fatalf("the record to edit is not a deployment's JSON:\n%s", record)
		}
		decide := func(edit string) answer {
			return p.reviewer.do("POST", "/review/"+p.submission, url.Values{"action": {"accept"}, "record": {edit},
				"csrf": {p.reviewer.formToken("/review/" + p.submission)}})
		}
		for name, edit := range map[string]string{
			"a key twice":         strings.Replace(record, "{", `{"title": "A title said first",`, 1),
			"a field in capitals": strings.Replace(record, `"title":`, `"Title":`, 1),
			"text after it":       record + "}",
			"invalid UTF-8":       strings.Replace(record, title, title+"\xff", 1),
		} {
			if a := decide(edit); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "not a record in the import format") {
				t.Errorf("an edited record with %s: %d, want 422 saying it is not a record in the import format", name, a.status)
			}
		}
		if a := decide(strings.Replace(record, title, title+"Edited: ", 1)); a.status != http.StatusSeeOther {
			t.Errorf("a well-formed edit: %d %.500s", a.status, a.body)
		}
	})
}
