package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// TestCacheCopiesOnce checks that an uncached answer whose size the
// handler states (Content-Length, as the API's and the pages' do) is
// copied once on its way into the response cache and its flight: into a
// buffer of its length, which both keep. It was copied three times.
func TestCacheCopiesOnce(t *testing.T) {
	body := bytes.Repeat([]byte("y"), 70_000)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		for i := 0; i < len(body); i += 7_000 {
			w.Write(body[i : i+7_000])
		}
	})
	c := responseCache{now: time.Now}
	const n = 20
	reqs := make([]*http.Request, n)
	outs := make([]*httptest.ResponseRecorder, n)
	for i := range reqs {
		reqs[i] = httptest.NewRequest("GET", "/api/v1/deployments?cursor="+strconv.Itoa(i), nil)
		outs[i] = httptest.NewRecorder()
		outs[i].Body.Grow(len(body)) // the client's side, not counted
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range reqs {
		c.serve(outs[i], reqs[i], 1, h)
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > uint64(len(body))*3/2 {
		t.Errorf("an uncached answer of %d bytes allocated %d bytes on its way into the cache", len(body), per)
	}
	for i := range reqs {
		e := c.entries[reqs[i].URL.RequestURI()]
		if e == nil || !bytes.Equal(e.body, body) || !bytes.Equal(outs[i].Body.Bytes(), body) {
			t.Fatalf("answer %d: not kept whole, or not sent whole", i)
		}
		if cap(e.body) >= len(e.body)+8<<10 {
			t.Errorf("a %d-byte body kept in a buffer of %d", len(e.body), cap(e.body))
		}
	}
}
