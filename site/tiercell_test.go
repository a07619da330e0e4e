package site

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"oversight/internal/testcls"
	"oversight/registry"
	"oversight/rules"
)

// TestTablesSayWhatIsComing: the country page's tier table and the search
// list give, beside a tier, what a rule not yet in force will make it and
// from when, as the deployment's page does, and the country table names
// the articles that decide each tier. An aide reading "minimal risk" for
// Bunnings' and Kmart's face recognition under the EU AI Act took it for
// the Act's last word; a Thai officer asking which rule decides each
// deployment had to open ten pages.
func TestTablesSayWhatIsComing(t *testing.T) {
	set, s := factsSite(t)
	eu, _ := s.cls.Framework("eu-ai-act")
	var d *registry.Deployment
	for _, x := range set.Deployments {
		if x.ID == "au-bunnings-store-face-recognition" {
			d = x
		}
	}
	if d == nil || eu == nil {
		t.Fatal("no Bunnings record or no EU AI Act in the built-in register")
	}
	res := s.cls.Deployment(d, s.cls.Frameworks(), s.today())
	var raising string
	for _, r := range res.Results {
		if r.Framework == eu.ID {
			if up := r.Raising(); up != nil {
				raising = "<span class=\"sep\">; </span><strong class=\"coming\">from " + day(up.EffectiveFrom()) + ": " + label("tier", string(up.Tier)) + "</strong>"
			}
		}
	}
	if raising == "" {
		t.Fatal("no rule of the EU AI Act raises Bunnings' tier after today: nothing to test")
	}
	row := func(page, id string) string {
		m := regexp.MustCompile(`(?s)<tr>(?:<th scope="row">|<td>)<a href="/deployments/` + id + `">.*?</tr>`).FindString(page)
		if m == "" {
			t.Fatalf("no row for %s", id)
		}
		return html.UnescapeString(m)
	}
	for _, path := range []string{"/countries/AU", "/search?q=Bunnings"} {
		if r := row(pageOf(t, s, path), d.ID); !strings.Contains(r, html.UnescapeString(raising)) {
			t.Errorf("%s: the row of %s does not say %s: %s", path, d.ID, raising, r)
		}
	}
	// Thailand's PDPA decides most deployments there by s 26; the table
	// names it in the law's column.
	if !strings.Contains(pageOf(t, s, "/countries/TH"), label("tier", "prohibited_unless_conditions_met")+" (s 26)") {
		t.Error("the Thai table does not name s 26 beside a tier it decides")
	}
	// The table beside the map of deployments coloured by tier says it too.
	home := pageOf(t, s, "/?map=deployments&colour=tier")
	n := 0
	for _, d := range set.Deployments {
		if d.Place.Lat == nil || !strings.Contains(home, `<a href="/deployments/`+d.ID+`">`) {
			continue
		}
		if up := s.cls.Deployment(d, []*rules.Framework{eu}, s.today()).Results[0].Raising(); up != nil {
			n++
			if r := row(home, d.ID); !strings.Contains(r, "from "+day(up.EffectiveFrom())+": ") {
				t.Errorf("the map's table does not say what %s's tier becomes: %s", d.ID, r)
			}
		}
	}
	if n == 0 {
		t.Error("no deployment on the map has a tier a later rule raises: nothing tested")
	}
	// Filtered on a tier under Thailand's PDPA, the list shows that tier,
	// not the EU AI Act's.
	page := pageOf(t, s, "/search?tier=th-pdpa:prohibited_unless_conditions_met")
	if !strings.Contains(page, `<th scope="col">Thailand PDPA</th>`) || !strings.Contains(page, `<td data-label="Thailand PDPA">`+label("tier", "prohibited_unless_conditions_met")+" (s 26)") {
		t.Error("the list filtered on a Thai PDPA tier does not show the Thai PDPA's tiers")
	}
}

// factsSite serves the built-in register classified on its fact
// documents, with stored tiers, as `oversight serve` does.
func factsSite(t *testing.T) (*registry.Set, *Site) {
	t.Helper()
	set, facts := testcls.Builtin(t)
	s, db := siteWith(t, set, facts)
	if _, err := db.SetTierProjector(t.Context(), s.cls); err != nil {
		t.Fatal(err)
	}
	return set, s
}
