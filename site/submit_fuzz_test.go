package site

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
)

// FuzzProposalForm feeds any form to the reader of the submission form and
// checks that it never panics and that what it reads passes, or fails,
// the proposal's checks without a panic either.
func FuzzProposalForm(f *testing.F) {
	db := testreg.Open(f, fixture.Set(2))
	for _, s := range []string{
		"kind=new&title=T&jurisdiction=pk&status=unknown&certainty=reported&evidence0.url=https://example.org/a&capabilities=cctv&vendor0.id=vendor-a&vendor0.role=prime",
		"kind=change&target=synthetic-pk-0000000&title=T&jurisdiction=PK&evidence0.published=2026-13-01",
		"kind=dispute&target=synthetic-pk-0000000&message=m&evidence1.url=x&evidence2.translated=yes",
		"kind=%ff&target=..%2F&title=%00", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		r := httptest.NewRequest("POST", "/submit", strings.NewReader(v.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			return
		}
		sn, err := db.Snapshot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer sn.Close()
		p, err := proposalFromForm(r, sn)
		if err != nil {
			return
		}
		p.Check()
	})
}
