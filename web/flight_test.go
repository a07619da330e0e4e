package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testCache is a response cache at a fixed register state and day.
func testCache() *responseCache {
	day := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	return &responseCache{now: func() time.Time { return day }}
}

// serveAsync serves a GET of path through c in a goroutine of its own,
// into rec, and returns a channel closed when it has answered.
func serveAsync(c *responseCache, rec http.ResponseWriter, path string, next http.Handler) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		c.serve(rec, httptest.NewRequest("GET", path, nil), 1, next)
		close(done)
	}()
	return done
}

// flightOf returns the flight in progress for a URL, nil if none.
func flightOf(c *responseCache, key string) *flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flights[key]
}

// A blocked answer for one URL delays neither a cached answer for another
// nor, with every place among the readers taken, the cache's answers at
// all; the requests for the blocked URL that arrive meanwhile wait for its
// one computation instead of each starting their own, and are sent its
// answer, a 503 with Retry-After as much as a 200.
func TestFlightSharesBlockedAnswer(t *testing.T) {
	c := testCache()
	sh := newShedder(1, time.Millisecond, 3*time.Second)
	release, entered := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/blocked":
			calls.Add(1)
			close(entered)
			<-release
			w.Header().Set("Retry-After", "5")
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "being computed", http.StatusServiceUnavailable)
		default:
			w.Write([]byte("cached " + r.URL.Path))
		}
	})
	serve := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		c.serve(rec, httptest.NewRequest("GET", path, nil), 1, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sh.serve(w, r, next) }))
		return rec
	}
	if rec := serve("/hot"); rec.Code != 200 {
		t.Fatalf("/hot first: %d", rec.Code)
	}
	leader := make(chan *httptest.ResponseRecorder)
	go func() { leader <- serve("/blocked") }()
	<-entered // the leader holds the only place
	// Served from the cache in this goroutine while the leader is blocked:
	// were it queued behind it, the test would not go on.
	if rec := serve("/hot"); rec.Code != 200 || rec.Body.String() != "cached /hot" {
		t.Fatalf("/hot while /blocked is made: %d %q", rec.Code, rec.Body.String())
	}
	const n = 5
	var wg sync.WaitGroup
	followers := make([]*httptest.ResponseRecorder, n)
	for i := range n {
		wg.Go(func() { followers[i] = serve("/blocked") })
	}
	f := flightOf(c, "/blocked")
	if f == nil {
		t.Fatal("no flight for /blocked while its leader is blocked")
	}
	for f.waiting.Load() < n {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if rec := <-leader; rec.Code != 503 {
		t.Fatalf("leader: %d", rec.Code)
	}
	for i, rec := range followers {
		if rec.Code != 503 || rec.Header().Get("Retry-After") != "5" || rec.Body.String() != "being computed\n" {
			t.Errorf("follower %d: %d, Retry-After %q, %q; want the leader's 503", i, rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
		}
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("/blocked made %d times for %d requests at once; want 1", got, n+1)
	}
	if flightOf(c, "/blocked") != nil {
		t.Error("the flight outlived its leader")
	}
}

// A request waiting for another's answer waits no longer than its own
// deadline, and is then told to retry.
func TestFlightWaitBounded(t *testing.T) {
	c := testCache()
	release, entered := make(chan struct{}), make(chan struct{})
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		w.Write([]byte("late"))
	})
	done := serveAsync(c, httptest.NewRecorder(), "/slow", next)
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	rec := httptest.NewRecorder()
	go func() {
		for f := flightOf(c, "/slow"); f.waiting.Load() == 0; {
			time.Sleep(time.Millisecond)
		}
		cancel() // the follower's deadline passes
	}()
	c.serve(rec, httptest.NewRequest("GET", "/slow", nil).WithContext(ctx), 1, next)
	if rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("past its deadline: %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	close(release)
	<-done
}

// What may not be shared is made again for each request: a page that
// sets a cookie, or asks caches not to keep it.
func TestFlightNotShared(t *testing.T) {
	for name, set := range map[string]func(http.Header){
		"cookie":   func(h http.Header) { h.Set("Set-Cookie", "token=1") },
		"no-store": func(h http.Header) { h.Set("Cache-Control", "no-store") },
	} {
		c := testCache()
		release, entered := make(chan struct{}), make(chan struct{}, 2)
		var calls atomic.Int32
		next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				entered <- struct{}{}
				<-release
			}
			set(w.Header())
			w.Write([]byte("page"))
		})
		done := serveAsync(c, httptest.NewRecorder(), "/form", next)
		<-entered
		rec := httptest.NewRecorder()
		followed := serveAsync(c, rec, "/form", next)
		for flightOf(c, "/form").waiting.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		close(release)
		<-done
		<-followed
		if calls.Load() != 2 || rec.Code != 200 {
			t.Errorf("%s: made %d times, follower %d; want 2 and 200", name, calls.Load(), rec.Code)
		}
	}
}

// A request whose deadline passes while it waits for a place is answered
// 503 with Retry-After, not left with an empty 200.
func TestShedPastDeadline(t *testing.T) {
	sh := newShedder(1, time.Hour, 3*time.Second)
	sh.enter() // every place taken
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	sh.serve(rec, httptest.NewRequest("GET", "/", nil).WithContext(ctx), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("served without a place")
	}))
	if rec.Code != 503 || rec.Header().Get("Retry-After") != "3" {
		t.Errorf("past the deadline: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
}
