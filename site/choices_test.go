package site

import (
	"regexp"
	"strings"
	"testing"

	"oversight/internal/fixture"
)

// TestSeveralChoicesByTicking: where a filter takes several countries or
// vendors, each is a box to tick, not an option of a select of several,
// which needs Ctrl or Cmd: a reader did not know it, and a phone has
// neither.
func TestSeveralChoicesByTicking(t *testing.T) {
	set := fixture.Set(2)
	s, _ := siteOf(t, set)
	multi := regexp.MustCompile(`<select[^>]*\bmultiple\b`)
	for path, names := range map[string][]string{
		"/search":    {"jurisdiction", "vendor"},
		"/scenarios": {"jurisdiction"},
	} {
		page := pageOf(t, s, path)
		if multi.MatchString(page) || strings.Contains(page, "Ctrl") {
			t.Errorf("%s has a select of several, or tells the reader to hold Ctrl", path)
		}
		for _, n := range names {
			if !strings.Contains(page, `<input type="checkbox" name="`+n+`" value="`) {
				t.Errorf("%s: no box to tick for %s", path, n)
			}
		}
	}
}

// TestTickedChoicesFirst: the boxes ticked come first in their box, so
// that a reader sees them without scrolling it.
func TestTickedChoicesFirst(t *testing.T) {
	set := fixture.Set(3)
	s, _ := siteOf(t, set)
	last := set.Vendors[len(set.Vendors)-1].ID
	page := pageOf(t, s, "/search?vendor="+last)
	box := regexp.MustCompile(`(?s)<fieldset class="choices" id="vendor">.*?</fieldset>`).FindString(page)
	first := regexp.MustCompile(`<input type="checkbox" name="vendor" value="([^"]+)"`).FindStringSubmatch(box)
	if first == nil || first[1] != last {
		t.Errorf("the first box is %q, want the ticked %q", first, last)
	}
}
