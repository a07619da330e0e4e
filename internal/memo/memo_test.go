package memo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	k1 = Key{Size: 1, Day: "2026-12-04"}
	k2 = Key{Size: 2, Day: "2026-12-04"}
)

func TestComputedOncePerKey(t *testing.T) {
	c := New(4)
	var calls atomic.Int32
	fn := func(context.Context) (int, error) { calls.Add(1); time.Sleep(10 * time.Millisecond); return 7, nil }
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			v, err := Get(context.Background(), c, k1, "a", fn)
			if v.Val != 7 || err != nil || v.Stale || v.Key != k1 {
				t.Errorf("got %+v, %v", v, err)
			}
		})
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("computed %d times for one key, want 1", calls.Load())
	}
}

// TestStaleWhileComputing checks that once the register grows, requests get
// the older value at once, marked stale, while the newer one is computed.
func TestStaleWhileComputing(t *testing.T) {
	c := New(4)
	Get(context.Background(), c, k1, "a", func(context.Context) (int, error) { return 1, nil })
	release := make(chan struct{})
	slow := func(context.Context) (int, error) { <-release; return 2, nil }
	v, err := Get(context.Background(), c, k2, "a", slow)
	if err != nil || v.Val != 1 || !v.Stale || v.Key != k1 {
		t.Fatalf("while computing: %+v, %v; want the stale value 1", v, err)
	}
	close(release)
	for range 100 {
		if v, _ = Get(context.Background(), c, k2, "a", slow); !v.Stale {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if v.Val != 2 || v.Stale || v.Key != k2 {
		t.Errorf("after computing: %+v", v)
	}
	// An older key is answered with the newer value, not computed again.
	if v, _ := Get(context.Background(), c, k1, "a", slow); v.Val != 2 {
		t.Errorf("an older key: %+v", v)
	}
}

// TestWaitBoundedByRequest checks that a request with no older value waits
// only until its own deadline, and that the computation goes on without it.
func TestWaitBoundedByRequest(t *testing.T) {
	c := New(4)
	release := make(chan struct{})
	var ran atomic.Bool
	fn := func(ctx context.Context) (int, error) {
		<-release
		ran.Store(ctx.Err() == nil) // the request's deadline did not cancel it
		return 3, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := Get(ctx, c, k1, "a", fn); !errors.Is(err, ErrPending) {
		t.Fatalf("err %v, want ErrPending", err)
	}
	close(release)
	v, err := Get(context.Background(), c, k1, "a", fn)
	if err != nil || v.Val != 3 || !ran.Load() {
		t.Errorf("after: %+v, %v, ran on a live context %v", v, err, ran.Load())
	}
}

func TestErrorsAreNotKept(t *testing.T) {
	c := New(4)
	bad := errors.New("bad")
	if _, err := Get(context.Background(), c, k1, "a", func(context.Context) (int, error) { return 0, bad }); err != bad {
		t.Fatalf("err %v", err)
	}
	if v, err := Get(context.Background(), c, k1, "a", func(context.Context) (int, error) { return 2, nil }); v.Val != 2 || err != nil {
		t.Errorf("after an error: %+v, %v; want it computed again", v, err)
	}
}

func TestBounded(t *testing.T) {
	c := New(2)
	for _, n := range []string{"a", "b", "c"} {
		Get(context.Background(), c, k1, n, func(context.Context) (int, error) { return 1, nil })
	}
	if len(c.names) > 2 {
		t.Errorf("%d names kept, max 2", len(c.names))
	}
	if _, ok := c.names["a"]; ok {
		t.Errorf("the least recently used name was kept")
	}
}

// TestComputationsBounded starts more computations than may run at once
// and checks that no more than cap(computing) ever run together, and that
// a request whose value is queued behind them is told to ask again after
// MaxWait rather than held for its whole deadline.
func TestComputationsBounded(t *testing.T) {
	defer func(w time.Duration) { MaxWait = w }(MaxWait)
	MaxWait = 50 * time.Millisecond
	c := New(64)
	var running, most atomic.Int32
	release := make(chan struct{})
	n := cap(computing) + 3
	for i := range n {
		_, err := Get(context.Background(), c, Key{Size: 1}, fmt.Sprint("name", i), func(context.Context) (int, error) {
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			<-release
			running.Add(-1)
			return i, nil
		})
		if !errors.Is(err, ErrPending) {
			t.Fatalf("Get %d while computations run: %v, want ErrPending after MaxWait", i, err)
		}
	}
	close(release)
	for i := range n {
		v, err := Get(context.Background(), c, Key{Size: 1}, fmt.Sprint("name", i), func(context.Context) (int, error) { return -1, nil })
		for errors.Is(err, ErrPending) {
			v, err = Get(context.Background(), c, Key{Size: 1}, fmt.Sprint("name", i), func(context.Context) (int, error) { return -1, nil })
		}
		if err != nil || v.Val != i {
			t.Fatalf("name%d: %v, %v; want the value computed first", i, v.Val, err)
		}
	}
	if m := most.Load(); m > int32(cap(computing)) {
		t.Errorf("%d computations ran at once, want at most %d", m, cap(computing))
	}
}

// TestEvictedComputationCancelled asks for more names than the cache keeps
// while no computation can start: each evicted name's computation must end
// without running, so that requests varying a parameter cannot queue
// whole-register work without bound, and those waiting are told to ask
// again.
func TestEvictedComputationCancelled(t *testing.T) {
	defer func(c chan struct{}) { computing = c }(computing)
	computing = make(chan struct{}, 1)
	computing <- struct{}{} // every place taken
	c := New(2)
	var ran atomic.Int32
	fn := func(context.Context) (int, error) { ran.Add(1); return 1, nil }
	done, cancel := context.WithCancel(context.Background())
	cancel()
	var evicted []*result
	for i := range 10 {
		name := fmt.Sprint("name", i)
		if _, err := Get(done, c, k1, name, fn); !errors.Is(err, ErrPending) {
			t.Fatalf("%s: %v, want ErrPending", name, err)
		}
		c.mu.Lock()
		if i < 8 {
			evicted = append(evicted, c.names[name].pending)
		}
		c.mu.Unlock()
	}
	for i, p := range evicted {
		select {
		case <-p.ready:
			if !errors.Is(p.err, ErrPending) {
				t.Errorf("name%d, evicted: %v, want ErrPending", i, p.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("name%d was evicted, and its computation still waits for a place", i)
		}
	}
	<-computing
	for _, name := range []string{"name8", "name9"} {
		v, err := Get(context.Background(), c, k1, name, fn)
		for errors.Is(err, ErrPending) { // a loaded machine may take longer than MaxWait
			v, err = Get(context.Background(), c, k1, name, fn)
		}
		if err != nil || v.Val != 1 {
			t.Errorf("%s: %v, %v; want 1", name, v.Val, err)
		}
	}
	if n := ran.Load(); n != 2 {
		t.Errorf("%d computations ran, want 2: the evicted ones must not", n)
	}
}

// TestSupersededQueuedComputationCancelled asks for one name at a state,
// then at a later one, while no computation can start: the first must give
// up its place without running, since its value would be replaced before
// anyone used it, and the later one must then run once.
func TestSupersededQueuedComputationCancelled(t *testing.T) {
	defer func(c chan struct{}) { computing = c }(computing)
	computing = make(chan struct{}, 1)
	computing <- struct{}{} // every place taken
	c := New(4)
	var ran []Key
	var mu sync.Mutex
	fn := func(k Key) func(context.Context) (Key, error) {
		return func(context.Context) (Key, error) {
			mu.Lock()
			defer mu.Unlock()
			ran = append(ran, k)
			return k, nil
		}
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Get(done, c, k1, "n", fn(k1)); !errors.Is(err, ErrPending) {
		t.Fatalf("at k1: %v, want ErrPending", err)
	}
	c.mu.Lock()
	first := c.names["n"].pending
	c.mu.Unlock()
	if _, err := Get(done, c, k2, "n", fn(k2)); !errors.Is(err, ErrPending) {
		t.Fatalf("at k2: %v, want ErrPending", err)
	}
	select {
	case <-first.ready:
		if !errors.Is(first.err, ErrPending) {
			t.Errorf("superseded computation: %v, want ErrPending", first.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the computation for k1 still waits for a place after k2 was asked for")
	}
	<-computing
	v, err := Get(context.Background(), c, k2, "n", fn(k2))
	for errors.Is(err, ErrPending) { // a loaded machine may take longer than MaxWait
		v, err = Get(context.Background(), c, k2, "n", fn(k2))
	}
	if err != nil || v.Val != k2 || v.Key != k2 {
		t.Fatalf("at k2: %+v, %v", v, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ran) != 1 || ran[0] != k2 {
		t.Errorf("computations run: %v, want only k2's", ran)
	}
}
