package site

import (
	"html"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"oversight/data"
	"oversight/frameworks"
	"oversight/registry"
)

// TestNotEncodedPages: every page that lists or compares frameworks names
// a law the register could not encode as such: the country page with the
// law, why, and a source to open; the frameworks page and the framework's
// own page with "not encoded" and no rules; the scenario page with the law
// beside its country and no "no binding law"; and a scenario under it is
// refused, saying why.
func TestNotEncodedPages(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := siteOf(t, set)
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, list := get("/frameworks/")
	n := 0
	for _, fw := range fws {
		if fw.Encoded() {
			continue
		}
		n++
		u := unreadOf(fw, time.Now())
		code, body := get("/countries/" + fw.Binds[0])
		if code != 200 {
			t.Fatalf("%s: country page %d", fw.ID, code)
		}
		for _, want := range []string{
			`The register cannot encode <a href="/frameworks/` + fw.ID + `">` + html.EscapeString(fw.Title) + `</a>`,
			html.EscapeString(label("reason not encoded", fw.NotEncoded.Reasons[0])),
			`href="` + html.EscapeString(u.Source.URL) + `"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the country page lacks %s", fw.ID, want)
			}
		}
		for _, not := range []string{"knows of no binding", "encodes none of"} {
			if strings.Contains(body, not) {
				t.Errorf("%s: the country page says %q", fw.ID, not)
			}
		}
		if !strings.Contains(list, `<a href="/frameworks/`+fw.ID+`">`) {
			t.Errorf("%s: not on the frameworks page", fw.ID)
		}
		code, body = get("/frameworks/" + fw.ID)
		if code != 200 || !strings.Contains(body, "<h2>Not encoded</h2>") || strings.Contains(body, "<h2>Rules</h2>") ||
			strings.Contains(body, "What would it change?") {
			t.Errorf("%s: framework page %d does not say it is not encoded, or offers rules or a scenario", fw.ID, code)
		}
		code, body = get("/scenarios?framework=eu-ai-act&jurisdiction=" + fw.Binds[0])
		if code != 200 || !strings.Contains(body, html.EscapeString(fw.ShortTitle)+`</a> (not encoded)`) ||
			strings.Contains(body, "no binding law in the register") {
			t.Errorf("%s: the scenario page (%d) does not name the law as not encoded", fw.ID, code)
		}
		// The questionnaire's result for a system in that country names the
		// law, not "no law of the country".
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/assess", strings.NewReader("deployment.jurisdiction="+fw.Binds[0]+"&to=result"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		s.ServeHTTP(rec, req)
		if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, `<a href="/frameworks/`+fw.ID+`">`) ||
			strings.Contains(body, "The register has no law of") {
			t.Errorf("%s: the assessment (%d) does not name the law not encoded", fw.ID, rec.Code)
		}
		if d := deploymentIn(set, fw.Binds[0]); d != "" {
			if code, body := get("/deployments/" + d); code != 200 || !strings.Contains(body, `<a href="/frameworks/`+fw.ID+`">`) {
				t.Errorf("%s: the page of %s (%d) does not name the law not encoded", fw.ID, d, code)
			}
		}
		code, body = get("/scenarios?framework=" + fw.ID)
		if code != 400 || !strings.Contains(body, "is not encoded") {
			t.Errorf("%s: a scenario under it answers %d, not a refusal saying why", fw.ID, code)
		}
	}
	if n == 0 {
		t.Fatal("no framework is not encoded: nothing tested")
	}
	if !strings.Contains(list, "none: not encoded") {
		t.Error("the frameworks page does not mark laws not encoded")
	}
}

// TestAdoptedLawNotCalledBinding: a law not encoded that was adopted but
// whose commencement the sources do not give (Bangladesh's Ordinance of
// 2025) is not called "a law that binds here" on the country, deployment,
// framework and assessment pages, as a researcher quoting the country
// page would say it is in force; one in force (Turkmenistan's) still is.
func TestAdoptedLawNotCalledBinding(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := siteOf(t, set)
	const notYet = "the sources read do not confirm that it is in force"
	assess := func(code string) string {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/assess", strings.NewReader("deployment.jurisdiction="+code+"&to=result"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		s.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	for _, c := range []struct {
		law, code string
		inForce   bool
	}{{"bd-pdp-ordinance", "BD", false}, {"tm-private-life-law", "TM", true}} {
		pages := map[string]string{
			"country":    pageOf(t, s, "/countries/"+c.code),
			"deployment": pageOf(t, s, "/deployments/"+deploymentIn(set, c.code)),
			"framework":  pageOf(t, s, "/frameworks/"+c.law),
			"assessment": assess(c.code),
		}
		binds := map[string]string{"country": "a law that binds here", "deployment": "</a> binds here", "framework": "This law binds,", "assessment": "</a> binds in "}
		scenario := pageOf(t, s, "/scenarios?framework=eu-ai-act&jurisdiction="+c.code)
		if got := strings.Contains(scenario, "(not encoded), not confirmed in force"); got == c.inForce {
			t.Errorf("%s: the scenario page says it is not confirmed in force: %v, want %v", c.law, got, !c.inForce)
		}
		if strings.Contains(scenario, "a law binds that the register could not encode") {
			t.Errorf("%s: the scenario's summary says a law binds", c.law)
		}
		for name, page := range pages {
			if got := strings.Contains(page, binds[name]); got != c.inForce {
				t.Errorf("%s: the %s page says %q: %v, want %v", c.law, name, binds[name], got, c.inForce)
			}
			if got := strings.Contains(page, notYet); got == c.inForce {
				t.Errorf("%s: the %s page says %q: %v, want %v", c.law, name, notYet, got, !c.inForce)
			}
		}
	}
}

func deploymentIn(set *registry.Set, code string) string {
	for _, d := range set.Deployments {
		if d.Jurisdiction == code {
			return d.ID
		}
	}
	return ""
}
