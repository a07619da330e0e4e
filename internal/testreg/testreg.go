// Package testreg opens registers for tests: a new SQLite register in a
// test's temporary directory, or a PostgreSQL one in a schema of its own,
// served over HTTP.
package testreg

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"oversight/internal/testenv"
	"oversight/ledger"
	"oversight/registry"
	"oversight/store"
)

// Open opens a new register holding set.
func Open(t testing.TB, set *registry.Set) *store.DB {
	t.Helper()
	dir := t.TempDir()
	return OpenAt(t, filepath.Join(dir, "t.db"), dir, set)
}

// OpenAt opens a new SQLite register holding set in the file path, signed
// with the log key kept in keyDir (made there when missing): registers
// opened with one keyDir sign as one log, and a test can reach the file
// behind the register's back.
func OpenAt(t testing.TB, path, keyDir string, set *registry.Set) *store.DB {
	t.Helper()
	return fill(t, keyDir, set, func(key *ledger.Key) (*store.DB, error) {
		return store.OpenSQLite(context.Background(), path, key)
	})
}

// OpenPostgres opens a new register holding set in a schema of its own
// (named after prefix) in the database $OBS_TEST_POSTGRES names; without
// one, it skips the test, or fails it under CI (testenv.Postgres).
func OpenPostgres(t testing.TB, prefix string, set *registry.Set) *store.DB {
	t.Helper()
	url := testenv.PostgresSchema(t, prefix)
	return fill(t, t.TempDir(), set, func(key *ledger.Key) (*store.DB, error) {
		return store.OpenPostgres(context.Background(), url, key)
	})
}

// fill opens a register with the key kept in dir (made when missing) and
// applies set to it.
func fill(t testing.TB, dir string, set *registry.Set, open func(*ledger.Key) (*store.DB, error)) *store.DB {
	t.Helper()
	key, err := ledger.LoadOrCreateKey(dir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := open(key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Apply(context.Background(), set, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// Serve serves h until the test ends.
func Serve(t testing.TB, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// Get requests path from srv with the headers given as name, value pairs,
// and returns the response and its body.
func Get(t testing.TB, srv *httptest.Server, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", path, err)
	}
	return resp, b
}

// ProjectTiers makes p db's tier projector and projects every deployment
// with it, as a server does before it serves.
func ProjectTiers(t testing.TB, db *store.DB, p registry.TierProjector) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.SetTierProjector(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ProjectTiers(ctx); err != nil {
		t.Fatal(err)
	}
}
