package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestUnknownCodesRefused: a well-formed code the register holds no record
// of (a jurisdiction, a vendor, a vendor's headquarters), or a value
// outside a filter's vocabulary, is refused with 400 and the parameter
// named, on the list and the export, as an ill-formed one is; a known one
// is answered; the same on the network and trend tables. An empty list
// for "XX" read as if the register had looked there and found nothing.
func TestUnknownCodesRefused(t *testing.T) {
	srv, _ := newServer(t, 12)
	var list struct {
		Items []struct {
			Jurisdiction string
			Vendors      []struct{ Vendor string }
		}
	}
	getJSON(t, srv, "/api/v1/deployments?limit=1", &list)
	d := list.Items[0]
	for _, q := range []string{"jurisdiction=" + d.Jurisdiction, "jurisdiction=" + strings.ToLower(d.Jurisdiction), "vendor=" + d.Vendors[0].Vendor} {
		if resp, b := get(t, srv, "/api/v1/deployments?"+q); resp.StatusCode != 200 {
			t.Errorf("%s, held by the register: %d %.300s", q, resp.StatusCode, b)
		}
	}
	for _, c := range []struct{ query, field string }{
		{"jurisdiction=XX", "jurisdiction"},
		{"jurisdiction=" + d.Jurisdiction + ",XX", "jurisdiction"},
		{"vendor=no-such-vendor", "vendor"},
		{"vendor_hq=XX", "vendor_hq"},
		{"technology=no_such_technology", "technology"},
		{"purpose=no_such_purpose", "purpose"},
		{"status=no_such_status", "status"},
		{"certainty=no_such_certainty", "certainty"},
		{"subregion=no_such_subregion", "subregion"},
	} {
		paths := []string{"/api/v1/deployments?", "/api/v1/export?format=csv&"}
		if c.field == "jurisdiction" || c.field == "vendor_hq" || c.field == "technology" || c.field == "certainty" || c.field == "subregion" {
			paths = append(paths, "/api/v1/network?", "/api/v1/trends?") // the filters they take
		}
		for _, path := range paths {
			resp, b := get(t, srv, path+c.query)
			var p struct {
				Code   string
				Errors []struct{ Location, Message string }
			}
			json.Unmarshal(b, &p)
			if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "application/problem+json" || len(p.Errors) != 1 || p.Errors[0].Location != "query."+c.field {
				t.Errorf("GET %s%s: %d %.300s, want 400 naming query.%s", path, c.query, resp.StatusCode, b, c.field)
			}
		}
	}
}
