// Package ratelimit bounds how often each client may do something, with a
// token bucket per client. Clients are told apart by a keyed hash of their
// address (HMAC-SHA256), whose key is random, lives only in memory and is
// replaced every UTC day: the limiter holds no address, and yesterday's
// keys cannot be tied to an address even by whoever reads its memory.
// Replacing the key forgets every bucket, which at worst gives a client
// one more burst at midnight.
package ratelimit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// A Limit is a rate of Rate per second with bursts of up to Burst.
type Limit struct {
	Rate  float64
	Burst int
}

type bucket struct {
	tokens float64
	at     time.Time
}

// A Limiter keeps a bucket per client, for at most maxClients clients at
// once. It keeps them in two generations: when the newer is half full, the
// older is forgotten and the newer takes its place. Memory is bounded and
// each request costs O(1); a client forgotten this way starts again with a
// full bucket.
type Limiter struct {
	limit Limit
	half  int
	now   func() time.Time

	mu       sync.Mutex
	day      string // the UTC day the key is for
	key      []byte
	cur, old map[[sha256.Size]byte]*bucket
}

// New returns a limiter of limit for up to maxClients clients at once.
func New(limit Limit, maxClients int, now func() time.Time) *Limiter {
	return &Limiter{limit: limit, half: max(maxClients/2, 1), now: now}
}

// Allow takes a token from client's bucket. When it has none, it returns
// false and how long until it has one, in whole seconds.
func (l *Limiter) Allow(client string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if day := now.UTC().Format(time.DateOnly); day != l.day {
		l.day, l.key = day, make([]byte, 32)
		rand.Read(l.key)
		l.cur, l.old = map[[sha256.Size]byte]*bucket{}, nil
	}
	mac := hmac.New(sha256.New, l.key)
	mac.Write([]byte(client))
	var id [sha256.Size]byte
	mac.Sum(id[:0])
	b := l.cur[id]
	if b == nil {
		if b = l.old[id]; b == nil {
			b = &bucket{tokens: float64(l.limit.Burst), at: now}
		}
		if len(l.cur) >= l.half {
			l.old, l.cur = l.cur, map[[sha256.Size]byte]*bucket{}
		}
		l.cur[id] = b
	}
	b.tokens = math.Min(float64(l.limit.Burst), b.tokens+now.Sub(b.at).Seconds()*l.limit.Rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	secs := math.Ceil((1 - b.tokens) / l.limit.Rate)
	return false, time.Duration(max(secs, 1)) * time.Second
}

// clients returns how many clients the limiter remembers.
func (l *Limiter) clients() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.cur) + len(l.old)
}

// ClientAddr returns the address r came from, without its port. Behind a
// proxy every request comes from the proxy; the operator who puts one in
// front sets TrustProxy, and the last address the proxy appended to
// X-Forwarded-For is used instead.
func ClientAddr(r *http.Request) string {
	if TrustProxy {
		if v := r.Header.Values("X-Forwarded-For"); len(v) > 0 {
			last := v[len(v)-1]
			last = last[strings.LastIndexByte(last, ',')+1:]
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// TrustProxy says the server runs behind a proxy that appends the client's
// address to X-Forwarded-For (see ClientAddr). Set it before serving.
var TrustProxy bool
