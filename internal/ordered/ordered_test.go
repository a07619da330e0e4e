package ordered

import (
	"context"
	"errors"
	"testing"
)

func count(n int) func(context.Context, func(int) error) error {
	return func(_ context.Context, emit func(int) error) error {
		for i := range n {
			if err := emit(i); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestEach checks that results are folded in read order with their own
// items, and that an error of work or fold stops the reading.
func TestEach(t *testing.T) {
	next := 0
	err := Each(context.Background(), count(1000), func(i int) (int, error) { return i * i, nil }, func(i, sq int) error {
		if i != next || sq != i*i {
			t.Fatalf("folded %d (%d) after %d", i, sq, next-1)
		}
		next++
		return nil
	})
	if err != nil || next != 1000 {
		t.Fatalf("folded %d of 1000: %v", next, err)
	}
	bad := errors.New("bad")
	read := 0
	err = Each(context.Background(), func(ctx context.Context, emit func(int) error) error {
		return count(100000)(ctx, func(i int) error { read++; return emit(i) })
	}, func(i int) (int, error) {
		if i == 500 {
			return 0, bad
		}
		return i, nil
	}, func(int, int) error { return nil })
	if !errors.Is(err, bad) || read == 100000 {
		t.Errorf("work's error: %v after reading %d of 100000", err, read)
	}
	folds := 0
	err = Each(context.Background(), count(1000), func(i int) (int, error) { return i, nil }, func(int, int) error {
		if folds++; folds == 10 {
			return bad
		}
		return nil
	})
	if !errors.Is(err, bad) || folds != 10 {
		t.Errorf("fold's error: %v after %d folds, want it after 10", err, folds)
	}
}
