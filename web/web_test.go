package web

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"oversight/analysis"
	"oversight/internal/fixture"
	"oversight/internal/ratelimit"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/rules"
	"oversight/store"
)

// serveSet serves a register holding set, with curated fact documents.
func serveSet(t *testing.T, set *registry.Set, facts map[string]*rules.Facts) (*httptest.Server, *store.DB) {
	t.Helper()
	h, db := handlerFor(t, set, facts)
	return testreg.Serve(t, h), db
}

// handlerFor is the handler of a register holding set, with curated fact
// documents, its tiers projected first, as a server that has run before
// finds them.
// It takes the server's options when given (unlimited otherwise).
func handlerFor(t testing.TB, set *registry.Set, facts map[string]*rules.Facts, o ...Options) (http.Handler, *store.DB) {
	t.Helper()
	return handlerOf(t, testreg.Open(t, set), facts, o...)
}

// handlerOf is handlerFor of a register already filled.
func handlerOf(t testing.TB, db *store.DB, facts map[string]*rules.Facts, o ...Options) (http.Handler, *store.DB) {
	t.Helper()
	cls := testcls.New(t, facts)
	testreg.ProjectTiers(t, db, cls)
	opts := unlimited
	if len(o) > 0 {
		opts = o[0]
	}
	h, err := NewWithOptions(db, cls, opts)
	if err != nil {
		t.Fatal(err)
	}
	return h, db
}

// unlimited serves tests that send many writes from one client: only the
// rate limits' own test keeps them.
var unlimited = Options{Writes: ratelimit.Limit{Rate: 1e6, Burst: 1e6}, Logins: ratelimit.Limit{Rate: 1e6, Burst: 1e6}}

