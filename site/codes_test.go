package site

import (
	"context"
	"strings"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/internal/memo"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
)

// codePages are the pages that take a code naming a record, each by the
// path its code is appended to, the parameter, a code the fixture's
// register holds, and the form it refuses on ("" for the error page: the
// network pages).
var codePages = []struct{ path, param, known, form string }{
	{"/search?jurisdiction=", "jurisdiction", "PK", "/search"},
	{"/search?vendor=", "vendor", "vendor-a", "/search"},
	{"/search?vendor_hq=", "vendor_hq", "CN", "/search"},
	{"/scenarios?framework=eu-ai-act&jurisdiction=", "jurisdiction", "PH", "/scenarios"},
	{"/review?jurisdiction=", "jurisdiction", "KZ", "/review"},
	{"/network?jurisdiction=", "jurisdiction", "PK", ""},
	{"/network.csv?vendor_hq=", "vendor_hq", "JP", ""},
	{"/money?jurisdiction=", "jurisdiction", "PH", ""},
	{"/trends?vendor_hq=", "vendor_hq", "CN", ""},
}

// TestEveryPageRefusesUnknownCodes: on every page that takes a code, a
// well-formed one the register holds no record of is refused with 400,
// on the page's form with the message beside the field where it has one;
// a code it holds is answered; and in the moment after a write, while the
// codes read once per register state are stale, a record that write added
// is found (never a wrong 400) and a code still unknown is refused.
func TestEveryPageRefusesUnknownCodes(t *testing.T) {
	db := testreg.Open(t, fixture.Set(12))
	s, err := New(Config{
		Open:       func(ctx context.Context) (Reader, error) { return db.Snapshot(ctx) },
		Classifier: testcls.New(t, nil), Memo: memo.New(16), Now: time.Now, Submissions: db,
	})
	if err != nil {
		t.Fatal(err)
	}
	unknown, n := testreg.UnknownCodes, 0
	add := func(param string) string {
		n++
		return testreg.Coded(t, db, param, n-1)
	}
	// A code is checked when another parameter is refused too: the reader
	// hears of both at once, not of the code after putting the other right.
	for _, c := range []struct{ path, other string }{
		{"/search?status=bogus&vendor=nobody", "status"},
		{"/scenarios?framework=nope&jurisdiction=ZZ", "framework"},
		{"/review?state=bogus&jurisdiction=ZZ", "state"},
	} {
		param := map[bool]string{true: "vendor", false: "jurisdiction"}[strings.Contains(c.path, "vendor=")]
		st, page := get(t, s, c.path)
		for _, f := range []string{c.other, param} {
			if st != 400 || !strings.Contains(page, `<small class="error" id="`+f+`-error">`) {
				t.Errorf("%s: %d, no message beside %s", c.path, st, f)
			}
		}
	}
	for _, p := range codePages {
		refused := func(when string) {
			t.Helper()
			path := p.path + unknown[p.param]
			st, page := get(t, s, path)
			switch {
			case st != 400 || !containsText(page, " "+p.param+": "):
				t.Errorf("%s, %s: %d, want 400 naming %s", path, when, st, p.param)
			case p.form == "":
			case !strings.Contains(page, `<form method="get" action="`+p.form+`"`) || !strings.Contains(page, `role="alert"`):
				t.Errorf("%s, %s: want the form again, under an alert", path, when)
			case !strings.Contains(page, `<small class="error" id="`+p.param+`-error">`) || !strings.Contains(page, `aria-invalid="true" aria-describedby="`+p.param+`-error"`):
				t.Errorf("%s, %s: no message beside the field", path, when)
			}
		}
		answered := func(code, when string) {
			t.Helper()
			if st, page := get(t, s, p.path+code); st != 200 || strings.Contains(page, `role="alert"`) {
				t.Errorf("%s%s, %s: %d, or an alert shown; want 200", p.path, code, when, st)
			}
		}
		answered(p.known, "a code the register holds")
		refused("the register unchanged")
		answered(add(p.param), "a moment after the write that added it")
		add(p.param)
		refused("a moment after a write")
	}
}
