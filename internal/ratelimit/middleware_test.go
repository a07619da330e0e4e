package ratelimit

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestMiddleware: past the limit, 429 with Retry-After in whole seconds,
// set before refuse writes the rest, or without refuse as plain text;
// next is not called.
func TestMiddleware(t *testing.T) {
	c := newClock("2026-12-05T10:00:00Z")
	var nexts int
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { nexts++ })
	var refused time.Duration
	refuse := func(w http.ResponseWriter, r *http.Request, wait time.Duration) {
		if w.Header().Get("Retry-After") == "" {
			t.Error("refuse was called before Retry-After was set")
		}
		refused = wait
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"status":429}`))
	}
	for _, withRefuse := range []bool{true, false} {
		l := New(Limit{Rate: 0.1, Burst: 1}, 10, c.now)
		h := l.Middleware(next, refuse)
		if !withRefuse {
			h = l.Middleware(next, nil)
		}
		nexts, refused = 0, 0
		get := func() *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			return w
		}
		if w := get(); w.Code != 200 || nexts != 1 {
			t.Fatalf("first request: %d, next called %d times", w.Code, nexts)
		}
		c.add(2500 * time.Millisecond) // 7.5s to go: Retry-After 8
		w := get()
		if w.Code != 429 || w.Header().Get("Retry-After") != "8" || nexts != 1 {
			t.Fatalf("second request: %d, Retry-After %q, next called %d times", w.Code, w.Header().Get("Retry-After"), nexts)
		}
		if withRefuse && (refused != 8*time.Second || w.Body.String() != `{"status":429}`) {
			t.Fatalf("refuse: called with %v, body %q", refused, w.Body)
		}
		if !withRefuse && (w.Body.String() != "too many requests\n" || w.Header().Get("Content-Type") != "text/plain; charset=utf-8") {
			t.Fatalf("without refuse: body %q, type %q", w.Body, w.Header().Get("Content-Type"))
		}
		c.add(8 * time.Second)
		if w := get(); w.Code != 200 || nexts != 2 {
			t.Fatalf("after Retry-After: %d, next called %d times", w.Code, nexts)
		}
	}
}
