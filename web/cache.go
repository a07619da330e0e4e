package web

import (
	"bytes"
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"oversight/api"
	"oversight/internal/memo"
)

// responseCache keeps GET responses while the register is unchanged. The
// register changes only by appending to its log, so a response stays right
// until the log grows; one read of the log size per request tells.
type responseCache struct {
	now      func() time.Time // the clock pages and answers read the date from
	maxBytes int              // the bound of all entries; cacheMaxBytes when 0

	mu      sync.Mutex
	key     memo.Key // the register state the entries were made at
	entries map[string]*cachedResponse
	bytes   int
	flights map[string]*flight // answers being made at that state, by URL

	seen    int64     // the log size last read
	seenAt  time.Time // when; it is read again after sizeTTL
	reading bool      // a request is reading it now
}

// sizeTTL bounds how long a change made by another process may take to
// show: the log size is read at most this often under load.
const sizeTTL = 50 * time.Millisecond

// logSize returns the log size, reading it at most every sizeTTL. One
// request reads it while the others go on with the size last read: when
// every request that found it stale read it too, a burst of queries every
// sizeTTL opened database connections and set the tail latency.
func (c *responseCache) logSize(read func() (int64, error)) (int64, error) {
	c.mu.Lock()
	if time.Since(c.seenAt) < sizeTTL || (c.reading && !c.seenAt.IsZero()) {
		n := c.seen
		c.mu.Unlock()
		return n, nil
	}
	c.reading = true
	c.mu.Unlock()
	n, err := read()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reading = false
	if err != nil {
		return 0, err
	}
	c.seen, c.seenAt = n, time.Now()
	return n, nil
}

// forget makes the next logSize read the size again: a write of this
// process has just grown the log, and the page its writer is sent to next
// (a redirect, often within sizeTTL) must show it, not a cached answer of
// the size before.
func (c *responseCache) forget() {
	c.mu.Lock()
	c.seenAt = time.Time{}
	c.mu.Unlock()
}

// afterWrite is a response to a request that may write: before its status
// goes out, which is after the write committed, the size is forgotten.
type afterWrite struct {
	http.ResponseWriter
	c    *responseCache
	sent bool
}

