package web

import (
	"testing"
	"time"
)

// TestShedOrder: a place freed goes to the request that has waited
// longest while the queue is a burst, and, once the queue has not emptied
// for standing and is long, to the newest, those that waited standing
// being shed; a request that leaves the queue is not given one, and the
// places all come back free.
func TestShedOrder(t *testing.T) {
	sh := newShedder(1, time.Hour, 3*time.Second)
	clock := time.Unix(0, 0)
	sh.now = func() time.Time { return clock }
	sh.held = 20 * time.Millisecond // each request holds the place 20 ms
	if sh.enter() != nil {
		t.Fatal("the free place not taken at once")
	}
	a := sh.enter()
	clock = clock.Add(time.Millisecond)
	b := sh.enter()
	clock = clock.Add(time.Millisecond)
	c := sh.enter()
	given := func(w *waiter) bool { return closed(w) && w.given }
	sh.exit(20 * time.Millisecond) // the oldest, a, has waited 2 ms
	if !given(a) || given(b) || given(c) {
		t.Fatalf("in a burst: given a %v, b %v, c %v; want a alone", given(a), given(b), given(c))
	}
	clock = clock.Add(standing - 3*time.Millisecond)
	d := sh.enter()
	clock = clock.Add(time.Millisecond)
	e := sh.enter()
	clock = clock.Add(time.Millisecond)
	// a is done; the queue has not emptied for standing, and its four
	// would take 80 ms to let in: b waited standing, c 1 ms less.
	sh.exit(20 * time.Millisecond)
	if !closed(b) || b.given || closed(c) || closed(d) || !given(e) {
		t.Fatalf("in a standing queue: b shed %v, c %v, d %v, e given %v; want b shed and e, the newest, given",
			closed(b) && !b.given, closed(c), closed(d), given(e))
	}
	if sh.leave(b) || !sh.leave(d) || sh.leave(e) {
		t.Fatal("leave: d was waiting, b and e were not")
	}
	clock = clock.Add(time.Millisecond)
	sh.exit(20 * time.Millisecond) // e is done: c is left alone, and has now waited standing
	if !closed(c) || c.given {
		t.Fatal("c, waiting standing in a queue that stood, was not shed")
	}
	if held, waiting := busy(sh); held != 0 || waiting != 0 {
		t.Fatalf("after all: %d places held, %d waiting; want none", held, waiting)
	}
}

// TestShedShortQueue: clients that each send their next request as the
// last is answered keep the queue from emptying, but the place lets it all
// in within rescue: newest first, the oldest let in once it has waited
// rescue, and none shed, however long the queue stands.
func TestShedShortQueue(t *testing.T) {
	const took = 2 * time.Millisecond
	sh := newShedder(1, time.Hour, 3*time.Second)
	clock := time.Unix(0, 0)
	sh.now = func() time.Time { return clock }
	sh.held = took
	if sh.enter() != nil {
		t.Fatal("the free place not taken at once")
	}
	waiting := map[*waiter]time.Time{}
	for range 5 {
		waiting[sh.enter()] = clock
	}
	longest, rescued := time.Duration(0), 0
	for range 200 {
		clock = clock.Add(took)
		sh.exit(took)
		for w, at := range waiting {
			if !closed(w) {
				continue
			}
			if !w.given {
				t.Fatalf("a request shed after %v in a queue the place drains in %v", clock.Sub(at), 5*took)
			}
			if wt := clock.Sub(at); wt > longest {
				longest = wt
			}
			if clock.Sub(at) >= rescue {
				rescued++
			}
			delete(waiting, w)
			waiting[sh.enter()] = clock // its client's next request
		}
	}
	if longest >= rescue+took || rescued == 0 {
		t.Fatalf("the longest wait %v, %d let in at rescue; want some let in at rescue (%v), none later", longest, rescued, rescue)
	}
	// The same queue, each request holding the place 20 ms: 100 ms to let
	// it in, and newest first leaves the oldest to be shed at standing.
	sh.held = 20 * time.Millisecond
	shed := 0
	for range 50 {
		clock = clock.Add(5 * time.Millisecond)
		sh.exit(20 * time.Millisecond)
		for w := range waiting {
			if closed(w) {
				if !w.given {
					shed++
				}
				delete(waiting, w)
				waiting[sh.enter()] = clock
			}
		}
	}
	if shed == 0 {
		t.Fatal("a long standing queue: none shed")
	}
}

// TestShedHeld: the time a place is held is a moving average of the
// requests served; a place given and not used does not count.
func TestShedHeld(t *testing.T) {
	sh := newShedder(2, time.Hour, time.Second)
	for range 200 {
		sh.enter()
		sh.exit(8 * time.Millisecond)
	}
	if sh.held < 7*time.Millisecond || sh.held > 8*time.Millisecond {
		t.Fatalf("after 200 requests of 8 ms: held %v", sh.held)
	}
	before := sh.held
	sh.enter()
	sh.exit(0)
	if sh.held != before {
		t.Fatalf("a place not used moved held from %v to %v", before, sh.held)
	}
}

// closed says whether w has left the queue, given a place or shed.
func closed(w *waiter) bool {
	select {
	case <-w.place:
		return true
	default:
		return false
	}
}

// busy says how many of a shedder's places requests hold, and how many
// requests wait for one.
func busy(s *shedder) (held, waiting int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.places - s.free, len(s.queue)
}
