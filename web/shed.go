package web

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// A shedder bounds the requests that reach the register at once. A request
// past the bound waits briefly for a place, then is answered 503 with
// Retry-After: under overload the server sheds what it cannot serve instead
// of queueing it without bound, so that the requests it accepts keep their
// latency. Answers from the response cache do not count.
type shedder struct {
	slots chan struct{}
	wait  time.Duration // how long a request waits for a place
	retry time.Duration // what Retry-After tells a shed client
}

func newShedder(n int, wait, retry time.Duration) *shedder {
	return &shedder{slots: make(chan struct{}, n), wait: wait, retry: retry}
}

// serve runs next if a place frees up within the wait, and sheds the
// request otherwise.
func (s *shedder) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	select {
	case s.slots <- struct{}{}:
	default:
		t := time.NewTimer(s.wait)
		defer t.Stop()
		select {
		case s.slots <- struct{}{}:
		case <-t.C:
			shed(w, s.retry)
			return
		case <-r.Context().Done():
			// Past its deadline: answered, not left with an empty 200.
			shed(w, s.retry)
			return
		}
	}
	defer func() { <-s.slots }()
	next.ServeHTTP(w, r)
}

// shed answers 503 with Retry-After in whole seconds.
func shed(w http.ResponseWriter, retry time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retry/time.Second))))
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "the server is busy; retry after the time in Retry-After", http.StatusServiceUnavailable)
}

// withDeadline bounds the time a request may take from its arrival: its
// waits for a place (shedder), for the same answer being made (flight) and
// for a database connection count, and past the deadline its context is
// done, its queries are cancelled, and it is answered 503 with Retry-After
// instead of holding a connection. Exports stream for as long as the file
// takes, so they are not bounded here. The returned function releases the
// deadline's timer.
func withDeadline(d time.Duration, r *http.Request) (*http.Request, context.CancelFunc) {
	if r.URL.Path == "/api/v1/export" {
		return r, func() {}
	}
	ctx, cancel := context.WithTimeout(r.Context(), d)
	return r.WithContext(ctx), cancel
}