func (w *afterWrite) WriteHeader(code int) {
	if !w.sent {
		w.sent = true
		w.c.forget()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *afterWrite) Write(b []byte) (int, error) {
	if !w.sent {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer beneath.
func (w *afterWrite) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type cachedResponse struct {
	status int
	header http.Header
	body   []byte
	asked  bool // served from the cache since the cache last made room
}

const (
	cacheMaxBytes = 64 << 20 // all entries: keys, headers and bodies
	cacheMaxEntry = 4 << 20  // one response
	cacheMaxKey   = 2 << 10  // a longer URL is served, never kept
)

// size is what an entry costs the cache: its key, headers and body, the
// body's whole buffer (see recorder.body).
func (e *cachedResponse) size(key string) int {
	n := len(key) + cap(e.body)
	for k, vs := range e.header {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// cacheable reports whether the cache may answer a request. Exports are
// not cached: one can be the whole register, far over cacheMaxEntry, and
// a client that has one revalidates it without a byte of it being made
// (see server.export).
func cacheable(r *http.Request) bool {
	// The checkpoint gains its witnesses' cosignatures after the log size
	// it is keyed on changed.
	return r.Method == http.MethodGet && r.URL.Path != "/healthz" && r.URL.Path != "/api/v1/export" && r.URL.Path != "/log/checkpoint" &&
		!strings.HasPrefix(r.URL.Path, "/static/")
}

// serve answers from the cache, or runs next and keeps what it answered.
func (c *responseCache) serve(w http.ResponseWriter, r *http.Request, size int64, next http.Handler) {
	// Pages and answers that default to today's date change with the day.
	state := memo.KeyAt(size, c.now())
	key := r.URL.RequestURI()
	// A conditional request's answer may be a 304, which another
	// request cannot be sent: it neither leads nor joins a flight.
	conditional := r.Header.Get("If-None-Match") != ""
	c.mu.Lock()
	if c.key != state || c.flights == nil {
		c.key, c.entries, c.bytes, c.flights = state, map[string]*cachedResponse{}, 0, map[string]*flight{}
	}
	e := c.entries[key]
	if e != nil {
		e.asked = true
	}
	f, lead := c.flights[key], false
	if e == nil && f == nil && !conditional {
		f, lead = &flight{done: make(chan struct{})}, true
		c.flights[key] = f
	}
	c.mu.Unlock()
	if e != nil {
		e.send(w, r)
		return
	}
	if f != nil && !lead && !conditional {
		f.waiting.Add(1)
		select {
		case <-f.done:
			if f.resp != nil {
				f.resp.send(w, r)
				return
			}
			// Not to be shared: made again for this request.
		case <-r.Context().Done():
			shed(w, shedRetry)
			return
		}
	}
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	answered := false
	var made *cachedResponse // the entry made for the cache, which the flight shares
	if lead {
		defer func() {
			c.mu.Lock()
			if c.flights[key] == f {
				delete(c.flights, key)
			}
			c.mu.Unlock()
			f.land(rec, w.Header(), answered, made)
		}()
	}
	next.ServeHTTP(rec, r)
	answered = true
	// Only whole 200s are kept, and none that asks not to be (answers
	// computed from an earlier state of the register say no-store), nor
	// an immutable one: the log's full tiles, which their handler keeps
	// (in files, or its own cache) and serves ahead of this cache. Kept
	// here too, at 1M they filled it with 64 MB that no request read.
	if cc := w.Header().Get("Cache-Control"); rec.status != http.StatusOK || rec.tooBig || conditional ||
		len(key) > cacheMaxKey || strings.Contains(cc, "no-store") || strings.Contains(cc, "immutable") {
		return
	}
	e = &cachedResponse{status: rec.status, header: w.Header().Clone(), body: rec.body()}
	made = e
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key != state {
		return
	}
	n := e.size(key)
	if bound := cmp.Or(c.maxBytes, cacheMaxBytes); c.bytes+n > bound {
		c.makeRoom()
		if c.bytes+n > bound {
			c.entries, c.bytes = map[string]*cachedResponse{}, 0
		}
	}
	if old := c.entries[key]; old != nil {
		c.bytes -= old.size(key)
	}
	c.entries[key] = e
	c.bytes += n
}

// makeRoom drops the answers no request was served since room was last
// made, and marks the others unasked, to earn their place again. Emptied
// whenever it filled, the cache dropped the pages asked for again and
// again with the ones asked for once: at a million deployments under
// overload those distinct answers filled it within seconds, and each time
// the ten most asked-for pages were made again, queued behind the
// uncached requests or shed (docs/performance.md, "Overload").
func (c *responseCache) makeRoom() {
	for k, e := range c.entries {
		if e.asked {
			e.asked = false
			continue
		}
		c.bytes -= e.size(k)
		delete(c.entries, k)
	}
}

// send answers r with e, or 304 when r's If-None-Match names e's ETag.
func (e *cachedResponse) send(w http.ResponseWriter, r *http.Request) {
	for k, v := range e.header {
		w.Header()[k] = v
	}
	if etag := e.header.Get("ETag"); etag != "" && api.EtagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(e.status)
	w.Write(e.body)
}

// recorder passes a response through and keeps a copy of it, up to
// cacheMaxEntry bytes: past that it drops the copy, so that a response too
// large to cache passes through in constant memory.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
	tooBig bool // the response exceeded cacheMaxEntry; buf is empty
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.tooBig {
		if r.buf.Cap() == 0 {
			r.sized()
		}
		if r.buf.Len()+len(b) > cacheMaxEntry {
			r.tooBig, r.buf = true, bytes.Buffer{}
		} else {
			r.buf.Write(b)
		}
	}
	return r.ResponseWriter.Write(b)
}

// sized makes the buffer, before the first write, the size the response
// says it is (Content-Length, which the API and the pages set), so that
// the copy kept is made once, in a buffer of its length: an uncached page
// of 50 (about 70 KB) was copied three times, into the buffer as it grew,
// again to its length for the cache and again for its flight
// (docs/performance.md, "A request's own cost, 6 Dec (later)").
func (r *recorder) sized() {
	n, err := strconv.Atoi(r.ResponseWriter.Header().Get("Content-Length"))
	if err == nil && n > 0 && n <= cacheMaxEntry {
		r.buf.Grow(n)
	}
}

// body is the response's body for the cache: the buffer itself when it
// holds little beyond the body (it was sized, or written at once), else a
// copy to its length, as a buffer grown by appending holds up to twice
// its length, which the cache's bound counts (cachedResponse.size).
func (r *recorder) body() []byte {
	b := r.buf.Bytes()
	if cap(b)-len(b) > len(b)/16 {
		return bytes.Clone(b)
	}
	return b
}
