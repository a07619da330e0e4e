package site

import (
	"regexp"
	"testing"

	"oversight/registry"
)

// TestMapShowsTheMembers: with the index narrowed to the members of a
// regional body, the map beside it draws the others muted, as the table
// leaves them out; with no body chosen, no jurisdiction is muted.
func TestMapShowsTheMembers(t *testing.T) {
	s, db := builtinSite(t)
	shapes := regexp.MustCompile(`data-code="([A-Z]{2})"[^>]*?fill="([^"]+)"|fill="([^"]+)"[^>]*?data-code="([A-Z]{2})"`)
	fills := func(path string) map[string]string {
		out := map[string]string{}
		for _, m := range shapes.FindAllStringSubmatch(pageOf(t, s, path), -1) {
			if m[1] != "" {
				out[m[1]] = m[2]
			} else {
				out[m[4]] = m[3]
			}
		}
		return out
	}
	all, asean := fills("/"), fills("/?member=asean")
	if len(all) < 30 || len(asean) != len(all) {
		t.Fatalf("%d jurisdictions on the map, %d with ASEAN chosen", len(all), len(asean))
	}
	members := 0
	err := db.Each(t.Context(), "jurisdiction", func(e registry.Entity) error {
		j := e.(*registry.Jurisdiction)
		switch member := memberOf(j, "asean"); {
		case all[j.Code] == notMember:
			t.Errorf("%s is muted with no body chosen", j.Code)
		case member && asean[j.Code] != all[j.Code]:
			t.Errorf("%s, a member, is drawn %s with ASEAN chosen, %s without", j.Code, asean[j.Code], all[j.Code])
		case !member && asean[j.Code] != notMember:
			t.Errorf("%s, not a member, is drawn %s with ASEAN chosen", j.Code, asean[j.Code])
		case member:
			members++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if members == 0 {
		t.Error("no member of ASEAN on the map")
	}
}
