package site

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"oversight/data"
	"oversight/internal/fixture"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/store"
)

// builtinSite serves the pages over the built-in register.
func builtinSite(t *testing.T) (*Site, *store.DB) {
	t.Helper()
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, db := siteOf(t, set)
	return s, db
}

// get serves a GET and returns its status and body.
func get(t *testing.T, s *Site, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, rec.Body.String()
}

// searchCount counts the deployments a /search link selects, read by the
// parser the search page reads it with.
func searchCount(t *testing.T, db *store.DB, link string) int {
	t.Helper()
	u, err := url.Parse(html.UnescapeString(link))
	if err != nil || u.Path != "/search" {
		t.Fatalf("%q is no search", link)
	}
	p := params.Read(u.Query(), searchParams...)
	f := p.DeploymentFilter()
	if err := p.Err(); err != nil {
		t.Fatalf("%s: %v", link, err)
	}
	n := 0
	if err := db.EachDeployment(context.Background(), f, func(*registry.Deployment) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	tableRowRE = regexp.MustCompile(`(?s)<tr id="v-[^"]+" data-vendor="([^"]+)">(.*?)</tr>`)
	cellRE     = regexp.MustCompile(`<li data-jurisdiction="([A-Z]{2})"><a href="/countries/[A-Z]{2}">[^<]+</a> \((\d+)\)</li>`)
	countRE    = regexp.MustCompile(`<td><a href="(/search[^"]*)">(\d+)</a></td>`)
	markRE     = regexp.MustCompile(`<g class="mark" data-vendor="([^"]+)" data-jurisdiction="([A-Z]{2})"><title>[^<]*</title><rect[^>]*/><text[^>]*>(\d+)</text></g>`)
)

// TestNetworkPage: the matrix has a mark for each jurisdiction of each row
// of the table, with the same number; each row's count links to a search
// that finds exactly that many deployments; the CSV lists the table's rows;
// and the journalist's question has its answer on the page: Huawei's
// deployments in Southeast Asia and who financed them.
func TestNetworkPage(t *testing.T) {
	s, db := builtinSite(t)
	for _, q := range []string{"", "?subregion=southeast_asia", "?vendor_hq=CN&year_from=2015&year_to=2020", "?technology=lpr_anpr", "?jurisdiction=mm,la", "?vendor_hq=MM"} {
		code, body := get(t, s, "/network"+q)
		if code != 200 {
			t.Fatalf("/network%s: %d\n%s", q, code, body)
		}
		table := map[string]string{}
		var order []string
		for _, m := range tableRowRE.FindAllStringSubmatch(body, -1) {
			vendor, row := m[1], m[2]
			order = append(order, vendor)
			total := 0
			for _, c := range cellRE.FindAllStringSubmatch(row, -1) {
				table[vendor+" "+c[1]] = c[2]
				n, _ := strconv.Atoi(c[2])
				total += n
			}
			cm := countRE.FindStringSubmatch(row)
			if cm == nil {
				t.Fatalf("/network%s: %s has no linked count:\n%s", q, vendor, row)
			}
			if n, _ := strconv.Atoi(cm[2]); n != total || searchCount(t, db, cm[1]) != n {
				t.Errorf("/network%s: %s counts %s, its jurisdictions %d, its search %d", q, vendor, cm[2], total, searchCount(t, db, cm[1]))
			}
		}
		if len(order) == 0 {
			t.Fatalf("/network%s lists no vendor", q)
		}
		marks := map[string]string{}
		for _, m := range markRE.FindAllStringSubmatch(body, -1) {
			marks[m[1]+" "+m[2]] = m[3]
		}
		if len(marks) != len(table) || len(marks) != strings.Count(body, `<g class="mark"`) {
			t.Errorf("/network%s: %d marks drawn (%d parsed), %d cells in the table", q, strings.Count(body, `<g class="mark"`), len(marks), len(table))
		}
		for k, n := range table {
			if marks[k] != n {
				t.Errorf("/network%s: %s: table %s, mark %q", q, k, n, marks[k])
			}
		}
		if rows := strings.Count(body, `<text class="row"`); rows != len(order) {
			t.Errorf("/network%s: %d rows drawn, %d in the table", q, rows, len(order))
		}

		// The CSV: the same rows, counts and jurisdictions.
		code, csvBody := get(t, s, "/network.csv"+q)
		if code != 200 {
			t.Fatalf("/network.csv%s: %d", q, code)
		}
		recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(recs[0], networkCSVColumns) || len(recs)-1 != len(order) {
			t.Fatalf("/network.csv%s: header %q, %d rows; the page lists %d", q, recs[0], len(recs)-1, len(order))
		}
		for i, r := range recs[1:] {
			if r[1] != order[i] {
				t.Errorf("/network.csv%s row %d: %s, the page's %s", q, i+1, r[1], order[i])
			}
			sum := 0
			for _, j := range strings.Split(r[7], "; ") {
				n, _ := strconv.Atoi(table[r[1]+" "+j])
				sum += n
			}
			if strconv.Itoa(sum) != r[8] {
				t.Errorf("/network.csv%s: %s: %s deployments, the page's cells in %s add up to %d", q, r[1], r[8], r[7], sum)
			}
		}
	}

	_, body := get(t, s, "/network?subregion=southeast_asia")
	m := tableRowRE.FindStringSubmatch(body[strings.Index(body, `id="v-huawei"`)-4:])
	if m == nil || m[1] != "huawei" {
		t.Fatal("Huawei has no row in Southeast Asia")
	}
	for _, want := range []string{"Myanmar (Burma)</a> (3)", "Laos</a> (1)", "Philippines</a> (1)", "Export-Import Bank of China</a> (1)",
		"Government of the People&#39;s Republic of China</a> (1)"} {
		if !strings.Contains(m[2], want) {
			t.Errorf("Huawei's row in Southeast Asia lacks %s:\n%s", want, m[2])
		}
	}
}

// TestNetworkFilters: the page selects the deployments the API's filters
// select, and a bad value is refused with the site's 400 page, which names
// the parameter.
func TestNetworkFilters(t *testing.T) {
	s, db := builtinSite(t)
	// The unfiltered pages first: a filtered one must not be answered
	// with what the memo keeps for them.
	for _, page := range []string{"/network", "/trends", "/money"} {
		if code, _ := get(t, s, page); code != 200 {
			t.Fatalf("%s: %d", page, code)
		}
	}
	for q, f := range map[string]registry.DeploymentFilter{
		"?vendor_hq=JP":                      {VendorHQ: "JP"},
		"?subregion=south_asia&year_to=2016": {Subregion: "south_asia", YearTo: 2016},
		"?technology=drones":                 {Capability: "drones"},
	} {
		want := 0
		db.EachDeployment(context.Background(), f, func(*registry.Deployment) error { want++; return nil })
		for _, page := range []string{"/network", "/trends"} {
			_, body := get(t, s, page+q)
			if !strings.Contains(body, "<p>"+strconv.Itoa(want)+" deployment") {
				t.Errorf("%s%s does not say %d deployments selected", page, q, want)
			}
		}
	}
	for _, c := range []struct{ path, param string }{
		{"/network?year_from=abc", "year_from"}, {"/network?vendor_hq=China", "vendor_hq"}, {"/trends?technology=faces", "technology"},
		{"/network.csv?subregion=europe", "subregion"}, {"/network?vendor=huawei", "vendor"}, {"/trends?year_from=2020&year_to=2010", "year_from"},
		{"/trends?subregion=oceania&subregion=east_asia", "subregion"},
	} {
		code, body := get(t, s, c.path)
		if code != 400 || !strings.Contains(body, c.param+": ") || !strings.Contains(body, "<title>Bad Request") {
			t.Errorf("%s: %d, want the 400 page naming %s:\n%.600s", c.path, code, c.param, body)
		}
	}
}

var (
	trendMarkRE = regexp.MustCompile(`<rect class="mark" data-key="([a-z0-9_]+)" data-year="([0-9a-z]+)"[^>]*><title>[^<]*: (\d+) deployments?</title>`)
	trendRowRE  = regexp.MustCompile(`(?s)<tr data-key="([a-z0-9_]+)">(.*?)</tr>`)
	trendCellRE = regexp.MustCompile(`<td data-year="([0-9a-z]+)">(?:<a href="([^"]+)">(\d+)</a>|(\d+)|<span class="muted">0</span>)</td>`)
)

// TestTrendsPage: every bar of the charts is a cell of a table with the
// same count, and every cell that is not zero is a bar; each linked count
// is the number of deployments its search finds.
func TestTrendsPage(t *testing.T) {
	s, db := builtinSite(t)
	for _, q := range []string{"", "?subregion=southeast_asia&vendor_hq=CN", "?technology=cctv&year_from=2010"} {
		code, body := get(t, s, "/trends"+q)
		if code != 200 {
			t.Fatalf("/trends%s: %d\n%s", q, code, body)
		}
		marks := map[string]string{}
		for _, m := range trendMarkRE.FindAllStringSubmatch(body, -1) {
			marks[m[1]+" "+m[2]] = m[3]
		}
		if len(marks) != strings.Count(body, `class="mark"`) || len(marks) == 0 {
			t.Fatalf("/trends%s: %d marks parsed of %d", q, len(marks), strings.Count(body, `class="mark"`))
		}
		cells, links := 0, 0
		for _, r := range trendRowRE.FindAllStringSubmatch(body, -1) {
			for _, c := range trendCellRE.FindAllStringSubmatch(r[2], -1) {
				k, n := r[1]+" "+c[1], c[3]+c[4]
				if n == "" {
					if _, ok := marks[k]; ok {
						t.Errorf("/trends%s: %s is 0 in the table but drawn", q, k)
					}
					continue
				}
				cells++
				if marks[k] != n {
					t.Errorf("/trends%s: %s: table %s, chart %q", q, k, n, marks[k])
				}
				if c[2] != "" {
					links++
					if got := searchCount(t, db, c[2]); strconv.Itoa(got) != n {
						t.Errorf("/trends%s: %s: %s deployments, its search finds %d (%s)", q, k, n, got, c[2])
					}
				}
			}
		}
		if cells != len(marks) || links == 0 {
			t.Errorf("/trends%s: %d cells not zero, %d marks, %d links", q, cells, len(marks), links)
		}
	}
}

// TestNetworkPageBounded: past networkRows vendors the page draws and
// lists the first networkRows, says so, and the CSV lists them all.
func TestNetworkPageBounded(t *testing.T) {
	set := fixture.Set(0)
	n := networkRows + 3
	for i := range n {
		id := fmt.Sprintf("vendor-%03d", i)
		set.Vendors = append(set.Vendors, fixture.Vendor(id, "CN"))
		set.Deployments = append(set.Deployments, fixture.Deployment(i, "PK", id))
	}
	s, _ := siteOf(t, set)
	_, body := get(t, s, "/network")
	if rows, marks := len(tableRowRE.FindAllString(body, -1)), strings.Count(body, `<g class="mark"`); rows != networkRows || marks != networkRows {
		t.Errorf("%d rows and %d marks, want %d of each", rows, marks, networkRows)
	}
	if want := fmt.Sprintf("the first %d of %d", networkRows, n); !strings.Contains(body, want) {
		t.Errorf("the page does not say %q", want)
	}
	_, csvBody := get(t, s, "/network.csv")
	if recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll(); err != nil || len(recs) != n+1 {
		t.Errorf("the CSV has %d records (%v), want %d and a header", len(recs)-1, err, n)
	}
}