// TestSideBySide checks that the API and the pages each answer a path they
// do not know in their own format.
func TestSideBySide(t *testing.T) {
	srv, _ := serveSet(t, fixture.Set(2), nil)
	for _, c := range []struct {
		path, ctype string
		status      int
	}{
		{"/api/v1/nothing-here", "application/problem+json", 404},
		{"/api/v1/deployments/nope", "application/problem+json", 404},
		{"/nothing-here", "text/html; charset=utf-8", 404},
		{"/deployments/nope", "text/html; charset=utf-8", 404},
		{"/healthz", "application/json", 200},
		{"/openapi.json", "application/json", 200},
		{"/", "text/html; charset=utf-8", 200},
	} {
		resp, b := testreg.Get(t, srv, c.path)
		if resp.StatusCode != c.status || resp.Header.Get("Content-Type") != c.ctype {
			t.Errorf("%s: %d %s, want %d %s: %.200s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), c.status, c.ctype, b)
		}
	}
	req, _ := http.NewRequest("DELETE", srv.URL+"/search", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || !strings.Contains(resp.Header.Get("Allow"), "GET") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("DELETE /search: %d, Allow %q, %s", resp.StatusCode, resp.Header.Get("Allow"), resp.Header.Get("Content-Type"))
	}
}

// TestCacheFollowsTheLog checks that a cached answer is replaced as soon
// as the log grows, and that exports are never cached.
func TestCacheFollowsTheLog(t *testing.T) {
	db := testreg.Open(t, fixture.Set(3))
	h, err := New(db, testcls.New(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	s := h.(*server)
	count := func() int {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/deployments?limit=1000", nil))
		return strings.Count(rec.Body.String(), `"id":"synthetic-`)
	}
	if a, b := count(), count(); a != 3 || b != 3 {
		t.Fatalf("before: %d and %d deployments, want 3", a, b)
	}
	if _, err := db.Apply(context.Background(), fixture.Set(5), store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(sizeTTL)
	if n := count(); n != 5 {
		t.Errorf("after the log grew: %d deployments, want 5", n)
	}
	// Served in this goroutine: the cache stores an answer after the
	// client has it.
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/export?format=csv", nil))
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	if len(s.cache.entries) == 0 {
		t.Fatal("the response cache was not used; the next check proves nothing")
	}
	for key := range s.cache.entries {
		if strings.Contains(key, "/api/v1/export") {
			t.Errorf("the response cache holds an export: %s", key)
		}
	}
}

// TestPagesCut checks that the scenario and vendor pages list the first
// analysis.ListMax deployments and link to the rest.
func TestPagesCut(t *testing.T) {
	rows := func(page string) int { return strings.Count(page, `<tr><td><a href="/deployments/`) }
	srv, _ := serveSet(t, fixture.Set(2*analysis.ListMax+50), nil)
	resp, b := testreg.Get(t, srv, "/scenarios?framework=apac-baseline")
	if page := string(b); resp.StatusCode != 200 || rows(page) != analysis.ListMax ||
		!strings.Contains(page, "100 of 250 on this page") || !strings.Contains(page, `rel="next"`) {
		t.Errorf("scenario page: %d, %d rows", resp.StatusCode, rows(page))
	}
	srv, _ = serveSet(t, fixture.Set(7*analysis.ListMax), nil) // vendor-a supplies half
	resp, b = testreg.Get(t, srv, "/vendors/vendor-a")
	if page := string(b); resp.StatusCode != 200 || rows(page) != analysis.ListMax ||
		!strings.Contains(page, "the first 100 of 350") || !strings.Contains(page, `href="/search?vendor=vendor-a"`) {
		t.Errorf("vendor page: %d, %d rows", resp.StatusCode, rows(page))
	}
	// The map counts all 350, by jurisdiction, beyond the rows listed
	// (each region's label is its link's aria-label and its title).
	mapped := 0
	for _, m := range regexp.MustCompile(`aria-label="[^"]*: (\d+) deployment\(s\)"`).FindAllStringSubmatch(string(b), -1) {
		n, _ := strconv.Atoi(m[1])
		mapped += n
	}
	if mapped != 350 {
		t.Errorf("vendor page's map counts %d deployments, want 350", mapped)
	}
}

// TestSecurityHeaders checks that every response carries the security
// headers (pages, API, files, errors, and answers from the cache) and that
// /static/ lists no directory.
func TestSecurityHeaders(t *testing.T) {
	srv, _ := serveSet(t, fixture.Set(2), nil)
	for _, path := range []string{"/", "/", "/api/v1/deployments", "/api/v1/deployments", "/static/style.css", "/nothing", "/api/v1/nothing", "/static/", "/search?year_from=abc"} {
		resp, _ := testreg.Get(t, srv, path)
		for k, v := range securityHeaders {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s: %s %q, want %q", path, k, got, v)
			}
		}
	}
	// The other kinds of answer: the log's checkpoint and tiles, redirects
	// (a sign-in asked for, the mux cleaning a path), writes refused (a
	// body of the wrong type, a form without its token), a revalidated
	// answer (304), HEAD.
	c := newClient(t, srv.URL, "")
	etag := c.do("GET", "/api/v1/deployments", nil).header.Get("ETag")
	for _, r := range []struct {
		method, path string
		body         any
		hdr          []string
		status       int
	}{
		{"GET", "/log/checkpoint", nil, nil, 200},
		{"GET", "/log/tile/0/000.p/2", nil, nil, 200},
		{"GET", "/log/tile/9/999", nil, nil, 404},
		{"GET", "/review", nil, nil, http.StatusSeeOther},
		{"GET", "/a/../deployments", nil, nil, http.StatusTemporaryRedirect},
		{"POST", "/api/v1/submissions", url.Values{"a": {"b"}}, nil, http.StatusUnsupportedMediaType},
		{"POST", "/submit", url.Values{"a": {"b"}}, nil, http.StatusBadRequest},
		{"GET", "/api/v1/deployments", nil, []string{"If-None-Match", etag}, http.StatusNotModified},
		{"HEAD", "/", nil, nil, 200},
	} {
		a := c.do(r.method, r.path, r.body, r.hdr...)
		if a.status != r.status {
			t.Errorf("%s %s: %d, want %d", r.method, r.path, a.status, r.status)
		}
		for k, v := range securityHeaders {
			if got := a.header.Get(k); got != v {
				t.Errorf("%s %s (%d): %s %q, want %q", r.method, r.path, a.status, k, got, v)
			}
		}
	}
	if resp, b := testreg.Get(t, srv, "/static/"); resp.StatusCode != 404 || strings.Contains(string(b), `href="style.css"`) {
		t.Errorf("/static/: %d, lists the directory: %v", resp.StatusCode, strings.Contains(string(b), `href="style.css"`))
	}
	if !strings.Contains(securityHeaders["Content-Security-Policy"], "frame-ancestors 'none'") {
		t.Error("the policy lets other sites frame the pages")
	}
}

// TestShedding checks that requests past the shedder's bound wait briefly
// and are then answered 503 with Retry-After, while the ones admitted are
// served.
func TestShedding(t *testing.T) {
	sh := newShedder(1, 20*time.Millisecond, 3*time.Second)
	release := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release; w.Write([]byte("ok")) })
	first := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { sh.serve(first, httptest.NewRequest("GET", "/", nil), slow); close(done) }()
	for held, _ := busy(sh); held == 0; held, _ = busy(sh) {
		time.Sleep(time.Millisecond)
	}
	shedRec := httptest.NewRecorder()
	sh.serve(shedRec, httptest.NewRequest("GET", "/", nil), slow)
	if shedRec.Code != 503 || shedRec.Header().Get("Retry-After") != "3" {
		t.Errorf("past the bound: %d, Retry-After %q", shedRec.Code, shedRec.Header().Get("Retry-After"))
	}
	close(release)
	<-done
	if first.Code != 200 || first.Body.String() != "ok" {
		t.Errorf("the admitted request: %d %q", first.Code, first.Body.String())
	}
	again := httptest.NewRecorder()
	sh.serve(again, httptest.NewRequest("GET", "/", nil), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	if again.Code != 200 {
		t.Errorf("after the place freed: %d", again.Code)
	}
}

// TestLogMounted: the log's tiles, checkpoint and key are served beside the
// API and the pages, each path the tiles do not know answered by them.
func TestLogMounted(t *testing.T) {
	t.Parallel()
	srv, db := builtinRegister(t)
	for path, want := range map[string]int{"/log/checkpoint": 200, "/log/key": 200, "/log/tile/0/000": 200, "/log/tile/entries/000": 200, "/log/nope": 404, "/log/tile/0/x999/999": 404} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || strings.Contains(resp.Header.Get("Content-Type"), "html") {
			t.Errorf("%s: %s %s", path, resp.Status, resp.Header.Get("Content-Type"))
		}
		if path == "/log/key" && strings.TrimSpace(string(b)) != db.Key().Public {
			t.Errorf("/log/key serves %q, not the log's key", b)
		}
	}
}

// TestReleasePages: the releases page lists each release with what changed
// since the one before; a release's page lists the changes with their
// reasons; the register as of a release downloads as JSON that imports.
func TestReleasePages(t *testing.T) {
	t.Parallel()
	srv, db := builtinRegister(t)
	ctx := context.Background()
	if _, err := db.AddRelease(ctx, "2026-12", "The first.", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Retract(ctx, "deployment", "pk-islamabad-safe-city", store.Meta{Author: "rev", Reason: "a test retraction"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddRelease(ctx, "2027-01", "", time.Now()); err != nil {
		t.Fatal(err)
	}
	// The deployment and, by a revision of their own, its facts.
	for path, wants := range map[string][]string{
		"/releases":                       {"2027-01", "2026-12", ">2</td>"},
		"/releases/2027-01":               {"retracted", "a test retraction", "pk-islamabad-safe-city"},
		"/api/v1/releases/2026-12/export": {`"deployments": [`, `"id":"pk-islamabad-safe-city"`},
		"/api/v1/releases/2027-01":        {`"retracted":2`, `"what":"retracted"`},
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range wants {
			if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
				t.Errorf("%s: %s, without %q", path, resp.Status, want)
			}
		}
	}
	if resp, _ := http.Get(srv.URL + "/releases/nope"); resp.StatusCode != 404 {
		t.Errorf("/releases/nope: %s", resp.Status)
	}
}

// TestHistoryPage: the history of changes shows the newest change first,
// with its reason and the field it changed, before and after.
func TestHistoryPage(t *testing.T) {
	t.Parallel()
	srv, db := builtinRegister(t)
	ctx := context.Background()
	e, err := db.Get(ctx, "deployment", "pk-islamabad-safe-city")
	if err != nil {
		t.Fatal(err)
	}
	d := *e.(*registry.Deployment)
	d.Title = "Islamabad Safe City Project, renamed in a test"
	if _, err := db.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{&d}}, store.Meta{Author: "rev", Reason: "a test rename"}, nil); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.URL + "/history")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	first := strings.Index(page, "<section class=\"change\">")
	for _, want := range []string{"by rev", "Reason: a test rename", "<tr><td>title</td>", "renamed in a test"} {
		if i := strings.Index(page, want); i < first || i > strings.Index(page[first+1:], "<section")+first+1 {
			t.Errorf("the newest change does not show %q", want)
		}
	}
}

