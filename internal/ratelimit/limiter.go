package ratelimit

import (
	"math"
	"sync"
	"time"
)

// A Limiter keeps a token bucket of one [Limit] for each client it has
// seen, for at most a fixed number of clients. It is safe for concurrent
// use.
type Limiter struct {
	t, tau     time.Duration // see Limit.interval
	maxClients int
	now        func() time.Time

	mu      sync.Mutex
	key     dailyKey  // the key of today, and the day it is for
	epoch   time.Time // when key was made; bucket times count from it
	clients *table
}

// New returns a limiter that allows each client limit, remembering at most
// maxClients clients at once and reading the time from now (time.Now in
// production; a fake clock in tests). It panics if limit has no positive,
// finite Rate or a Burst below 1; a maxClients below 1 is taken as 1.
//
// When maxClients clients are remembered, a new client takes the place of
// the one seen least recently, which is then forgotten: if it comes back
// it starts again with a full bucket. The other choice, refusing new
// clients or sharing one bucket among them while the table is full, would
// let anyone with enough addresses shut every newcomer out, which is
// worse for a public register than letting a client forgotten under such
// a flood have a fresh burst. Clients that keep coming back stay at the
// front and are not forgotten unless maxClients others come in between.
func New(limit Limit, maxClients int, now func() time.Time) *Limiter {
	t, tau := limit.interval()
	maxClients = min(max(maxClients, 1), math.MaxInt32)
	return &Limiter{t: t, tau: tau, maxClients: maxClients, now: now}
}

// Allow takes a token from client's bucket and reports whether there was
// one. When there was none, retryAfter is the time until there is one,
// rounded up to a whole number of seconds, at least one; when there was,
// it is 0. A refused request takes nothing, so a client that waits
// retryAfter is then allowed.
//
// Allow keeps nothing of client but its keyed hash (see the package
// documentation). Each call costs O(1) whatever the number of clients.
func (l *Limiter) Allow(client string) (ok bool, retryAfter time.Duration) {
	now := l.now()
	day := utcDay(now)

	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.key.current(day) {
		l.epoch = now
		l.clients = newTable(l.maxClients)
	}
	at := int64(now.Sub(l.epoch))
	e := l.clients.get(l.key.sum(client), at)
	tat := max(e.tat, at)
	if wait := time.Duration(tat - at); wait > l.tau {
		return false, roundUp(wait - l.tau)
	}
	e.tat = tat + int64(l.t)
	return true, 0
}

// roundUp returns d rounded up to whole seconds, at least one.
func roundUp(d time.Duration) time.Duration {
	s := (d + time.Second - 1) / time.Second
	return max(s, 1) * time.Second
}

// count returns the number of clients l remembers.
func (l *Limiter) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.clients == nil {
		return 0
	}
	return l.clients.len()
}
