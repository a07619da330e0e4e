package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testenv"
)

// TestRetractAndMergeCommands retracts a deployment and merges a vendor
// from the command line, on SQLite and on PostgreSQL, and checks what the
// commands refuse, that export leaves both out, that verify passes before
// and after rebuild, and that importing the retracted record again is
// refused.
func TestRetractAndMergeCommands(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			reg := []string{"--data", t.TempDir()}
			if engine == "postgres" {
				testenv.Postgres(t)
				reg = append(reg, "--db", postgresURL(t))
			}
			// The command, the register's flags, then the rest.
			with := func(args ...string) []string { return append(append([]string{args[0]}, reg...), args[1:]...) }
			body, _ := json.Marshal(fixture.Set(4))
			file := filepath.Join(t.TempDir(), "set.json")
			if err := os.WriteFile(file, body, 0o644); err != nil {
				t.Fatal(err)
			}
			mustRun(t, append(with("import", "--no-builtin"), file)...)

			// Refusals, each naming what is wrong, writing nothing.
			for _, c := range []struct {
				args []string
				want string
			}{
				{with("retract", "deployment", "synthetic-pk-0000000"), "reason: is required"},
				{with("retract", "--reason", "gone", "deployment", "no-such"), "deployment no-such not found"},
				{with("retract", "--reason", "gone", "vendor", "vendor-a"), "vendor vendor-a is cited by deployment synthetic-kz-0000002"},
				{with("merge", "--reason", "same", "jurisdiction", "PK", "PH"), "cannot merge records of kind jurisdiction"},
				{with("retract", "--reason", "gone", "deployment"), "usage: oversight retract"},
			} {
				_, stderr, err := run(t, c.args...)
				if err == nil || !strings.Contains(stderr, c.want) {
					t.Errorf("oversight %s: %v, stderr %q; want it to say %q", strings.Join(c.args, " "), err, stderr, c.want)
				}
			}

			out := mustRun(t, with("retract", "--reason", "the source was withdrawn", "--author", "reviewer-1", "deployment", "synthetic-pk-0000000")...)
			if !strings.Contains(out, "retracted deployment synthetic-pk-0000000 at revision 9; log size 10") {
				t.Errorf("retract: %q", out)
			}
			out = mustRun(t, with("merge", "--reason", "one company", "vendor", "vendor-a", "vendor-b")...)
			if !strings.Contains(out, "merged vendor vendor-a into vendor-b at revision 11; 1 records moved to cite vendor-b: deployment/synthetic-kz-0000002; log size 12") {
				t.Errorf("merge: %q", out)
			}
			if out := mustRun(t, with("verify")...); !strings.Contains(out, "verify: OK: 12 revisions") {
				t.Errorf("verify: %s", out)
			}
			export := mustRun(t, with("export", "--format", "json")...)
			var set struct {
				Deployments, Vendors []struct{ ID string }
			}
			if err := json.Unmarshal([]byte(export), &set); err != nil {
				t.Fatal(err)
			}
			if len(set.Deployments) != 3 || len(set.Vendors) != 1 || strings.Contains(export, "synthetic-pk-0000000") || strings.Contains(export, `"vendor-a"`) {
				t.Errorf("export: %d deployments, %d vendors: %s", len(set.Deployments), len(set.Vendors), export)
			}
			mustRun(t, with("rebuild")...)
			if out := mustRun(t, with("verify")...); !strings.Contains(out, "verify: OK") {
				t.Errorf("verify after rebuild: %s", out)
			}
			_, stderr, err := run(t, append(with("import"), file)...)
			if err == nil || !strings.Contains(stderr, "deployment synthetic-pk-0000000 was retracted on") || !strings.Contains(stderr, "vendor vendor-a was merged into vendor-b") {
				t.Errorf("importing the retracted records again: %v %s", err, stderr)
			}
		})
	}
}
