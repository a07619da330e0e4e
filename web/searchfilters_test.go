package web

import (
	"maps"
	"regexp"
	"strings"
	"testing"
)

// TestSearchSeveralVendors: a search of two vendors lists the deployments
// of either, keeps both chosen in its form, and names both in its filters,
// as a reader asking "Huawei or Hikvision" needs.
func TestSearchSeveralVendors(t *testing.T) {
	t.Parallel()
	srv := builtinServer(t)
	get := func(q string) (string, map[string]bool) {
		page := pageAt(t, srv.URL+"/search?"+q)
		rows := map[string]bool{}
		for _, m := range regexp.MustCompile(`<tr><td><a href="/deployments/([a-z0-9-]+)">`).FindAllStringSubmatch(page, -1) {
			rows[m[1]] = true
		}
		return page, rows
	}
	_, huawei := get("vendor=huawei")
	_, hikvision := get("vendor=hikvision")
	want := maps.Clone(huawei)
	maps.Copy(want, hikvision)
	if len(huawei) == 0 || len(hikvision) == 0 || len(want) == len(huawei) {
		t.Fatalf("huawei %d, hikvision %d deployments: the test shows nothing", len(huawei), len(hikvision))
	}
	for _, q := range []string{"vendor=huawei&vendor=hikvision", "vendor=hikvision,huawei"} {
		page, got := get(q)
		if !maps.Equal(got, want) {
			t.Errorf("%s: lists %d deployments, want the %d of either vendor", q, len(got), len(want))
		}
		sel := regexp.MustCompile(`(?s)<fieldset class="choices" id="vendor">.*?</fieldset>`).FindString(page)
		for _, id := range []string{"huawei", "hikvision"} {
			if !strings.Contains(sel, `<input type="checkbox" name="vendor" value="`+id+`" checked>`) {
				t.Errorf("%s: %s is not chosen in the form", q, id)
			}
		}
		if !strings.Contains(page, "Huawei") || !regexp.MustCompile(`vendors: [^<]* or `).MatchString(page) {
			t.Errorf("%s: the active filters do not name both vendors", q)
		}
	}
}

// TestSearchByCertainty: the search offers the certainty filter the API
// has, and its table says how sure the sources of each deployment are.
func TestSearchByCertainty(t *testing.T) {
	t.Parallel()
	srv := builtinServer(t)
	page := pageAt(t, srv.URL+"/search?certainty=reported")
	if !strings.Contains(page, `<option value="reported" selected>`) {
		t.Errorf("the form has no certainty chosen")
	}
	rows := regexp.MustCompile(`<tr><td><a href="/deployments/`).FindAllString(page, -1)
	cells := regexp.MustCompile(`<td data-label="Certainty">([^<]*)</td>`).FindAllStringSubmatch(page, -1)
	if len(rows) == 0 || len(cells) != len(rows) {
		t.Fatalf("%d rows, %d certainty cells", len(rows), len(cells))
	}
	for _, c := range cells {
		if c[1] != "reported" {
			t.Errorf("a deployment of certainty %q under certainty=reported", c[1])
		}
	}
}
