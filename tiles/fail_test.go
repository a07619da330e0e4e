package tiles_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"oversight/internal/httperror"
	"oversight/internal/memo"
	"oversight/registry"
	"oversight/tiles"
)

// TestFailStatus: an error is answered with the status the rest of the
// server gives it, and a 503 (a request out of time, an answer still
// being computed) carries Retry-After, as the API's and the pages' do;
// no other status does.
func TestFailStatus(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
	}{
		{context.DeadlineExceeded, http.StatusServiceUnavailable},
		{fmt.Errorf("reading the log: %w", context.DeadlineExceeded), http.StatusServiceUnavailable},
		{memo.ErrPending, http.StatusServiceUnavailable},
		{registry.NotFound("tile"), http.StatusNotFound},
		{errors.New("disk on fire"), http.StatusInternalServerError},
	} {
		s := tiles.Handler("/log", func(context.Context) (tiles.Reader, error) { return nil, c.err })
		for _, path := range []string{"/log/checkpoint", "/log/tile/0/000", "/log/content/0"} {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			retry := w.Result().Header.Get("Retry-After")
			if w.Code != c.status {
				t.Errorf("%s failing with %v: status %d, want %d", path, c.err, w.Code, c.status)
			}
			if want := c.status == http.StatusServiceUnavailable; want != (retry == httperror.RetryAfter) || !want && retry != "" {
				t.Errorf("%s answered %d with Retry-After %q", path, w.Code, retry)
			}
		}
	}
}

// TestFailGone: a request whose client went away is not answered, and
// not logged as the server's error, as the API's and the pages' are not.
func TestFailGone(t *testing.T) {
	var logged bytes.Buffer
	was := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	t.Cleanup(func() { slog.SetDefault(was) })
	s := tiles.Handler("/log", func(ctx context.Context) (tiles.Reader, error) { return nil, ctx.Err() })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/log/checkpoint", nil).WithContext(ctx))
	if w.Body.Len() != 0 || logged.Len() != 0 {
		t.Errorf("a gone client was answered %d %q, and the log says %q", w.Code, w.Body, logged.String())
	}
}
