package web

import (
	"testing"
	"time"
)

// TestShedOrder: a place freed goes to the request that has waited
// longest while the queue is a burst, and to the newest once the oldest
// has waited past standing; a request that leaves the queue is not given
// one, and the places all come back free.
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
	given := func(w *waiter) bool {
		select {
		case <-w.place:
			return true
		default:
			return false
		}
	}
	sh.exit() // the oldest, a, has waited 2 ms
	if !given(a) || given(b) || given(c) {
		t.Fatalf("in a burst: given a %v, b %v, c %v; want a alone", given(a), given(b), given(c))
	}
	clock = clock.Add(standing)
	sh.exit() // a is done; b has waited past standing
	if given(b) || !given(c) {
		t.Fatalf("in a standing queue: given b %v, c %v; want c, the newest", given(b), given(c))
	}
	if !sh.leave(b) || sh.leave(c) {
		t.Fatal("leave: b was waiting and c was not")
	}
	sh.exit() // c is done
	if held, waiting := sh.busy(); held != 0 || waiting != 0 {
		t.Fatalf("after all: %d places held, %d waiting; want none", held, waiting)
	}
}
