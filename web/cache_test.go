package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestLogSizeOneReader checks that while one request reads a stale log
// size, the others answer with the size last read instead of reading too.
func TestLogSizeOneReader(t *testing.T) {
	c := &responseCache{seen: 5, seenAt: time.Now().Add(-time.Second)}
	release, reading := make(chan struct{}), make(chan struct{})
	var reads atomic.Int32
	slow := func() (int64, error) {
		reads.Add(1)
		close(reading)
		<-release
		return 7, nil
	}
	done := make(chan int64)
	go func() {
		n, _ := c.logSize(slow)
		done <- n
	}()
	<-reading
	for range 10 {
		n, err := c.logSize(func() (int64, error) { reads.Add(1); return 9, nil })
		if err != nil || n != 5 {
			t.Fatalf("during the read: %d, %v; want the last size read, 5", n, err)
		}
	}
	close(release)
	if n := <-done; n != 7 {
		t.Errorf("the reader got %d, want 7", n)
	}
	if n, _ := c.logSize(slow); n != 7 || reads.Load() != 1 {
		t.Errorf("after the read: size %d after %d reads; want 7 after 1", n, reads.Load())
	}
}

// TestRecorderDropsLargeResponses checks that the response cache holds no
// more than cacheMaxEntry of a response, and keeps none of a larger one.
func TestRecorderDropsLargeResponses(t *testing.T) {
	chunk := bytes.Repeat([]byte("x"), 32<<10)
	big := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range (5 << 20) / len(chunk) {
			w.Write(chunk)
		}
	})
	small := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(chunk) })

	out := httptest.NewRecorder()
	rec := &recorder{ResponseWriter: out, status: http.StatusOK}
	big(rec, nil)
	if !rec.tooBig || rec.buf.Len() != 0 || rec.buf.Cap() != 0 {
		t.Errorf("after 5 MB: tooBig %v, holding %d bytes (capacity %d)", rec.tooBig, rec.buf.Len(), rec.buf.Cap())
	}
	if out.Body.Len() != 5<<20 {
		t.Errorf("%d bytes passed through, want %d", out.Body.Len(), 5<<20)
	}
	rec = &recorder{ResponseWriter: httptest.NewRecorder(), status: http.StatusOK}
	small(rec, nil)
	if rec.tooBig || !bytes.Equal(rec.buf.Bytes(), chunk) {
		t.Errorf("a small response is not kept: tooBig %v, %d bytes", rec.tooBig, rec.buf.Len())
	}

	c := responseCache{now: time.Now}
	c.serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/big", nil), 1, big)
	if len(c.entries) != 0 || c.bytes != 0 {
		t.Errorf("the cache keeps a response over cacheMaxEntry: %d entries, %d bytes", len(c.entries), c.bytes)
	}
	c.serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/small", nil), 1, small)
	if len(c.entries) != 1 || c.bytes < len(chunk)+len("/small") || c.bytes > len(chunk)+512 {
		t.Errorf("the cache does not keep a small response: %d entries, %d bytes", len(c.entries), c.bytes)
	}
}

// TestCacheBoundedWithKeys checks that the cache counts keys and headers,
// not only bodies, against its bound: many requests with long distinct
// query strings and small answers cannot grow it past its bound.
func TestCacheBoundedWithKeys(t *testing.T) {
	const bound = 1 << 20
	c := responseCache{now: time.Now, maxBytes: bound}
	small := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) })
	long := strings.Repeat("x", cacheMaxKey-100)
	for i := range 2 * bound / cacheMaxKey {
		c.serve(httptest.NewRecorder(), httptest.NewRequest("GET", fmt.Sprintf("/api/v1/deployments?q=%s%d", long, i), nil), 1, small)
	}
	if c.bytes > bound {
		t.Errorf("the cache holds %d bytes, over its bound of %d", c.bytes, bound)
	}
	sum := 0
	for k, e := range c.entries {
		sum += e.size(k)
	}
	if sum != c.bytes || len(c.entries) == 0 {
		t.Errorf("%d entries cost %d bytes; the cache counts %d", len(c.entries), sum, c.bytes)
	}
	// What is counted is what is held: a body written in pieces grew a
	// buffer to up to twice its length, which the cache does not keep.
	pieces := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 100 {
			w.Write([]byte(strings.Repeat("z", 1000)))
		}
	})
	c.serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/deployments/x", nil), 1, pieces)
	// (Go rounds an allocation this large up to its 8 KiB pages.)
	if e := c.entries["/deployments/x"]; e == nil || len(e.body) != 100_000 || cap(e.body) >= len(e.body)+8<<10 {
		t.Errorf("a 100,000-byte body kept as %d bytes of %d", len(e.body), cap(e.body))
	}
	// A key over cacheMaxKey is served, not kept.
	n := len(c.entries)
	rec := httptest.NewRecorder()
	c.serve(rec, httptest.NewRequest("GET", "/api/v1/deployments?q="+strings.Repeat("y", cacheMaxKey), nil), 1, small)
	if rec.Body.String() != "{}" || len(c.entries) > n {
		t.Errorf("a long URL: answered %q, entries %d then %d", rec.Body.String(), n, len(c.entries))
	}
	// An answer marked no-store is not kept, nor an immutable one (a full
	// tile, which its handler keeps).
	for path, cc := range map[string]string{"/api/v1/index": "no-store", "/log/tile/0/000": "public, max-age=31536000, immutable"} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", cc)
			w.Write([]byte("answer"))
		})
		c.serve(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil), 1, h)
		if _, ok := c.entries[path]; ok {
			t.Errorf("the cache kept an answer marked %q", cc)
		}
	}
}

// TestWriteForgetsSize: the answer to a request that may write forgets
// the log size it read, before its status goes out, so that the page a
// writer is redirected to within sizeTTL shows what was written
// (TestReplyJourney met the stale page of the size before).
func TestWriteForgetsSize(t *testing.T) {
	var c responseCache
	reads := 0
	read := func() (int64, error) { reads++; return int64(reads), nil }
	if n, _ := c.logSize(read); n != 1 {
		t.Fatalf("first size %d", n)
	}
	if n, _ := c.logSize(read); n != 1 {
		t.Fatalf("within sizeTTL the size was read again: %d", n)
	}
	w := &afterWrite{ResponseWriter: httptest.NewRecorder(), c: &c}
	http.Redirect(w, httptest.NewRequest("POST", "/x", nil), "/y", http.StatusSeeOther)
	if n, _ := c.logSize(read); n != 2 {
		t.Errorf("after a write's answer the size was not read again: %d", n)
	}
}

// TestCacheKeepsAskedAgain: when the cache is full, answers asked for
// once make room and the ones asked for again stay, so that a flood of
// distinct requests does not send the most asked-for pages back to be
// made; the bound holds all the while.
func TestCacheKeepsAskedAgain(t *testing.T) {
	const bound = 4 << 10
	c := responseCache{now: time.Now, maxBytes: bound}
	var made atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hot" {
			made.Add(1)
		}
		w.Write([]byte(strings.Repeat("b", 200)))
	})
	serve := func(path string) {
		c.serve(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil), 1, h)
		if c.bytes > bound {
			t.Fatalf("after %s the cache holds %d bytes, over its bound of %d", path, c.bytes, bound)
		}
	}
	for i := range 500 { // each fill of the cache is about 20 of them
		if i%5 == 0 {
			serve("/hot")
		}
		serve(fmt.Sprintf("/once/%d", i))
	}
	if n := made.Load(); n != 1 {
		t.Errorf("/hot, asked for every fifth request, was made %d times; want once", n)
	}
}
