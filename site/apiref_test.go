package site

import (
	"html"
	"strings"
	"testing"

	"oversight/api"
	"oversight/internal/fixture"
	"oversight/rules"
)

// TestAPIPage: the nav's "API" opens a page for people, not raw JSON: it
// lists every endpoint the API serves, links the OpenAPI description, and
// gives each tier code (and each other code the API answers in) beside
// the words the pages use for it, read from labels/en.json. A researcher
// could not tell "prohibited_unless_conditions_met" from what the pages
// call it.
func TestAPIPage(t *testing.T) {
	s, _ := siteOf(t, fixture.Set(3))
	page := pageOf(t, s, "/about/api")
	if !strings.Contains(page, `<a href="/about/api" aria-current="page">API</a>`) || strings.Contains(page, `<li><a href="/openapi.json">`) {
		t.Error("the nav's API link does not open the API page")
	}
	if !strings.Contains(page, `<a href="/openapi.json">/openapi.json</a>`) {
		t.Error("the page does not link the OpenAPI description")
	}
	for _, pattern := range api.Routes() {
		method, path, _ := strings.Cut(pattern, " ")
		if !strings.Contains(page, "<td>"+method+"</td><td><code>") || !strings.Contains(html.UnescapeString(page), path+"</") {
			t.Errorf("the page does not list %s", pattern)
		}
	}
	for _, tier := range rules.AllTiers {
		row := "<tr><td><code>" + string(tier) + "</code></td><td>" + html.EscapeString(label("tier", tier)) + "</td></tr>"
		if !strings.Contains(page, row) {
			t.Errorf("the page does not give the words for the tier %s: want %s", tier, row)
		}
	}
	if !strings.Contains(page, `<a href="/api/v1/deployments">`) || strings.Contains(page, `<a href="/api/v1/scenarios">`) {
		t.Error("want links to the endpoints a browser opens as they are, and none to one needing a parameter")
	}
}
