// Package ordered runs work on a stream of items on every core, and folds
// the results in the order the items came.
package ordered

import (
	"context"
	"runtime"
	"sync"
)

// batchSize is how many items a worker takes at a time: enough that
// handing them over costs little beside the work.
const batchSize = 64

// Each calls read, which must call emit with each item in order and stop
// when emit returns an error; runs work on the items on every core; and
// calls fold with each item and its result in the order read. Folding in
// order makes totals and lists come out as one loop makes them. The first
// error of read, work or fold stops the reading and is returned.
func Each[T, R any](ctx context.Context, read func(ctx context.Context, emit func(T) error) error,
	work func(T) (R, error), fold func(T, R) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		items []T
		out   []R
		err   error
		done  chan struct{} // closed once out (or err) is set
	}
	n := runtime.GOMAXPROCS(0)
	todo := make(chan *batch, n)
	inOrder := make(chan *batch, 2*n)
	var workers sync.WaitGroup
	for range n {
		workers.Go(func() {
			for b := range todo {
				b.out = make([]R, len(b.items))
				for i, it := range b.items {
					if b.out[i], b.err = work(it); b.err != nil {
						break
					}
				}
				close(b.done)
			}
		})
	}
	folded := make(chan error, 1)
	go func() {
		var first error
		for b := range inOrder {
			<-b.done
			if first != nil {
				continue
			}
			if first = b.err; first != nil {
				cancel()
				continue
			}
			for i, it := range b.items {
				if first = fold(it, b.out[i]); first != nil {
					cancel()
					break
				}
			}
		}
		folded <- first
	}()
	cur := &batch{done: make(chan struct{})}
	send := func() {
		inOrder <- cur
		todo <- cur
		cur = &batch{done: make(chan struct{})}
	}
	readErr := read(ctx, func(it T) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		cur.items = append(cur.items, it)
		if len(cur.items) == batchSize {
			send()
		}
		return nil
	})
	if readErr == nil && len(cur.items) > 0 {
		send()
	}
	close(todo)
	workers.Wait()
	close(inOrder)
	if err := <-folded; err != nil {
		return err
	}
	return readErr
}
