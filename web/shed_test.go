package web

import (
	"testing"
	"time"
)

// TestShedOrder: a place freed goes to the request that has waited
// longest while the queue is one the places let in within a burst, however
// long it has not emptied; in a longer queue, to the newest, those that
// waited standing being shed; a request that leaves the queue is not given
// one, and the places all come back free.
func TestShedOrder(t *testing.T) {
	sh := newShedder(1, time.Hour, 3*time.Second)
	clock := time.Unix(0, 0)
	sh.now = func() time.Time { return clock }
	given := func(w *waiter) bool { return closed(w) && w.given }
	if sh.enter() != nil {
		t.Fatal("the free place not taken at once")
	}
	// Clients that each send the next request as the last is answered:
	// the queue never empties, but drains in a few milliseconds.
	sh.held = 2 * time.Millisecond
	var queue []*waiter
	for range 5 {
		queue = append(queue, sh.enter())
	}
	for i := range 20 {
		clock = clock.Add(standing)
		sh.exit(2 * time.Millisecond)
		if !given(queue[i]) {
			t.Fatalf("a short queue, request %d: not given the place freed, oldest first", i)
		}
		for _, w := range queue[i+1:] {
			if closed(w) {
				t.Fatalf("a short queue, request %d: a later one given a place or shed", i)
			}
		}
		queue = append(queue, sh.enter())
	}
	for _, w := range queue[20:] {
		if !sh.leave(w) {
			t.Fatal("leave: a request still waiting was not in the queue")
		}
	}
	// Requests that hold the place 20 ms, three waiting: 60 ms to let
	// them all in, more than a burst.
	sh.held = 20 * time.Millisecond
	a := sh.enter()
	clock = clock.Add(standing / 2)
	b := sh.enter()
	clock = clock.Add(standing / 2)
	c := sh.enter()
	sh.exit(20 * time.Millisecond)
	if !closed(a) || a.given || closed(b) || !given(c) {
		t.Fatalf("a long queue: a shed %v, b closed %v, c given %v; want a, which waited standing, shed, and c, the newest, given",
			closed(a) && !a.given, closed(b), given(c))
	}
	if sh.leave(a) || sh.leave(c) {
		t.Fatal("leave: a and c had left the queue")
	}
	clock = clock.Add(time.Millisecond)
	sh.exit(20 * time.Millisecond) // b alone waits: within a burst, it is let in
	if !given(b) {
		t.Fatal("b, alone in the queue, was not given the place")
	}
	sh.exit(20 * time.Millisecond)
	if held, waiting := busy(sh, 1); held != 0 || waiting != 0 {
		t.Fatalf("after all: %d places held, %d waiting; want none", held, waiting)
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
func busy(s *shedder, places int) (held, waiting int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return places - s.free, len(s.queue)
}
