package memo

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGetOncePerKey(t *testing.T) {
	c := New(4)
	var calls atomic.Int32
	fn := func() (int, error) { calls.Add(1); return 7, nil }
	k := Key{Size: 3, Day: "2026-12-04"}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if v, err := Get(c, k, "a", fn); v != 7 || err != nil {
				t.Errorf("got %d, %v", v, err)
			}
		})
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("computed %d times for one key, want 1", calls.Load())
	}
	// A longer log drops what the shorter one held.
	Get(c, Key{Size: 4, Day: "2026-12-04"}, "a", fn)
	if calls.Load() != 2 {
		t.Errorf("a newer key reused the older value")
	}
	// An older key computes without replacing the newer one.
	Get(c, k, "a", fn)
	Get(c, Key{Size: 4, Day: "2026-12-04"}, "a", fn)
	if calls.Load() != 3 {
		t.Errorf("calls %d, want 3: the older key computes once, the newer stays kept", calls.Load())
	}
}

func TestErrorsAreNotKept(t *testing.T) {
	c := New(4)
	k := Key{Size: 1, Day: "2026-12-04"}
	bad := errors.New("bad")
	if _, err := Get(c, k, "a", func() (int, error) { return 0, bad }); err != bad {
		t.Fatalf("err %v", err)
	}
	if v, err := Get(c, k, "a", func() (int, error) { return 2, nil }); v != 2 || err != nil {
		t.Errorf("after an error: %d, %v; want it computed again", v, err)
	}
}

func TestBounded(t *testing.T) {
	c := New(2)
	k := Key{Size: 1, Day: "2026-12-04"}
	for _, n := range []string{"a", "b", "c"} {
		Get(c, k, n, func() (int, error) { return 1, nil })
	}
	if len(c.vals) > 2 {
		t.Errorf("%d values kept, max 2", len(c.vals))
	}
}
