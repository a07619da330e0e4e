package api

import (
	"context"
	"errors"
	"testing"

	"oversight/internal/fixture"
	"oversight/store"
)

// sizeless is a snapshot whose log size cannot be read, as when the
// database has gone away under the server.
type sizeless struct{ *store.Snapshot }

func (sizeless) Size(context.Context) (int64, error) { return 0, errors.New("disk I/O error") }

// TestHealthzUnavailable: a register that cannot be read is a 503 that
// says when to ask again, like every other 503 the server sends.
func TestHealthzUnavailable(t *testing.T) {
	db := openSet(t, fixture.Set(3))
	srv, _ := serveRegister(t, db, func(ctx context.Context) (Reader, error) {
		sn, err := db.Snapshot(ctx)
		return sizeless{sn}, err
	}, nil)
	resp, b := get(t, srv, "/healthz")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("/healthz with the register unreadable: %d, Retry-After %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	srv, _ = serveRegister(t, db, func(ctx context.Context) (Reader, error) { return db.Snapshot(ctx) }, nil)
	if resp, b := get(t, srv, "/healthz"); resp.StatusCode != 200 || resp.Header.Get("Retry-After") != "" {
		t.Errorf("/healthz: %d, Retry-After %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
}
