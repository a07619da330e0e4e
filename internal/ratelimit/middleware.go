package ratelimit

import (
	"net/http"
	"strconv"
	"time"
)

// Middleware returns a handler that lets each request through to next
// while its client, as [ClientAddr] reads it, is within the limit, and
// otherwise refuses it without calling next.
//
// A refused request gets a Retry-After header of the whole seconds to wait
// before refuse is called with the same wait; refuse then writes the
// status, 429 Too Many Requests, and a body in the form its caller answers
// in (a JSON problem, an HTML page). A nil refuse writes 429 with the
// plain text "too many requests".
func (l *Limiter) Middleware(next http.Handler, refuse func(w http.ResponseWriter, r *http.Request, retryAfter time.Duration)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := l.Allow(ClientAddr(r))
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Retry-After", strconv.FormatInt(int64(wait/time.Second), 10))
		if refuse == nil {
			http.Error(w, "too many requests", http.StatusTooManyRequests)
			return
		}
		refuse(w, r, wait)
	})
}
