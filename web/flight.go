package web

import (
	"bytes"
	"net/http"
	"strings"
	"sync/atomic"
)

// A flight is an answer being made for one URL at one state of the
// register. The requests for that URL that miss the response cache
// meanwhile wait for it and are sent the same answer, rather than each
// making it again: at a million deployments the ten URLs asked for most
// all missed at once whenever the cache emptied, and each copy took one of
// the few places among the requests that read the register, shedding the
// requests behind them (docs/performance.md, "Overload"). A request waits
// no longer than its deadline, then is answered 503 with Retry-After.
type flight struct {
	done    chan struct{} // closed when the leader has answered
	resp    *cachedResponse
	waiting atomic.Int32 // requests waiting for it besides its leader
}

// land ends f with what its leader answered: rec's response, when the
// handler returned (it did not panic half-way) and the response may be
// sent to other requests as it is. Else those waiting make their own.
// made is the response's entry in the cache, if it was made one: no
// request changes an entry, so the flight shares it rather than copy it.
func (f *flight) land(rec *recorder, header http.Header, answered bool, made *cachedResponse) {
	if answered && shareable(rec, header) {
		if made == nil {
			made = &cachedResponse{status: rec.status, header: header.Clone(), body: bytes.Clone(rec.buf.Bytes())}
		}
		f.resp = made
	}
	close(f.done)
}

// shareable reports whether a response made for one request may be sent
// to another asking for the same URL at the same time. A response the
// cache may serve may (the requests that reach the cache carry no
// identity: see server.ServeHTTP), whatever its status, unless it was too
// large to keep, sets a cookie, or asks caches not to keep it: a page
// with a form's token, or figures from an earlier state of the register.
// A 503 says no-store but is about the moment it was made, which its
// followers share: they are told to retry, as its leader was.
func shareable(rec *recorder, header http.Header) bool {
	if rec.tooBig || header.Get("Set-Cookie") != "" {
		return false
	}
	cc := header.Get("Cache-Control")
	return rec.status == http.StatusServiceUnavailable || !strings.Contains(cc, "no-store") && !strings.Contains(cc, "private")
}
