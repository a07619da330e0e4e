// Package memo keeps what is computed from the whole register, for as long
// as the register and the day it was computed for stay the same.
//
// The register changes only by appending to its log, so a value computed
// from it at log size N holds until the log grows; values that classify
// deployments also depend on the date they are read at. A Key names both,
// and every cache of the serving layer keys on it: the response cache, the
// pages' aggregates, the index report and scenario counts.
package memo

import (
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

// Day returns the UTC date of t at midnight: the date pages and answers
// classify at by default.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Cache keeps named values for the newest key it was asked about, at most
// max of them; a newer key drops them all. A value is computed once however
// many requests ask for it at the same time: the others wait for it.
type Cache struct {
	max int

	mu   sync.Mutex
	key  Key
	vals map[string]*entry
}

type entry struct {
	done chan struct{} // closed when val and err are set
	val  any
	err  error
}

// New returns a cache that keeps at most max values.
func New(max int) *Cache { return &Cache{max: max, vals: map[string]*entry{}} }

// Get returns the value named name for key, computing it with fn if the
// cache does not hold it. An error is returned, not kept: the next request
// computes again. A request for an older key than the cache's computes
// without keeping the value.
func Get[T any](c *Cache, key Key, name string, fn func() (T, error)) (T, error) {
	c.mu.Lock()
	if newer(key, c.key) {
		c.key, c.vals = key, map[string]*entry{}
	}
	if key != c.key {
		c.mu.Unlock()
		return fn()
	}
	e := c.vals[name]
	if e == nil {
		if len(c.vals) >= c.max {
			c.vals = map[string]*entry{}
		}
		e = &entry{done: make(chan struct{})}
		c.vals[name] = e
		c.mu.Unlock()
		v, err := fn()
		e.val, e.err = v, err
		if err != nil {
			c.mu.Lock()
			if c.vals[name] == e {
				delete(c.vals, name)
			}
			c.mu.Unlock()
		}
		close(e.done)
		return v, err
	}
	c.mu.Unlock()
	<-e.done
	if e.err != nil {
		var zero T
		return zero, e.err
	}
	return e.val.(T), nil
}

// newer reports whether a names a later state of the register than b: a
// longer log, or the same log on a later day.
func newer(a, b Key) bool {
	return a.Size > b.Size || a.Size == b.Size && a.Day > b.Day
}
