package monitor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestGetRetriesBusy: a server that sheds a request (503, Retry-After) is
// asked again, up to busyTries times, and its last answer is given as it
// is when it stays busy.
func TestGetRetriesBusy(t *testing.T) {
	var calls, busyFor atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= busyFor.Load() {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("tile"))
	}))
	defer srv.Close()
	f := &fetcher{ctx: context.Background(), base: srv.URL, client: srv.Client()}

	busyFor.Store(2)
	b, err := f.getOK("/log/tile/0/000")
	if err != nil || string(b) != "tile" || calls.Load() != 3 {
		t.Errorf("busy twice: %q, %v after %d requests", b, err, calls.Load())
	}
	calls.Store(0)
	busyFor.Store(100)
	if _, status, err := f.get("/log/tile/0/000"); err != nil || status != http.StatusServiceUnavailable || calls.Load() != busyTries {
		t.Errorf("always busy: status %d, %v after %d requests", status, err, calls.Load())
	}
}
