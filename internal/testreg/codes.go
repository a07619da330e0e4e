package testreg

import (
	"context"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/store"
)

// UnknownCodes are well-formed codes naming no record of a register of
// fixture.Set, by the filter parameter that takes them.
var UnknownCodes = map[string]string{"jurisdiction": "ZZ", "vendor": "nobody", "vendor_hq": "ZZ"}

// newCodes are the codes Coded adds, each once.
var newCodes = []string{"SG", "TH", "VN", "ID", "MY", "KR", "IN", "LK", "NP", "BD", "MN", "LA", "KH", "BN", "MM", "TW", "MO", "HK", "AU", "NZ", "FJ", "PG", "BT", "MV"}

// Coded adds to db, in one write, a record that the filter parameter
// param ("jurisdiction", "vendor" or "vendor_hq") can name, and returns the
// code that names it: a jurisdiction, a vendor, or a vendor headquartered
// where none of fixture.Set's is. n chooses it: each n from 0 to 23 adds
// another, so that a test can add one after another to one register.
func Coded(t testing.TB, db *store.DB, param string, n int) string {
	t.Helper()
	code := newCodes[n]
	set := &registry.Set{}
	switch param {
	case "jurisdiction":
		set.Jurisdictions = []*registry.Jurisdiction{fixture.Jurisdiction(code, "Synthetic "+code, "southeast_asia")}
	case "vendor":
		code = "vendor-new-" + strings.ToLower(code)
		set.Vendors = []*registry.Vendor{fixture.Vendor(code, "CN")}
	case "vendor_hq":
		set.Vendors = []*registry.Vendor{fixture.Vendor("vendor-in-"+strings.ToLower(code), code)}
	default:
		t.Fatalf("testreg.Coded: no record for the parameter %q", param)
	}
	if _, err := db.Apply(context.Background(), set, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	return code
}
