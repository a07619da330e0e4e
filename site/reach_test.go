package site

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"oversight/rules"
)

// TestTierFilterOnALawListsWhereItBinds: filtered on a tier under a
// national law, with no country chosen, the search list holds only the
// deployments of the jurisdictions the law binds, and says so; the
// benchmark is still read everywhere. A journalist filtering on "Thailand
// PDPA" read other countries' deployments as if that law classified them.
func TestTierFilterOnALawListsWhereItBinds(t *testing.T) {
	set, s := factsSite(t)
	th, _ := s.cls.Framework("th-pdpa")
	// A tier the law gives deployments both in Thailand and, as a
	// yardstick, elsewhere: without the narrowing the list holds both.
	in, out := map[rules.Tier]int{}, map[rules.Tier]int{}
	for _, d := range set.Deployments {
		tier := s.cls.Deployment(d, []*rules.Framework{th}, s.today()).Results[0].Tier
		if d.Jurisdiction == "TH" {
			in[tier]++
		} else {
			out[tier]++
		}
	}
	var tier rules.Tier
	for _, x := range rules.AllTiers {
		if in[x] > 0 && out[x] > 0 && in[x] <= 50 {
			tier = x
			break
		}
	}
	if tier == "" {
		t.Fatalf("no Thai PDPA tier held both in Thailand and elsewhere (%v, %v): nothing to test", in, out)
	}
	country := regexp.MustCompile(`<td data-label="Country"><a href="/countries/([A-Z]{2})">`)
	page := pageOf(t, s, "/search?tier=th-pdpa:"+string(tier))
	rows := country.FindAllStringSubmatch(page, -1)
	for _, m := range rows {
		if m[1] != "TH" {
			t.Errorf("filtered on the Thai PDPA's %s, the list holds a deployment in %s", tier, m[1])
		}
	}
	if len(rows) != in[tier] {
		t.Errorf("filtered on the Thai PDPA's %s: %d rows, want Thailand's %d", tier, len(rows), in[tier])
	}
	if !containsText(page, "Thailand PDPA is the law of Thailand: this list holds only deployments there") {
		t.Error("the list does not say that the Thai PDPA is Thailand's law and lists only Thailand")
	}
	// A country chosen outside the law is left out, and the page says so.
	page = pageOf(t, s, "/search?jurisdiction=IN&tier=th-pdpa:"+string(tier))
	if n := len(country.FindAllString(page, -1)); n != 0 || !containsText(page, "Left out as outside it: India.") {
		t.Errorf("India chosen under the Thai PDPA: %d rows, and the page does not say India is left out", n)
	}
	// The EU AI Act binds none of the register's countries: it is read
	// everywhere, as the benchmark, and the page says so.
	page = pageOf(t, s, "/search?tier=eu-ai-act:"+string(rules.MinimalRisk)+","+string(rules.HighRisk))
	seen := map[string]bool{}
	for _, m := range country.FindAllStringSubmatch(page, -1) {
		seen[m[1]] = true
	}
	if len(seen) < 2 || !containsText(page, "binds none of the register's jurisdictions: every tier in this list is a benchmark") {
		t.Errorf("filtered on EU AI Act tiers: countries %v, want several, read as a benchmark", seen)
	}
}

// containsText reports whether a page's text, its entities read, holds s.
func containsText(page, s string) bool { return strings.Contains(html.UnescapeString(page), s) }
