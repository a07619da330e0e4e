package site

import (
	"strings"
	"testing"

	"oversight/data"
)

// TestSearchPageFindsPurposes: /search finds a deployment by a word of its
// purposes: "retail" lists Kmart's face recognition, recorded for retail
// loss prevention, whose text does not say retail otherwise.
func TestSearchPageFindsPurposes(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := siteOf(t, set)
	if page := pageOf(t, s, "/search?q=retail"); !strings.Contains(page, `href="/deployments/au-kmart-store-face-recognition"`) {
		t.Error("/search?q=retail does not list Kmart's face recognition (purposes: retail loss prevention)")
	}
}
