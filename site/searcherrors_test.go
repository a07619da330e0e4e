package site

import (
	"strings"
	"testing"
)

// TestSearchRefusesUnknownCodes: a well-formed code the register holds no
// record of is refused as a value outside a vocabulary is, with 400: the
// search form comes back as sent, the message beside the field at fault
// (marked invalid), and nothing listed. "XX" listed nothing, as if the
// register had looked there and found none.
func TestSearchRefusesUnknownCodes(t *testing.T) {
	set, s := factsSite(t)
	d := set.Deployments[0]
	if st, page := get(t, s, "/search?jurisdiction="+d.Jurisdiction+"&vendor_hq="+set.Vendors[0].Headquarters); st != 200 || strings.Contains(page, `class="error"`) {
		t.Errorf("codes the register holds: %d, or an error shown", st)
	}
	for _, c := range []struct{ query, field string }{
		{"jurisdiction=XX", "jurisdiction"},
		{"jurisdiction=" + d.Jurisdiction + "&jurisdiction=XX", "jurisdiction"},
		{"vendor=no-such-vendor", "vendor"},
		{"vendor_hq=XX", "vendor_hq"},
		{"technology=no_such_technology", "technology"},
		{"subregion=no_such_subregion", "subregion"},
		{"status=no_such_status", "status"},
		{"certainty=no_such_certainty", "certainty"},
		{"year_from=abc", "year_from"},
	} {
		st, page := get(t, s, "/search?"+c.query)
		if st != 400 {
			t.Errorf("%s: %d, want 400", c.query, st)
			continue
		}
		if !strings.Contains(page, `<small class="error" id="`+c.field+`-error">`) || !strings.Contains(page, `aria-invalid="true" aria-describedby="`+c.field+`-error"`) {
			t.Errorf("%s: no message beside the field %s", c.query, c.field)
		}
		if !containsText(page, " "+c.field+": ") || !strings.Contains(page, `role="alert"`) {
			t.Errorf("%s: the page does not name %s in its alert", c.query, c.field)
		}
		if strings.Contains(page, `<table class="results`) || !strings.Contains(page, `<form method="get" action="/search"`) {
			t.Errorf("%s: want the form and no list", c.query)
		}
	}
}

// TestNetworkPagesRefuseUnknownCodes: the network, money and trend pages
// refuse a country or vendor headquarters the register holds no record
// of, naming the parameter, rather than drawing an empty table.
func TestNetworkPagesRefuseUnknownCodes(t *testing.T) {
	set, s := factsSite(t)
	for _, page := range []string{"/network", "/network.csv", "/money", "/trends"} {
		if st, _ := get(t, s, page+"?jurisdiction="+set.Deployments[0].Jurisdiction); st != 200 {
			t.Errorf("%s with a country the register holds: %d", page, st)
		}
		for _, c := range []struct{ query, field string }{{"jurisdiction=XX", "jurisdiction"}, {"vendor_hq=XX", "vendor_hq"}} {
			if st, body := get(t, s, page+"?"+c.query); st != 400 || !containsText(body, " "+c.field+": ") {
				t.Errorf("%s?%s: %d, want 400 naming %s", page, c.query, st, c.field)
			}
		}
	}
}
