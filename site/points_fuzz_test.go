package site

import (
	"net/http/httptest"
	"testing"
)

// FuzzHomeQuery: whatever the query, the home page answers with the page
// (200) or the page naming a bad parameter (400), never a server error.
func FuzzHomeQuery(f *testing.F) {
	for _, q := range []string{"", "map=gap", "map=deployments&colour=tier", "map=deployments&colour=technology",
		"map=points", "colour=tier", "map=deployments&map=gap", "map=%ff", "map=deployments&colour=%00", "a=b&c",
		"member=asean", "member=ASEAN", "member=asean&member=quad", "member=%00", "member=asean&map=gap"} {
		f.Add(q)
	}
	s, _ := homeSite(f)
	f.Fuzz(func(t *testing.T, q string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.RawQuery = q
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("?%s: %d", q, rec.Code)
		}
	})
}
