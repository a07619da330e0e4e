package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var storedTilesRE = regexp.MustCompile(`verify: (\d+) stored tiles in `)

// TestStoredTiles: rebuild stores the log's full tiles under the data
// directory; verify compares each with the log, and names a file changed
// behind the program's back; rebuild writes it again. With PostgreSQL
// the tiles are in the data directory all the same.
func TestStoredTiles(t *testing.T) {
	t.Parallel()
	// Each engine's register has a data directory of its own.
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); storedTiles(t) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); storedTiles(t, "--db", postgresURL(t)) })
}

func storedTiles(t *testing.T, db ...string) {
	dir := t.TempDir()
	with := func(args ...string) []string { return append(append(args, "--data", dir), db...) }
	mustRun(t, with("gen", "--no-builtin", "--deployments", "300")...)
	mustRun(t, with("rebuild")...)
	out := mustRun(t, with("verify")...)
	if m := storedTilesRE.FindStringSubmatch(out); m == nil || m[1] == "0" {
		t.Fatalf("verify compared no stored tiles:\n%s", out)
	}
	name := filepath.Join(dir, "tiles", "tile", "entries", "000")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, err := run(t, with("verify")...); err == nil || !strings.Contains(errs, "MISMATCH tiles: file "+name+": ") {
		t.Fatalf("verify of a changed tile: %v\n%s%s", err, out, errs)
	}
	mustRun(t, with("rebuild")...)
	if out := mustRun(t, with("verify")...); !strings.Contains(out, "verify: OK") {
		t.Errorf("after rebuild: %s", out)
	}
}
