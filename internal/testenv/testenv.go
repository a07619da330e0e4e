// Package testenv finds what tests need outside the Go toolchain: a
// PostgreSQL cluster, a Chromium browser, npm packages, and the shared
// data beside the repository. Each helper skips the test when the thing is
// missing, except under CI=true, where a missing server, browser, package
// or file fails it: CI must never pass by skipping.
package testenv

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"

	"oversight/internal/memo"
)

// CI reports whether the tests run under CI (CI=true).
func CI() bool { return os.Getenv("CI") == "true" }

// missing fails the test under CI and skips it elsewhere.
func missing(t testing.TB, what string) {
	t.Helper()
	if CI() {
		t.Fatal(what + " (scripts/test.sh provides it)")
	}
	t.Skip(what)
}

// Postgres returns the URL of the PostgreSQL database in $OBS_TEST_POSTGRES,
// which scripts/test.sh starts on loopback.
func Postgres(t testing.TB) string {
	t.Helper()
	url := os.Getenv("OBS_TEST_POSTGRES")
	if url == "" {
		missing(t, "OBS_TEST_POSTGRES is not set")
	}
	return url
}

// Chromium returns the path of Debian's Chromium.
func Chromium(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		missing(t, "chromium is not installed")
	}
	return path
}

// NPM returns the path of a file an npm package installed, rel under
// dir/node_modules; scripts/test.sh runs npm ci in each directory of the
// repository whose package.json and package-lock.json name what a test
// needs (web/testdata/axe: axe-core).
func NPM(t testing.TB, dir, rel string) string {
	t.Helper()
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	path := filepath.Join(dir, "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(path); err != nil {
		missing(t, "npm package missing: "+path+" (npm ci --prefix "+dir+")")
	}
	return path
}

// Shared returns the path of a file under shared/, the directory beside
// the repository that holds the datasets the importers are tested on.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	// here is <repo>/internal/testenv/testenv.go; shared/ is beside <repo>.
	path := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", filepath.FromSlash(rel))
	if _, err := os.Stat(path); err != nil {
		missing(t, "shared data missing: "+path)
	}
	return path
}

// PatientFigures lets the test binary's requests wait up to a minute for
// the whole-register figures they need (memo.MaxWait, 2 s in a server). A
// request that waits longer answers 503 "being computed" by design, which
// memo's own tests check; the tests of pages and answers call this from
// TestMain, since on a 2-core machine under load the figures took longer
// than 2 s (site's /countries/PK at load 40, api's TestScenarioPages, web's
// browser tests).
func PatientFigures() { memo.MaxWait = time.Minute }

// PostgresSchema returns the URL of the PostgreSQL database in
// $OBS_TEST_POSTGRES with a new, empty schema of its own first in the
// search path, dropped when the test ends: tests on one database then do
// not see each other's tables.
func PostgresSchema(t testing.TB, prefix string) string {
	t.Helper()
	url := Postgres(t)
	schema := uniqueName(prefix)
	admin := adminPool(t, url)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

// adminPools holds, by URL, one pool per process that creates and drops
// the tests' schemas and databases: each new connection costs the server
// about 15 ms.
var adminPools sync.Map

func adminPool(t testing.TB, url string) *sql.DB {
	t.Helper()
	if db, ok := adminPools.Load(url); ok {
		return db.(*sql.DB)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxIdleConns(4)
	if prev, loaded := adminPools.LoadOrStore(url, db); loaded {
		db.Close()
		return prev.(*sql.DB)
	}
	return db
}

// uniqueName is a schema or database name no other test uses.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s%d_%d", prefix, time.Now().UnixNano(), rand.IntN(1e6))
}
