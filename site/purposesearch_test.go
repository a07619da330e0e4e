package site

import (
	"fmt"
	"slices"
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

// TestSearchPageByPurpose: /search offers the purposes in a select, in
// words, each with the deployments choosing it would list; under
// purpose=retail_loss_prevention it lists Kmart's face recognition and no
// deployment recorded for other purposes only, its option chosen, its chip
// shown and each technology counted among that purpose's deployments; an
// unknown purpose is refused beside the select.
func TestSearchPageByPurpose(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := siteOf(t, set)
	page := pageOf(t, s, "/search?purpose=retail_loss_prevention")
	// The count beside a purpose leaves the purpose chosen out; beside a
	// technology, it keeps it.
	byPurpose, retailCCTV := map[string]int{}, 0
	for _, d := range set.Deployments {
		for _, p := range d.System.Purposes {
			byPurpose[p]++
		}
		if slices.Contains(d.System.Purposes, "retail_loss_prevention") && slices.Contains(d.System.Capabilities, "cctv") {
			retailCCTV++
		}
	}
	if byPurpose["retail_loss_prevention"] == 0 || byPurpose["border_control"] == 0 || retailCCTV == 0 {
		t.Fatalf("the built-in data: %d retail loss prevention, %d border control, %d retail CCTV; want some of each", byPurpose["retail_loss_prevention"], byPurpose["border_control"], retailCCTV)
	}
	for _, want := range []string{
		`<select id="purpose" name="purpose"`,
		fmt.Sprintf(`<option value="retail_loss_prevention" selected>%s (%d)</option>`, label("purpose", "retail_loss_prevention"), byPurpose["retail_loss_prevention"]),
		fmt.Sprintf(`<option value="border_control">%s (%d)</option>`, label("purpose", "border_control"), byPurpose["border_control"]),
		fmt.Sprintf(`<option value="cctv">%s (%d)</option>`, label("capability", "cctv"), retailCCTV),
		`href="/deployments/au-kmart-store-face-recognition"`,
		`<span>` + label("filter", "purpose") + `: ` + label("purpose", "retail_loss_prevention") + `</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("/search?purpose=retail_loss_prevention lacks %s", want)
		}
	}
	for _, d := range set.Deployments {
		if !slices.Contains(d.System.Purposes, "retail_loss_prevention") && strings.Contains(page, `href="/deployments/`+d.ID+`"`) {
			t.Errorf("/search?purpose=retail_loss_prevention lists %s, whose purposes are %q", d.ID, d.System.Purposes)
		}
	}
	code, body := get(t, s, "/search?purpose=no_such_purpose")
	if code != 400 || !strings.Contains(body, `id="purpose-error"`) {
		t.Errorf("/search?purpose=no_such_purpose: %d, want 400 with the error beside the select", code)
	}
}
