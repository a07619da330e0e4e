package site

import (
	"regexp"
	"testing"
)

// TestNetFilterChips: a page filtered by every filter the network query
// holds shows a chip for each, in the query's order, named in words.
func TestNetFilterChips(t *testing.T) {
	s, _ := builtinSite(t)
	code, body := get(t, s, "/trends?subregion=south_asia&jurisdiction=PK,IN&vendor_hq=CN&certainty=documented&technology=cctv&year_from=2010&year_to=2020")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	var got []string
	for _, m := range regexp.MustCompile(`aria-label="Remove the filter ([^"]+)"`).FindAllStringSubmatch(body, -1) {
		got = append(got, m[1])
	}
	want := []string{"subregion", "countries", "vendor headquarters", "certainty", "technology", "from", "to"}
	if len(got) != len(want) {
		t.Fatalf("chips %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("chip %d is %q, want %q", i, got[i], want[i])
		}
	}
}
