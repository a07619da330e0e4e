package ratelimit

import (
	"fmt"
	"math"
	"time"
)

// A Limit is a token bucket's shape: it holds at most Burst tokens and
// gains Rate tokens a second; each request allowed takes one. A client
// unseen for a while may make Burst requests at once, then one each
// 1/Rate seconds.
type Limit struct {
	Rate  float64 // tokens per second, > 0
	Burst int     // tokens at most, ≥ 1
}

// maxInterval caps the time a token takes to come, so that Burst of them
// still fit in an int64 of nanoseconds; a Rate below one a century is
// taken as one a century.
const maxInterval = 100 * 365 * 24 * time.Hour

// interval is the time one token takes to come, and the time a full
// bucket takes to fill from one token: the parameters T and τ of the
// generic cell rate algorithm that the Limiter runs, which keeps for each
// client one time instead of a count and a time. A client's bucket holds
// (τ - (tat - now)) / T + 1 tokens, tat being its theoretical arrival
// time; a request is allowed when tat - now ≤ τ, and moves tat on by T.
//
// It panics if l is not a usable limit.
func (l Limit) interval() (t, tau time.Duration) {
	if !(l.Rate > 0) || math.IsInf(l.Rate, 0) || l.Burst < 1 {
		panic(fmt.Sprintf("ratelimit: unusable limit %+v: Rate must be positive and finite, Burst at least 1", l))
	}
	t = maxInterval
	if s := float64(time.Second) / l.Rate; s < float64(maxInterval) {
		t = max(time.Duration(math.Round(s)), 1)
	}
	if n := time.Duration(l.Burst - 1); n > 0 && t > (math.MaxInt64/4)/n {
		t = (math.MaxInt64 / 4) / n
	}
	return t, t * time.Duration(l.Burst-1)
}
