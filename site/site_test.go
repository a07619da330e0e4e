package site

import (
	"context"
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/internal/memo"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/rules"
	"oversight/store"
)

// TestDeploymentPageQueries checks that a deployment page reads one
// snapshot of the register in at most four queries: the log size, the
// deployment, its history, and every vendor, lender and jurisdiction it
// names at once.
func TestDeploymentPageQueries(t *testing.T) {
	set := fixture.Set(3)
	d := set.Deployments[0]
	// Two vendors: one query reads both.
	d.Vendors = append(d.Vendors, registry.VendorRole{Vendor: "vendor-b", Role: "equipment", Sources: []string{"a"}})
	db := testreg.Open(t, set)
	var snaps []*store.Snapshot
	s, err := New(Config{
		Open: func(ctx context.Context) (Reader, error) {
			sn, err := db.Snapshot(ctx)
			snaps = append(snaps, sn)
			return sn, err
		},
		Classifier: testcls.New(t, nil), Memo: memo.New(8), Now: time.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/deployments/"+d.ID, nil))
	if rec.Code != 200 {
		t.Fatalf("%d: %s", rec.Code, rec.Body)
	}
	for _, name := range []string{"Synthetic vendor-a", "Synthetic vendor-b", "Pakistan (synthetic)"} {
		if !strings.Contains(rec.Body.String(), name) {
			t.Errorf("the page does not name %s, which one query read", name)
		}
	}
	if len(snaps) != 1 {
		t.Fatalf("the page opened %d snapshots, want 1", len(snaps))
	}
	if n := snaps[0].Queries(); n > 4 {
		t.Errorf("the page ran %d queries, want at most 4", n)
	}
}

// TestChangeFormKeepsSources: a change sent from the form keeps the
// sources (and notes) of the facts it leaves as they were, and cites the
// evidence for those it changes.
func TestChangeFormKeepsSources(t *testing.T) {
	set := fixture.Set(2)
	d := set.Deployments[0]
	d.Status.Note = "as of the last report"
	db := testreg.Open(t, set)
	sn, err := db.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	form := url.Values{"kind": {"change"}, "target": {d.ID}, "title": {d.Title}, "jurisdiction": {d.Jurisdiction},
		"operator.name": {d.Operator.Name}, "operator.kind": {d.Operator.Kind}, "status": {d.Status.Value},
		"capabilities": {"cctv", "remote_biometric_identification"}, "purposes": d.System.Purposes,
		"vendor0.id": {d.Vendors[0].Vendor}, "vendor0.role": {d.Vendors[0].Role}, "vendor1.id": {"vendor-b"}, "vendor1.role": {"integrator"},
		"certainty": {d.Certainty}, "evidence0.url": {"https://example.org/new"}}
	r := httptest.NewRequest("POST", "/submit", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.ParseForm()
	p, err := proposalFromForm(r, sn)
	if err != nil {
		t.Fatal(err)
	}
	got := p.Record
	if !slices.Equal(got.Operator.Sources, []string{"a"}) || !slices.Equal(got.Status.Sources, []string{"a"}) || got.Status.Note != d.Status.Note ||
		!slices.Equal(got.Vendors[0].Sources, []string{"a"}) {
		t.Errorf("unchanged facts lost their sources: operator %v, status %+v, vendor %v", got.Operator.Sources, got.Status, got.Vendors[0].Sources)
	}
	if !slices.Equal(got.System.Sources, []string{"e1"}) || !slices.Equal(got.Vendors[1].Sources, []string{"e1"}) {
		t.Errorf("changed facts do not cite the evidence: system %v, new vendor %v", got.System.Sources, got.Vendors[1].Sources)
	}
	if errs := p.Check(); len(errs) > 0 {
		t.Errorf("the change fails its checks: %v", errs)
	}
}

// TestDeploymentPageCreditsOrigin: a record imported from a dataset shows,
// on its page, the dataset, the row it came from, the licence with the
// page that grants it, and the credit the licence asks for.
func TestDeploymentPageCreditsOrigin(t *testing.T) {
	set := fixture.Set(1)
	d := set.Deployments[0]
	d.Origin = &registry.Origin{
		Dataset: "aiddata-gcdf-3", Title: "AidData's Global Chinese Development Finance Dataset, Version 3.0",
		Version: "3.0", Published: registry.Date{Year: 2023, Month: 11, Day: 6}, Publisher: "AidData at William & Mary",
		Licence: "ODC-By-1.0", LicenceURL: "https://opendatacommons.org/licenses/by/1-0/",
		LicenceFrom: "https://github.com/aiddata/gcdf-geospatial-data/blob/03b0f9d81e81a035035ef229b6c369ff4f25b116/LICENSE.md",
		Attribution: "AidData. 2023. Global Chinese Development Finance Dataset, Version 3.0.",
		Row:         "63248", RowURL: "https://china.aiddata.org/projects/63248",
	}
	s, _ := siteOf(t, set)
	body := pageOf(t, s, "/deployments/"+d.ID)
	for _, want := range []string{
		`<a href="https://china.aiddata.org/projects/63248" rel="noopener noreferrer">row 63248</a>`,
		"<cite>AidData&#39;s Global Chinese Development Finance Dataset, Version 3.0</cite>",
		`<a href="https://opendatacommons.org/licenses/by/1-0/" rel="license noopener noreferrer">ODC-By-1.0</a>`,
		`href="https://github.com/aiddata/gcdf-geospatial-data/blob/03b0f9d81e81a035035ef229b6c369ff4f25b116/LICENSE.md"`,
		"Credit: AidData. 2023. Global Chinese Development Finance Dataset, Version 3.0.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// TestDeploymentPageNamesMissingFacts: the facts that would decide an
// undecided result are named in words (labels/en.json, "fact field"), not
// by their schema paths, which a reader of the page cannot use.
func TestDeploymentPageNamesMissingFacts(t *testing.T) {
	set := fixture.Set(1)
	d := set.Deployments[0]
	s, _ := siteOf(t, set)
	const lead = "<p>Facts that would decide it: "
	paras := strings.Split(pageOf(t, s, "/deployments/"+d.ID), lead)[1:]
	if len(paras) == 0 {
		t.Fatal("no result of the page lists the facts that would decide it")
	}
	named := map[string]bool{}
	for _, l := range labels["fact field"] {
		named[l] = true
	}
	for _, p := range paras {
		p, _, _ = strings.Cut(p, "</p>")
		for _, item := range strings.Split(strings.TrimSuffix(p, "."), "; ") {
			if !named[html.UnescapeString(item)] {
				t.Errorf("missing fact %q: want its name from the label file, alone", item)
			}
		}
	}
}

// TestFactName: a fact the label file names is named in its words; one it
// does not is shown as its path, for TestNoRawCodes (web) to catch, not
// as words made up from the path.
func TestFactName(t *testing.T) {
	if got := factName("safeguards.alternative_offered"); got != labels["fact field"]["safeguards.alternative_offered"] || got == "" {
		t.Errorf("a labelled fact is named %q", got)
	}
	if got := factName("safeguards.no_such_fact"); got != "safeguards.no_such_fact" {
		t.Errorf("a fact without a label is named %q, want its path", got)
	}
}

// pageOf is the page at path, which must be answered 200.
func pageOf(t *testing.T, s *Site, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 200 {
		t.Fatalf("%s: %d: %s", path, rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// siteOf serves the pages of a register holding set, classified under the
// built-in frameworks.
func siteOf(t testing.TB, set *registry.Set) (*Site, *store.DB) {
	t.Helper()
	return siteWith(t, set, nil)
}

// siteWith is siteOf with curated fact documents, keyed by deployment id.
func siteWith(t testing.TB, set *registry.Set, facts map[string]*rules.Facts) (*Site, *store.DB) {
	t.Helper()
	db := testreg.Open(t, set)
	s, err := New(Config{
		Open:       func(ctx context.Context) (Reader, error) { return db.Snapshot(ctx) },
		Classifier: testcls.New(t, facts), Memo: memo.New(16), Now: time.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// TestDeploymentPageCitesVendorsAndLoans: each vendor and each loan on a
// deployment's page links to the source that says so, by its number in
// the list of sources, as a fact-checker asks "where does it say so?".
func TestDeploymentPageCitesVendorsAndLoans(t *testing.T) {
	set := fixture.Set(1)
	d := set.Deployments[0]
	d.Sources = append(d.Sources, registry.Source{Key: "loan", URL: "https://example.org/loan", Title: "The loan"})
	d.Financing = []registry.Financing{{Lender: "vendor-b", Instrument: "commercial_loan", Sources: []string{"loan"}}}
	d.Vendors = append(d.Vendors, registry.VendorRole{Vendor: "vendor-b", Role: "financier", Sources: []string{"loan"}})
	s, _ := siteOf(t, set)
	page := pageOf(t, s, "/deployments/"+d.ID)
	n := strconv.Itoa(len(d.Sources))
	for _, want := range []string{
		`<td data-label="Says so"><a href="#src-` + d.Vendors[0].Sources[0] + `">source `,
		`<td data-label="Says so"><a href="#src-loan">source ` + n + `</a></td>`,
		`<li id="src-loan">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if c := strings.Count(page, `<a href="#src-loan">`); c != 2 {
		t.Errorf("the vendor and the loan cite the loan's source %d times, want 2", c)
	}
}

// TestCountryPageLeadsToVendorsAndLenders: a country's page, whose table
// gives tiers only, links to its deployments' vendors and lenders: the
// search, the vendor network and who paid, each filtered to the country.
func TestCountryPageLeadsToVendorsAndLenders(t *testing.T) {
	set := fixture.Set(3)
	code := set.Deployments[0].Jurisdiction
	s, _ := siteOf(t, set)
	page := pageOf(t, s, "/countries/"+code)
	for _, path := range []string{"/search", "/network", "/money"} {
		if want := `<a href="` + path + `?jurisdiction=` + code + `">`; !strings.Contains(page, want) {
			t.Errorf("the page has no link %s", want)
		}
	}
}

// TestCountryPageSaysTheTableScrolls: on a narrow screen, where the tier
// table's columns beyond the first are out of sight, the country page says
// that it scrolls sideways, as the map does.
func TestCountryPageSaysTheTableScrolls(t *testing.T) {
	set := fixture.Set(3)
	s, _ := siteOf(t, set)
	page := pageOf(t, s, "/countries/"+set.Deployments[0].Jurisdiction)
	hint, table := strings.Index(page, `<p class="note scroll-hint">The table scrolls sideways`), strings.Index(page, `<table class="matrix"`)
	if table < 0 || hint < 0 || hint > table {
		t.Errorf("no hint before the tier table that it scrolls sideways (hint at %d, table at %d)", hint, table)
	}
}

// TestDeploymentPageLinksEachChange: each revision in a deployment's
// history links to the history page at it, which shows what it changed
// field by field, as a fact-checker asks what the record said before.
func TestDeploymentPageLinksEachChange(t *testing.T) {
	set := fixture.Set(1)
	d := set.Deployments[0]
	s, db := siteOf(t, set)
	changed := *d
	changed.Title = "A changed title"
	if _, err := db.Apply(t.Context(), &registry.Set{Deployments: []*registry.Deployment{&changed}}, store.Meta{Author: "test", Reason: "a test"}, nil); err != nil {
		t.Fatal(err)
	}
	get := func(path string) string {
		path, _, _ = strings.Cut(path, "#") // a browser keeps the fragment
		return pageOf(t, s, path)
	}
	links := regexp.MustCompile(`<a href="(/history\?before=(\d+)#rev-(\d+))">what revision (\d+) changed</a>`).FindAllStringSubmatch(get("/deployments/"+d.ID), -1)
	if len(links) != 2 {
		t.Fatalf("%d links to what a revision changed, want 2", len(links))
	}
	for _, l := range links {
		page := get(html.UnescapeString(l[1]))
		if l[3] != l[4] || !strings.Contains(page, `id="rev-`+l[3]+`"`) {
			t.Errorf("%s does not show revision %s", l[1], l[4])
		}
	}
	seq := func(l []string) int { n, _ := strconv.Atoi(l[3]); return n }
	latest := links[0]
	if seq(links[1]) > seq(latest) {
		latest = links[1]
	}
	if page := get(html.UnescapeString(latest[1])); !strings.Contains(page, "A changed title") {
		t.Errorf("the latest change does not show the new title")
	}
}

// TestHomeChangesInWords: the latest changes name each record's kind and
// operation in words, not as codes ("facts … : create").
func TestHomeChangesInWords(t *testing.T) {
	s, _ := siteOf(t, fixture.Set(2))
	page := pageOf(t, s, "/")
	_, changes, _ := strings.Cut(page, `<ol class="changes">`)
	changes, _, _ = strings.Cut(changes, "</ol>")
	if !strings.Contains(changes, ": created by ") || strings.Contains(changes, ": create by ") {
		t.Errorf("the latest changes do not say what was done in words: %.400s", changes)
	}
}

// TestCountryPageComparesWithItsBodies: a country's page links to the
// index of the members of each regional body it belongs to, as a Dhaka
// researcher asking how Bangladesh compares with its neighbours found no
// way from the country page to the home page's "Only the members of".
func TestCountryPageComparesWithItsBodies(t *testing.T) {
	set := fixture.Set(1)
	j := set.Jurisdictions[0]
	j.Memberships = []registry.Membership{{Body: "saarc", Sources: []string{"s1"}}, {Body: "bri", Sources: []string{"s1"}}}
	s, _ := siteOf(t, set)
	page := pageOf(t, s, "/countries/"+j.Code)
	for _, body := range []string{"saarc", "bri"} {
		link := `<a href="/?member=` + body + `#index-table">the members of ` + html.EscapeString(label("membership", body)) + `</a>`
		if !strings.Contains(page, link) {
			t.Errorf("no link %s", link)
		}
		if home := pageOf(t, s, "/?member="+body); !strings.Contains(home, `id="index-table"`) {
			t.Errorf("the home page filtered on %s has no index table", body)
		}
	}
}

// TestHomeLeadsToWhatChanged: the home page says at its top when the
// register last changed and links to what that revision changed, and each
// of the latest changes links to the history page at it: a reader on a
// phone found the latest changes seven screens down, each leading only to
// the JSON of the log entry.
func TestHomeLeadsToWhatChanged(t *testing.T) {
	s, _ := siteOf(t, fixture.Set(2))
	page := pageOf(t, s, "/")
	links := regexp.MustCompile(`<a href="(/history\?before=(\d+)#rev-(\d+))">what (?:it|revision (\d+)) changed</a>`).FindAllStringSubmatch(page, -1)
	if len(links) < 2 {
		t.Fatalf("%d links to what a revision changed, want the latest at the top and one for each change", len(links))
	}
	top, _, _ := strings.Cut(page, `<section aria-labelledby="map-h">`)
	if !strings.Contains(top, links[0][0]) || links[0][0] != strings.Replace(links[1][0], "revision "+links[1][4], "it", 1) {
		t.Errorf("the top of the page does not link to what the latest revision changed: %q, %q", links[0][0], links[1][0])
	}
	if page := pageOf(t, s, html.UnescapeString(strings.Split(links[1][1], "#")[0])); !strings.Contains(page, `id="rev-`+links[1][3]+`"`) {
		t.Errorf("%s does not show revision %s", links[1][1], links[1][3])
	}
}
