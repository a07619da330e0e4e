package web

import (
	"regexp"
	"testing"

	"oversight/registry"
)

// TestIndexOfARegionalBody: the home page's index table shows the members
// of a regional body alone, each with its rank among all, as an adviser
// comparing the ASEAN members asks.
func TestIndexOfARegionalBody(t *testing.T) {
	t.Parallel()
	srv, db := builtinRegister(t)
	get := func(q string) [][]string {
		table := regexp.MustCompile(`(?s)<table class="index".*?</table>`).FindString(pageAt(t, srv.URL+"/?"+q))
		return regexp.MustCompile(`<tr><td>([0-9–]+)</td><td><a href="/countries/([A-Z]{2})">`).FindAllStringSubmatch(table, -1)
	}
	all, asean := get(""), get("member=asean")
	rank := map[string]string{}
	for _, r := range all {
		rank[r[2]] = r[1]
	}
	want := 0
	err := db.Each(t.Context(), "jurisdiction", func(e registry.Entity) error {
		for _, m := range e.(*registry.Jurisdiction).Memberships {
			if m.Body == "asean" {
				want++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want == 0 || len(asean) != want || len(all) <= want {
		t.Fatalf("%d rows for ASEAN, want its %d members (of %d rows)", len(asean), want, len(all))
	}
	for _, r := range asean {
		if rank[r[2]] != r[1] {
			t.Errorf("%s: rank %s among ASEAN, %s among all", r[2], r[1], rank[r[2]])
		}
	}
}
