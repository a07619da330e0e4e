package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// A shedder bounds the requests that reach the register at once. A request
// past the bound waits briefly for a place, then is answered 503 with
// Retry-After: under overload the server sheds what it cannot serve instead
// of queueing it without bound, so that the requests it accepts keep their
// latency. Answers from the response cache do not count.
//
// The requests waiting are let in oldest first while the queue is a burst,
// which the places drain in its order. Once the queue has not emptied for
// standing, the server is being sent as much as it can serve or more: then
// they are let in newest first, and those that have waited standing are
// shed. Oldest first, every request accepted then waited as long as the
// queue was: at 1M deployments, offered the capacity itself, the p95 of
// the requests accepted was the whole wait (248 of 273 ms at p99;
// docs/performance.md). Newest first, most wait little, and those left
// behind are shed at standing rather than served late: at 1M, the p99 of
// the accepted fell under 80 ms, and at equal rates fewer were shed than
// before (docs/performance.md, "At capacity, 1M, 7 Dec").
//
// A queue can stand and yet be short: a fixed number of clients, each
// sending its next request as the last is answered, keep it from emptying
// though the places drain it in milliseconds. Newest first left its oldest
// to be shed, 6-15% of sixteen clients' requests at 100k, all of which the
// server had time for. So while the places, at the pace they have been
// freeing, would let the whole queue in within rescue, the oldest is let
// in once it has waited rescue, before it would be shed
// (docs/performance.md, "A short queue that stands").
type shedder struct {
	mu     sync.Mutex
	places int
	free   int       // places no request holds
	queue  []*waiter // the requests waiting, oldest first
	// since is when the queue last went from empty to not, while it is
	// not empty.
	since time.Time
	// held is how long a request has held a place, a moving average of
	// the requests served.
	held  time.Duration
	wait  time.Duration // the longest a request waits, in a burst
	retry time.Duration // what Retry-After tells a shed client
	now   func() time.Time
}

// standing is how long a queue that does not empty is taken for a burst:
// a few of the slower requests' times, and what a request waits at most
// once the queue stands. At 1M deployments 50 ms shed 4-11% of the
// requests at 300-400 uncached a second, 100 ms let the p99 of the
// accepted reach 91-94 ms; 75 ms shed 4-7% with a p99 of 67-78 ms
// (docs/performance.md, "At capacity, 1M, 7 Dec").
const standing = 75 * time.Millisecond

// rescue is how long the oldest request of a short standing queue waits
// before it is let in, and how soon the places must let in the whole of
// the queue for it to be short: half of standing, well before the oldest
// would be shed. It costs the p99 of an open load at 1M 5-16 ms; a
// quarter of standing cost 3-8 ms, but shed up to 4% of a kind of sixteen
// clients' requests at 100k (docs/performance.md, "A short queue that
// stands").
const rescue = standing / 2

// heldWeight is the weight of the latest request in held: 1/16, enough to
// follow a change of load within a few dozen requests.
const heldWeight = 16

// A waiter is a request waiting for a place. Its place is closed when it
// is given one (given) or shed.
type waiter struct {
	at    time.Time
	place chan struct{}
	given bool
}

func newShedder(n int, wait, retry time.Duration) *shedder {
	return &shedder{places: n, free: n, wait: wait, retry: retry, now: time.Now}
}

// serve runs next if a place frees up within the wait, and sheds the
// request otherwise.
func (s *shedder) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if wt := s.enter(); wt != nil {
		t := time.NewTimer(s.wait)
		defer t.Stop()
		select {
		case <-wt.place:
			if !wt.given {
				shed(w, s.retry)
				return
			}
		case <-t.C:
			// Given a place as the wait ended, it is served.
			if s.leave(wt) || !wt.given {
				shed(w, s.retry)
				return
			}
		case <-r.Context().Done():
			// Past its deadline: answered, not left with an empty 200.
			if !s.leave(wt) && wt.given {
				s.exit(0)
			}
			shed(w, s.retry)
			return
		}
	}
	start := s.now()
	defer func() { s.exit(s.now().Sub(start)) }()
	next.ServeHTTP(w, r)
}

// enter takes a free place and returns nil, or, with none free or others
// waiting, returns the request's place in the queue.
func (s *shedder) enter() *waiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.free > 0 && len(s.queue) == 0 {
		s.free--
		return nil
	}
	now := s.now()
	if len(s.queue) == 0 {
		s.since = now
	}
	wt := &waiter{at: now, place: make(chan struct{})}
	s.queue = append(s.queue, wt)
	return wt
}

// leave takes wt out of the queue and says so, or says false if it left
// it already: given a place, which it then holds (given), or shed.
func (s *shedder) leave(wt *waiter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.Index(s.queue, wt)
	if i < 0 {
		return false
	}
	s.queue = slices.Delete(s.queue, i, i+1)
	return true
}

// exit gives back a place a request held for took (0: given a place it did
// not use) to a request waiting: the oldest while the queue is a burst; in
// a queue that stands, after shedding those that waited standing, the
// newest, or the oldest if it has waited rescue and the queue is short
// (behind); or frees it.
func (s *shedder) exit(took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if took > 0 {
		s.held += (took - s.held) / heldWeight
	}
	now := s.now()
	stands := len(s.queue) > 0 && now.Sub(s.since) >= standing
	if stands {
		stale := 0
		for stale < len(s.queue) && now.Sub(s.queue[stale].at) >= standing {
			close(s.queue[stale].place)
			stale++
		}
		s.queue = slices.Delete(s.queue, 0, stale)
	}
	n := len(s.queue)
	if n == 0 {
		s.free++
		return
	}
	i := 0
	if stands && (now.Sub(s.queue[0].at) < rescue || s.behind() > rescue) {
		i = n - 1
	}
	s.queue[i].given = true
	close(s.queue[i].place)
	s.queue = slices.Delete(s.queue, i, i+1)
}

// behind is how long the places, each held as long as requests have held
// one, would take to let in the whole queue. s.mu is held.
func (s *shedder) behind() time.Duration {
	return time.Duration(len(s.queue)) * s.held / time.Duration(s.places)
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
