package tiles_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/tiles"
)

// TestFullTilesKept: a full tile is made once from a snapshot and then
// served without one, the same bytes with an ETag that a client's
// If-None-Match is answered 304 for; a partial tile is made from the
// register every time; ServeCached answers only what was made before.
func TestFullTilesKept(t *testing.T) {
	db := testreg.Open(t, fixture.Set(300))
	var opens atomic.Int64
	s := tiles.Handler("/log", func(ctx context.Context) (tiles.Reader, error) {
		opens.Add(1)
		return db.Snapshot(ctx)
	})
	get := func(path string, header ...string) (*http.Response, string) {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, "/log/"+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		b, _ := io.ReadAll(w.Result().Body)
		return w.Result(), string(b)
	}
	if w := httptest.NewRecorder(); s.ServeCached(w, httptest.NewRequest(http.MethodGet, "/log/tile/entries/000", nil)) {
		t.Fatal("ServeCached answered a tile never made")
	}
	first, body := get("tile/entries/000")
	if first.StatusCode != 200 || len(body) == 0 || opens.Load() != 1 {
		t.Fatalf("first: %s, %d bytes, %d snapshots", first.Status, len(body), opens.Load())
	}
	etag := first.Header.Get("ETag")
	again, body2 := get("tile/entries/000")
	if again.StatusCode != 200 || body2 != body || opens.Load() != 1 || again.Header.Get("ETag") != etag || etag == "" {
		t.Errorf("again: %s, same bytes %v, %d snapshots, ETag %q then %q", again.Status, body2 == body, opens.Load(), etag, again.Header.Get("ETag"))
	}
	if again.Header.Get("Content-Length") != first.Header.Get("Content-Length") || !strings.Contains(again.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("headers: %v", again.Header)
	}
	if nm, b := get("tile/entries/000", "If-None-Match", `W/"x", `+etag); nm.StatusCode != http.StatusNotModified || b != "" {
		t.Errorf("If-None-Match %s: %s, %d bytes", etag, nm.Status, len(b))
	}
	if m, _ := get("tile/entries/000", "If-None-Match", `"other"`); m.StatusCode != 200 {
		t.Errorf("another ETag: %s", m.Status)
	}
	w := httptest.NewRecorder()
	if !s.ServeCached(w, httptest.NewRequest(http.MethodHead, "/log/tile/entries/000", nil)) || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
		t.Errorf("ServeCached HEAD: %d bytes, ETag %q", w.Body.Len(), w.Header().Get("ETag"))
	}
	before := opens.Load()
	get("tile/entries/001.p/44")
	get("tile/entries/001.p/44")
	if opens.Load() != before+2 {
		t.Errorf("a partial tile read the register %d times in two requests", opens.Load()-before)
	}
}
