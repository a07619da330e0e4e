package site

import (
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
// words; purpose=retail_loss_prevention lists Kmart's face recognition and
// no deployment recorded for other purposes only, its option chosen and
// its chip shown; an unknown purpose is refused beside the select.
func TestSearchPageByPurpose(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := siteOf(t, set)
	page := pageOf(t, s, "/search?purpose=retail_loss_prevention")
	for _, want := range []string{
		`<select id="purpose" name="purpose"`,
		`<option value="retail_loss_prevention" selected>` + label("purpose", "retail_loss_prevention") + `</option>`,
		`<option value="border_control">` + label("purpose", "border_control") + `</option>`,
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
