package site

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"oversight/analysis"
	"oversight/registry"
)

// Pages name what they show in words: records by title or name, countries
// by name, values as yes or no, lists as names (issue 16, "human words").

// idLink finds a link to a record whose text is the record's id.
var idLink = regexp.MustCompile(`<a href="/(deployments|vendors)/([^"#?/]+)">([^<]*)</a>`)

func idLinks(body string) []string {
	var out []string
	for _, m := range idLink.FindAllStringSubmatch(body, -1) {
		if html.UnescapeString(m[3]) == m[2] {
			out = append(out, m[2])
		}
	}
	return out
}

// TestSeriesChartNoScores checks that a jurisdiction with no score in any
// year is told so in words, not drawn as empty axes. (Macao served as the
// example until its data protection law was read; every built-in
// jurisdiction now has a score in some year.)
func TestSeriesChartNoScores(t *testing.T) {
	got := string(seriesChart([]analysis.Point{{Year: 2020}, {Year: 2021}}))
	if !strings.Contains(got, "No scores") || strings.Contains(got, `<svg class="chart"`) {
		t.Errorf("no score in any year: %q", got)
	}
	one := 42.0
	if got := string(seriesChart([]analysis.Point{{Year: 2020}, {Year: 2021, Score: &one}})); !strings.Contains(got, `<svg class="chart"`) {
		t.Errorf("a score in one year draws no chart: %q", got)
	}
}

func TestPagesNameRecords(t *testing.T) {
	s, _ := builtinSite(t)
	for _, tc := range []struct {
		path      string
		want, not []string
	}{
		{"/frameworks/", []string{"the European Union and its 27 member states", "Austria", "India"}, []string{"EU AT BE"}},
		{"/frameworks/eu-ai-act", []string{"binds the European Union and its 27 member states", "Sweden", "applies from 2 February 2025"}, []string{"EU AT BE", "2025-02-02"}},
		{"/money", []string{"Ulaanbaatar", "ownership unknown"}, []string{">mn-ulaanbaatar-surveillance-cameras<", ", unknown."}},
		{"/vendors/china-eximbank", []string{"Export-Import Bank of China"}, nil},
		{"/countries/PK", []string{"AI &amp; Big Data Global Surveillance Index", "Huawei, "}, []string{">aigs-2022<", ">true<", ">false<", "[Huawei"}},
		{"/method", []string{`href="/api/v1/index"`}, []string{`href="../analysis/`, "analysis/index.go"}},
	} {
		code, body := get(t, s, tc.path)
		if code != 200 {
			t.Fatalf("%s: %d", tc.path, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s does not say %q", tc.path, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(body, n) {
				t.Errorf("%s says %q", tc.path, n)
			}
		}
		if ids := idLinks(body); len(ids) > 0 {
			t.Errorf("%s links to records by their ids: %q", tc.path, ids)
		}
	}
}

// TestScenarioByName: the scenario's countries are in the order of their
// names, in the chart, the table and the selector.
func TestScenarioByName(t *testing.T) {
	s, _ := builtinSite(t)
	_, body := get(t, s, "/scenarios?framework=apac-baseline")
	for _, pair := range [][2]string{
		{`<span class="bar-label">India</span>`, `<span class="bar-label">Indonesia</span>`},
		{`<a href="/countries/IN">India</a>`, `<a href="/countries/ID">Indonesia</a>`},
		{`name="jurisdiction" value="IN"`, `name="jurisdiction" value="ID"`},
	} {
		i, j := strings.Index(body, pair[0]), strings.Index(body, pair[1])
		if i < 0 || j < 0 || i > j {
			t.Errorf("want %s before %s (at %d and %d)", pair[0], pair[1], i, j)
		}
	}
}

// TestHistoryNamesRecords: the history names each record by its title or
// name, with the id after it as a code.
func TestHistoryNamesRecords(t *testing.T) {
	s, _ := builtinSite(t)
	_, body := get(t, s, "/history")
	if ids := idLinks(body); len(ids) > 0 {
		t.Errorf("/history links to records by their ids: %q", ids)
	}
	rev := regexp.MustCompile(`(?s)<div class="revision"[^>]*><p>(.*?)</p>`)
	ms := rev.FindAllStringSubmatch(body, -1)
	if len(ms) == 0 {
		t.Fatal("/history shows no revision")
	}
	for _, m := range ms {
		if !strings.Contains(m[1], `<code class="id">`) {
			t.Errorf("a revision names no record by name: %s", m[1])
		}
	}
}

// TestDeploymentBindingFirst: on a deployment's page the framework that
// binds its country comes first, then the benchmarks, then the rest.
func TestDeploymentBindingFirst(t *testing.T) {
	s, _ := builtinSite(t)
	_, body := get(t, s, "/deployments/in-delhi-police-afrs-protests")
	sum := regexp.MustCompile(`<summary><strong>([^<]*)</strong>`)
	var order []string
	for _, m := range sum.FindAllStringSubmatch(body, -1) {
		order = append(order, html.UnescapeString(m[1]))
	}
	if len(order) < 4 {
		t.Fatalf("%d frameworks on the page: %q", len(order), order)
	}
	if !strings.Contains(order[0], "India") || !strings.Contains(order[1], "EU AI Act") {
		t.Errorf("frameworks in order %q, want India's law, the EU AI Act, the baseline first", order[:4])
	}
}

func TestClaimValue(t *testing.T) {
	for _, tc := range []struct {
		c    registry.Claim
		want string
	}{
		{registry.Claim{Value: true}, "yes"},
		{registry.Claim{Value: false}, "no"},
		{registry.Claim{Value: 2.5}, "2.5"},
		{registry.Claim{Value: []any{"Huawei", "Sandvine"}}, "Huawei, Sandvine"},
		{registry.Claim{Value: []any{}}, "none"},
		{registry.Claim{Value: []any{"a", 1.0}}, "not readable"},
		{registry.Claim{Value: map[string]any{"a": 1}}, "not readable"},
		{registry.Claim{Value: nil}, "unknown"},
		{registry.Claim{Indicator: "regime_type", Value: "electoral_autocracy"}, "electoral autocracy"},
	} {
		if got := claimValue(&tc.c); got != tc.want {
			t.Errorf("claimValue(%#v) = %q, want %q", tc.c.Value, got, tc.want)
		}
	}
}

func TestBindsWords(t *testing.T) {
	if b := bindsWords([]string{"EU", "SE", "AT"}); b.Lead != "the European Union and its 2 member states" || strings.Join(b.Names, ",") != "Austria,Sweden" {
		t.Errorf("EU: %+v", b)
	}
	if b := bindsWords([]string{"IN"}); b.Lead != "India" || b.Names != nil {
		t.Errorf("IN: %+v", b)
	}
}
