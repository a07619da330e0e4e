// Package memo keeps what is computed from the whole register, for as long
// as the register and the day it was computed for stay the same, and
// computes it away from the requests that ask for it.
//
// The register changes only by appending to its log, so a value computed
// from it at log size N holds until the log grows; values that classify
// deployments also depend on the date they are read at. A Key names both,
// and every cache of the serving layer keys on it: the response cache, the
// pages' aggregates, the index report and scenario counts.
//
// A whole-register computation can take longer than any request should (a
// minute at a million deployments). So a value is computed in a goroutine
// of its own, on a context no request can cancel, and kept once done.
// Meanwhile requests are answered with the newest value computed from an
// earlier state, marked stale; only when there is none does a request wait,
// and then no longer than its own deadline.
package memo

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
)

// Key names the register as of a log size, read on a day.
type Key struct {
	Size int64
	Day  string // YYYY-MM-DD, UTC
}

// KeyAt returns the key of the register at a log size on the day of now.
func KeyAt(size int64, now time.Time) Key {
	return Key{Size: size, Day: now.UTC().Format(time.DateOnly)}
}

// KeyOf returns the key of the register a snapshot reads, on the day of
// now: what the API and the pages key their whole-register results on, as
// the response cache keys its answers on KeyAt.
func KeyOf(ctx context.Context, sn interface {
	Size(context.Context) (int64, error)
}, now time.Time) (Key, error) {
	size, err := sn.Size(ctx)
	return KeyAt(size, now), err
}

// Day returns the UTC date of t at midnight: the date pages and answers
// classify at by default.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// older reports whether a names an earlier state of the register than b: a
// shorter log, or the same log on an earlier day.
func older(a, b Key) bool {
	return a.Size < b.Size || a.Size == b.Size && a.Day < b.Day
}

// ErrPending is returned to a request that gave up waiting for a value
// that is still being computed; it is kept when done.
var ErrPending = errors.New("being computed; ask again shortly")

// MaxCompute bounds one computation, so that a stuck one cannot hold its
// place for ever.
const MaxCompute = 10 * time.Minute

// MaxWait bounds how long a request waits for a value no earlier state
// has: a request that would wait longer is told to ask again
// (ErrPending). On the built-in register every value is ready well before
// it; at a million deployments none is, and a request held for its whole
// deadline only held a connection (docs/performance.md, Overload).
var MaxWait = 2 * time.Second

// computing bounds the computations that run at once. Each reads the
// whole register on one core; seven index dates asked for at once took
// both cores of a 2-core server for minutes, and the requests it accepted
// waited seconds. Half the cores (at least one) are left to requests.
var computing = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))

// Cache keeps named values, each for the newest state it was computed at.
// It holds at most max names; past that the least recently used goes.
type Cache struct {
	max int

	mu    sync.Mutex
	names map[string]*slot
	tick  uint64 // advances with each use, for eviction
}

// slot is one name's newest value and the computation in flight, if any.
type slot struct {
	done    *result // newest value computed, nil before the first
	pending *result // the computation in flight, nil when none
	used    uint64
}

type result struct {
	key     Key
	val     any
	err     error
	ready   chan struct{}      // closed when val or err is set
	cancel  context.CancelFunc // ends the computation, queued or running
	started bool               // fn has begun; guarded by Cache.mu
}

// New returns a cache that keeps at most max names.
func New(max int) *Cache { return &Cache{max: max, names: map[string]*slot{}} }

// Value is a value and the state of the register it was computed at.
type Value[T any] struct {
	Val T
	Key Key
	// Stale is set when the value was computed at an earlier state than
	// asked for; a newer one is being computed.
	Stale bool
}

// Get returns the value named name for the register at key. If the cache
// holds it, it returns it. Otherwise it starts fn, unless it is already
// running for key or a later state, and returns the newest earlier value,
// marked stale; with none, it waits for fn until ctx is done, and then
// returns ErrPending.
//
// fn runs on a context of its own that no request cancels (bounded by
// MaxCompute), so it must open what it reads itself rather than use the
// request's. An error of fn is returned to those waiting for it and not
// kept: the next request starts fn again.
func Get[T any](ctx context.Context, c *Cache, key Key, name string, fn func(context.Context) (T, error)) (Value[T], error) {
	c.mu.Lock()
	s := c.names[name]
	if s == nil {
		c.evict()
		s = &slot{}
		c.names[name] = s
	}
	c.tick++
	s.used = c.tick
	if d := s.done; d != nil && !older(d.key, key) {
		c.mu.Unlock()
		return Value[T]{Val: d.val.(T), Key: d.key}, nil
	}
	p := s.pending
	if p == nil || older(p.key, key) {
		if p != nil && !p.started {
			// Still queued for an older state: its value would be
			// replaced before anyone used it, so it gives up its place.
			p.cancel()
		}
		ctx, cancel := context.WithCancel(context.Background())
		p = &result{key: key, ready: make(chan struct{}), cancel: cancel}
		s.pending = p
		go c.compute(ctx, s, p, func(ctx context.Context) (any, error) { return fn(ctx) })
	}
	d := s.done
	c.mu.Unlock()
	if d != nil {
		return Value[T]{Val: d.val.(T), Key: d.key, Stale: true}, nil
	}
	wait := time.NewTimer(MaxWait)
	defer wait.Stop()
	select {
	case <-p.ready:
		if p.err != nil {
			return Value[T]{}, p.err
		}
		return Value[T]{Val: p.val.(T), Key: p.key}, nil
	case <-ctx.Done():
		return Value[T]{}, ErrPending
	case <-wait.C:
		return Value[T]{}, ErrPending
	}
}

// compute runs fn for p, once a place among the computations is free, and
// keeps its value as s's newest, unless a value for a later state was kept
// meanwhile. If p is cancelled first (its name was evicted, or a later
// state was asked for while p waited for a place), fn does not run, or is
// cancelled, and those waiting for p are told to ask again.
func (c *Cache) compute(ctx context.Context, s *slot, p *result, fn func(context.Context) (any, error)) {
	defer p.cancel()
	sem := computing
	select {
	case sem <- struct{}{}:
		defer func() { <-sem }()
		// A place and a cancellation can be ready together; the
		// cancellation, made under c.mu while p had not started, wins.
		c.mu.Lock()
		p.started = ctx.Err() == nil
		c.mu.Unlock()
		if !p.started {
			p.err = ErrPending
			break
		}
		ctx, cancel := context.WithTimeout(ctx, MaxCompute)
		defer cancel()
		p.val, p.err = fn(ctx)
		if p.err != nil && errors.Is(ctx.Err(), context.Canceled) {
			p.err = ErrPending
		}
	case <-ctx.Done():
		p.err = ErrPending
	}
	c.mu.Lock()
	if s.pending == p {
		s.pending = nil
	}
	if p.err == nil && (s.done == nil || older(s.done.key, p.key)) {
		s.done = p
	}
	c.mu.Unlock()
	close(p.ready)
}

// evict drops the least recently used name when the cache is full, and
// cancels its computation in flight, if any: its value would be dropped,
// and a computation queued for each name ever asked for would let
// requests that vary a parameter queue whole-register work without bound.
func (c *Cache) evict() {
	if len(c.names) < c.max {
		return
	}
	var oldest string
	var used uint64
	for name, s := range c.names {
		if oldest == "" || s.used < used {
			oldest, used = name, s.used
		}
	}
	if p := c.names[oldest].pending; p != nil {
		p.cancel()
	}
	delete(c.names, oldest)
}
