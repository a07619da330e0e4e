package analysis

import (
	"context"
	"runtime"
	"sync"

	"oversight/registry"
	"oversight/store"
)

// eachInOrder reads the deployments f selects and runs work on them on
// every core, then fold on each result in the order they were read (id
// order): totals and lists come out exactly as a single loop makes them,
// while classifying, most of the cost, runs in parallel. The first error
// of work or fold stops the reading and is returned.
func eachInOrder[T any](ctx context.Context, reg Register, f store.DeploymentFilter,
	work func(*registry.Deployment) (T, error), fold func(*registry.Deployment, T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		ds   []*registry.Deployment
		out  []T
		err  error
		done chan struct{} // closed once out (or err) is set
	}
	const size = 64
	n := runtime.GOMAXPROCS(0)
	todo := make(chan *batch, n)
	inOrder := make(chan *batch, 2*n)
	var workers sync.WaitGroup
	for range n {
		workers.Go(func() {
			for b := range todo {
				b.out = make([]T, len(b.ds))
				for i, d := range b.ds {
					if b.out[i], b.err = work(d); b.err != nil {
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
			for i, d := range b.ds {
				if first = fold(d, b.out[i]); first != nil {
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
	readErr := reg.EachDeployment(ctx, f, func(d *registry.Deployment) error {
		cur.ds = append(cur.ds, d)
		if len(cur.ds) == size {
			send()
		}
		return nil
	})
	if readErr == nil && len(cur.ds) > 0 {
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