// TestFeed: the Atom feed of changes is well-formed XML whose newest entry
// is the newest revision.
func TestFeed(t *testing.T) {
	t.Parallel()
	srv, db := builtinRegister(t)
	resp, err := http.Get(srv.URL + "/feed.atom")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var f struct {
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&f); err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("%v %s", err, resp.Header.Get("Content-Type"))
	}
	size, _ := db.Size(context.Background())
	if len(f.Entries) != 50 || !strings.HasSuffix(f.Entries[0].ID, "/api/v1/log/revisions/"+strconv.FormatInt(size-1, 10)) {
		t.Errorf("%d entries, the first %+v", len(f.Entries), f.Entries[0])
	}
}

// TestSearchPageAndCSVAgree: a search of several countries and a
// subregion lists, on the page, the deployments its CSV download holds.
func TestSearchPageAndCSVAgree(t *testing.T) {
	t.Parallel()
	srv := builtinServer(t)
	for _, q := range []string{"jurisdiction=MM&jurisdiction=LA", "jurisdiction=MM,LA", "subregion=southeast_asia&vendor=huawei", "vendor=huawei&vendor=hikvision"} {
		resp, err := http.Get(srv.URL + "/search?" + q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := map[string]bool{}
		for _, m := range regexp.MustCompile(`<tr><td><a href="/deployments/([a-z0-9-]+)">`).FindAllStringSubmatch(string(b), -1) {
			page[m[1]] = true
		}
		link := regexp.MustCompile(`href="(/api/v1/export\?[^"]*format=csv[^"]*)"`).FindStringSubmatch(string(b))
		if len(link) < 2 || len(page) == 0 {
			t.Fatalf("%s: %d rows, csv link %v", q, len(page), link)
		}
		resp, err = http.Get(srv.URL + html.UnescapeString(link[1]))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		csvIDs := map[string]bool{}
		for _, r := range rows[1:] {
			csvIDs[r[0]] = true
		}
		if !maps.Equal(page, csvIDs) {
			t.Errorf("%s: the page lists %v, its CSV %v", q, page, csvIDs)
		}
	}
}

// TestFacetCounts: beside each country, technology and status the search
// offers, the count of what choosing it would list, which is what the page
// then lists.
func TestFacetCounts(t *testing.T) {
	t.Parallel()
	srv := builtinServer(t)
	get := func(q string) string {
		resp, err := http.Get(srv.URL + "/search?" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	rows := regexp.MustCompile(`<tr><td><a href="/deployments/`)
	page := get("subregion=southeast_asia")
	checked := 0
	for _, facet := range []struct{ param, select_ string }{{"jurisdiction", "jurisdiction"}, {"technology", "technology"}, {"status", "status"}} {
		sel := regexp.MustCompile(`(?s)<select id="` + facet.select_ + `".*?</select>`).FindString(page)
		for _, m := range regexp.MustCompile(`<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>`).FindAllStringSubmatch(sel, -1) {
			n, _ := strconv.Atoi(m[2])
			if n == 0 {
				continue
			}
			got := len(rows.FindAllString(get("subregion=southeast_asia&"+facet.param+"="+m[1]), -1))
			if got != n {
				t.Errorf("%s=%s: the count says %d, the page lists %d", facet.param, m[1], n, got)
			}
			checked++
		}
	}
	if checked < 5 {
		t.Errorf("only %d counts checked", checked)
	}
}
