package api

import (
	"encoding/json"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/internal/memo"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/store"
)

// codeRoutes are the API's routes that take a code naming a record, each
// by the path its code is appended to, the parameter, and a code the
// fixture's register holds.
var codeRoutes = []struct{ path, param, known string }{
	{"/api/v1/deployments?jurisdiction=", "jurisdiction", "PK"},
	{"/api/v1/deployments?vendor=", "vendor", "vendor-a"},
	{"/api/v1/deployments?vendor_hq=", "vendor_hq", "CN"},
	{"/api/v1/export?format=csv&jurisdiction=", "jurisdiction", "PK"},
	{"/api/v1/export?format=csv&vendor=", "vendor", "vendor-b"},
	{"/api/v1/network?jurisdiction=", "jurisdiction", "PH"},
	{"/api/v1/network?vendor_hq=", "vendor_hq", "JP"},
	{"/api/v1/trends?jurisdiction=", "jurisdiction", "KZ"},
	{"/api/v1/instruments?jurisdiction=", "jurisdiction", "PK"},
	{"/api/v1/claims?jurisdiction=", "jurisdiction", "PK"},
	{"/api/v1/scenarios?framework=eu-ai-act&jurisdiction=", "jurisdiction", "PH"},
	{"/api/v1/submissions?jurisdiction=", "jurisdiction", "KZ"},
}

// TestEveryRouteRefusesUnknownCodes: on every route that takes a code, a
// well-formed one the register holds no record of is refused with 400
// naming the parameter, and one it holds is answered; the same in the
// moment after a write, while the codes read once per register state are
// stale: a record added by that write is found (never a wrong 400), and a
// code still unknown is refused (it was let through while stale).
//
// It runs on SQLite, and on PostgreSQL when $OBS_TEST_POSTGRES names one:
// the lookup of a code while stale is a query of each.
func TestEveryRouteRefusesUnknownCodes(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { everyRouteRefusesUnknownCodes(t, openSet(t, fixture.Set(12))) })
	t.Run("postgres", func(t *testing.T) {
		everyRouteRefusesUnknownCodes(t, testreg.OpenPostgres(t, "apicodes", fixture.Set(12)))
	})
}

func everyRouteRefusesUnknownCodes(t *testing.T, db *store.DB) {
	cls := testcls.New(t, nil)
	testreg.ProjectTiers(t, db, cls)
	srv := testreg.Serve(t, New(Config{Open: snapshots(db), Classifier: cls, Memo: memo.New(64), Now: time.Now, Submissions: db}))
	unknown, n := testreg.UnknownCodes, 0
	add := func(param string) string {
		n++
		return testreg.Coded(t, db, param, n-1)
	}
	refused := func(path, param string) {
		t.Helper()
		resp, b := get(t, srv, path)
		var p struct{ Errors []struct{ Location string } }
		json.Unmarshal(b, &p)
		if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "application/problem+json" || len(p.Errors) != 1 || p.Errors[0].Location != "query."+param {
			t.Errorf("GET %s: %d %.300s, want 400 naming query.%s", path, resp.StatusCode, b, param)
		}
	}
	answered := func(path, when string) {
		t.Helper()
		if resp, b := get(t, srv, path); resp.StatusCode != 200 {
			t.Errorf("GET %s, %s: %d %.300s, want 200", path, when, resp.StatusCode, b)
		}
	}
	// A code is checked when another parameter is refused too: the
	// caller hears of both at once.
	for _, path := range []string{"/api/v1/deployments?status=bogus&vendor=nobody", "/api/v1/submissions?state=bogus&jurisdiction=ZZ"} {
		resp, b := get(t, srv, path)
		var p struct{ Errors []struct{ Location string } }
		json.Unmarshal(b, &p)
		if resp.StatusCode != 400 || len(p.Errors) != 2 {
			t.Errorf("GET %s: %d %.300s, want 400 naming both parameters", path, resp.StatusCode, b)
		}
	}
	for _, r := range codeRoutes {
		answered(r.path+r.known, "a code the register holds")
		refused(r.path+unknown[r.param], r.param)
		answered(r.path+add(r.param), "a moment after the write that added it")
		add(r.param)
		refused(r.path+unknown[r.param], r.param)
	}
}
