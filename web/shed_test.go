package web

import (
	"testing"
	"time"
)

// TestShedOrder: a place freed goes to the request that has waited
// longest while the queue is a burst, and, once the queue has not emptied
// for standing, to the newest, those that waited standing being shed; a
// request that leaves the queue is not given one, and the places all come
// back free.
func TestShedOrder(t *testing.T) {
	sh := newShedder(1, time.Hour, 3*time.Second)
	clock := time.Unix(0, 0)
	sh.now = func() time.Time { return clock }
	if sh.enter() != nil {
		t.Fatal("the free place not taken at once")
	}
	a := sh.enter()
	clock = clock.Add(time.Millisecond)
	b := sh.enter()
	clock = clock.Add(time.Millisecond)
	c := sh.enter()
	given := func(w *waiter) bool { return closed(w) && w.given }
	sh.exit() // the oldest, a, has waited 2 ms
	if !given(a) || given(b) || given(c) {
		t.Fatalf("in a burst: given a %v, b %v, c %v; want a alone", given(a), given(b), given(c))
	}
	clock = clock.Add(standing - 3*time.Millisecond)
	d := sh.enter()
	clock = clock.Add(time.Millisecond)
	e := sh.enter()
	clock = clock.Add(time.Millisecond)
	sh.exit() // a is done; the queue has not emptied for standing: b waited standing, c 1 ms less
	if !closed(b) || b.given || closed(c) || closed(d) || !given(e) {
		t.Fatalf("in a standing queue: b shed %v, c %v, d %v, e given %v; want b shed and e, the newest, given",
			closed(b) && !b.given, closed(c), closed(d), given(e))
	}
	if sh.leave(b) || !sh.leave(d) || sh.leave(e) {
		t.Fatal("leave: d was waiting, b and e were not")
	}
	clock = clock.Add(time.Millisecond)
	sh.exit() // e is done: c is left alone, and has now waited standing
	if !closed(c) || c.given {
		t.Fatal("c, waiting standing in a queue that stood, was not shed")
	}
	if held, waiting := busy(sh, 1); held != 0 || waiting != 0 {
		t.Fatalf("after all: %d places held, %d waiting; want none", held, waiting)
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
