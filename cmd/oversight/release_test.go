package main

import (
	"path/filepath"
	"strings"
	"testing"

	"oversight/internal/fixture"
)

// TestReleaseCommand names two releases of the built-in register with some
// changes between them, lists them with what changed, and exports the
// first: the file imports into an empty register, which then holds the
// deployments the register held at the first release and no later one.
func TestReleaseCommand(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	if out := mustRun(t, "release", "2026-12", "--data", dir, "--notes", "First."); !strings.HasPrefix(out, "release 2026-12: the register at log size ") {
		t.Errorf("release: %s", out)
	}
	mustRun(t, "import", "--data", dir, jsonFile(t, fixture.Set(2)))
	mustRun(t, "retract", "--data", dir, "--reason", "a test retraction", "deployment", "pk-islamabad-safe-city")
	mustRun(t, "release", "2027-01", "--data", dir)
	if _, stderr, err := run(t, "release", "2027-01", "--data", dir); err == nil || !strings.Contains(stderr, "exists already") {
		t.Errorf("a tag twice: %v %s", err, stderr)
	}
	list := mustRun(t, "release", "--list", "--data", dir)
	lines := strings.Split(strings.TrimSpace(list), "\n")
	// The fixture's two deployments and two vendors are added, its three
	// jurisdictions change the built-in ones; the retracted deployment's
	// fact document is retracted with it, first.
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "2027-01\t") || !strings.HasSuffix(lines[0], "4 added, 3 changed, 2 retracted, 0 merged") || !strings.HasPrefix(lines[1], "2026-12\t") {
		t.Errorf("list:\n%s", list)
	}
	file := filepath.Join(t.TempDir(), "2026-12.json")
	mustRun(t, "export", "--data", dir, "--release", "2026-12", "-o", file)
	empty := t.TempDir()
	mustRun(t, "import", "--data", empty, "--no-builtin", file)
	exported := mustRun(t, "export", "--data", empty, "--format", "csv")
	if !strings.Contains(exported, "pk-islamabad-safe-city") || strings.Contains(exported, "synthetic-") {
		t.Errorf("the register as of 2026-12 holds the later rows, or lacks the retracted one")
	}
	mustRun(t, "verify", "--data", empty)
}
