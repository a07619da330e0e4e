package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestCrashDuringImport kills the import of a large batch into a register
// that already holds a committed one: at several points of the import's
// work, each time running the import again on what survived, and once just
// after the import was reported. It checks that what survives each kill
// is a whole committed state, the register as it was before the import
// (the log, the tables and the export unchanged) or with all of the batch,
// never part of it and never less than the committed register, and all of
// it once the import was reported; that verify passes; and that the
// interrupted import can simply be run again.
func TestCrashDuringImport(t *testing.T) {
	t.Parallel()
	const n, seeded = 2000, 100
	const asOf = "2026-11-24" // the tiers export adds, the same in every export
	all := fixture.Set(n + seeded)
	ids := make([]string, len(all.Deployments))
	for i, d := range all.Deployments {
		ids[i] = d.ID
	}
	slices.Sort(ids)
	seed := &registry.Set{Jurisdictions: all.Jurisdictions, Vendors: all.Vendors, Deployments: all.Deployments[n:]}
	batch := &registry.Set{Jurisdictions: all.Jurisdictions, Vendors: all.Vendors, Deployments: all.Deployments[:n]}
	seedFile, batchFile := writeJSON(t, "seed.json", seed), writeJSON(t, "batch.json", batch)

	// Every register starts as a copy of this one: the seed committed.
	template := t.TempDir()
	mustRun(t, "import", "--data", template, "--no-builtin", seedFile)
	beforeSize := verifiedSize(t, template)
	before := mustRun(t, "export", "--data", template, "--no-builtin", "--format", "json", "--as-of", asOf)
	if got := exportedIDs(t, before); len(got) != seeded {
		t.Fatalf("the seeded register holds %d deployments, want %d", len(got), seeded)
	}
	st := &committedStates{before: before, beforeSize: beforeSize, afterSize: beforeSize + n, ids: ids, asOf: asOf}
	importBatch := func(dir string) []string { return []string{"import", "--data", dir, "--no-builtin", batchFile} }

	// runAgain runs the interrupted import again on what survived: in full
	// when nothing of it was committed, then verified; finding every record
	// of the batch as it is in the batch, and writing nothing, when all of
	// it was.
	runAgain := func(t *testing.T, dir string, whole bool) {
		t.Helper()
		created, records := n, n+len(all.Jurisdictions)+len(all.Vendors)
		if whole {
			created = 0
		}
		out := mustRun(t, importBatch(dir)...)
		if want := fmt.Sprintf(": %d created, 0 updated, %d unchanged; log size %d\n", created, records-created, st.afterSize); !strings.HasSuffix(out, want) {
			t.Errorf("the import run again printed %q, want it to end %q", out, want)
		}
		if created == 0 {
			return // the register is the one survivor verified
		}
		if size := verifiedSize(t, dir); size != st.afterSize {
			t.Errorf("after the import run again the log holds %d revisions, want %d", size, st.afterSize)
		}
	}

	// Killed just after it reported the import, while it closes the
	// database, an import leaves all of the batch. The work it did by then
	// is the measure at fractions of which the other kills fall.
	reported := t.TempDir()
	copyDir(t, template, reported)
	reportedKilled, work := killImport(t, func(_ time.Duration, out string) bool { return strings.Contains(out, "imported ") }, importBatch(reported)...)
	t.Logf("an import of %d deployments does %v of work (CPU time, or wall time where /proc is missing)", n, work)

	killed, rolledBack := btoi(reportedKilled), 0
	t.Run("kills", func(t *testing.T) {
		t.Run("after the import was reported", func(t *testing.T) {
			t.Parallel()
			whole, err := st.survivor(t, reported)
			if err != nil {
				t.Fatal(err)
			}
			if !whole {
				t.Fatal("an import killed after it was reported lost the batch")
			}
			runAgain(t, reported, whole)
		})
		// An import spends about the first sixth of its work reading the
		// batch, up to about 85% writing it, then commits and closes the
		// database: these kills fall while it writes. Each kills the
		// import run again on what the one before left.
		t.Run("while writing", func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			copyDir(t, template, dir)
			whole := false
			for _, share := range []float64{0.25, 0.5, 0.75} {
				wasKilled, _ := killImport(t, func(done time.Duration, _ string) bool { return done >= time.Duration(share*float64(work)) }, importBatch(dir)...)
				killed += btoi(wasKilled)
				var err error
				if whole, err = st.survivor(t, dir); err != nil {
					t.Fatalf("killed at %.0f%% of the work: %v", 100*share, err)
				}
				if whole {
					t.Logf("killed at %.0f%% of the work, the import had committed", 100*share)
					break
				}
				rolledBack++
			}
			runAgain(t, dir, whole)
		})
		// The checks can fail: a register that holds part of the batch,
		// as an import that committed in pieces would leave, is refused.
		t.Run("part of the batch is refused", func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			copyDir(t, template, dir)
			part := &registry.Set{Deployments: batch.Deployments[:500]}
			mustRun(t, "import", "--data", dir, "--no-builtin", writeJSON(t, "part.json", part))
			if _, err := st.survivor(t, dir); err == nil {
				t.Fatal("a register holding part of the batch passed for a whole committed state")
			} else {
				t.Log(err)
			}
		})
	})
	t.Logf("%d of 4 imports were killed while running; %d of those killed while writing left the register as before", killed, rolledBack)
	if !t.Failed() && rolledBack == 0 {
		t.Fatal("no import was killed before it committed; the test proved nothing")
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// committedStates are the two states a register may be in after the
// import of a batch was killed: as before it, or with all of it.
type committedStates struct {
	before                string   // the export before the import
	beforeSize, afterSize int      // revisions in the log before and after
	ids                   []string // the deployments after, sorted
	asOf                  string   // the date of the exports' tiers
}

// survivor checks that the register in dir is one of the committed
// states, verified, and reports whether it holds the batch; the error says
// how it is neither. A register with no deployments is never one of them:
// the seed was committed before the import began.
func (st *committedStates) survivor(t *testing.T, dir string) (whole bool, err error) {
	t.Helper()
	size := verifiedSize(t, dir)
	export := mustRun(t, "export", "--data", dir, "--no-builtin", "--format", "json", "--as-of", st.asOf)
	deployments := exportedIDs(t, export)
	switch {
	case size == st.beforeSize && export == st.before:
		return false, nil
	case size == st.beforeSize:
		return false, fmt.Errorf("the log is as before the import, but the register is not: %d deployments", len(deployments))
	case size == st.afterSize && slices.Equal(deployments, st.ids):
		return true, nil
	case size == st.afterSize:
		return false, fmt.Errorf("the log holds the whole batch, but the register holds %d deployments, want %d", len(deployments), len(st.ids))
	}
	return false, fmt.Errorf("the log holds %d revisions (%d deployments), neither the %d before the import nor the %d after it",
		size, len(deployments), st.beforeSize, st.afterSize)
}

// killImport runs oversight with args and sends it SIGKILL as soon as
// kill, asked every 2 ms with the work the process has done (its CPU time,
// or the wall time since it started where /proc is missing) and what it
// has printed, says so. It reports whether the process was still running
// then, and the work it had done; a process that ended first must have
// succeeded.
func killImport(t *testing.T, kill func(work time.Duration, out string) bool, args ...string) (killed bool, work time.Duration) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	workDone := func() time.Duration {
		if used, ok := cpuTime(cmd.Process.Pid); ok {
			return used
		}
		return time.Since(start)
	}
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("oversight %s: %v\n%s", strings.Join(args, " "), err, out.String())
			}
			if _, ok := cpuTime(os.Getpid()); ok {
				return false, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			return false, time.Since(start)
		case <-tick.C:
		}
		if work = workDone(); kill(work, out.String()) {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	var ee *exec.ExitError
	if err := <-done; errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() {
		return true, work
	} else if err != nil {
		t.Fatalf("oversight %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return false, work
}

// lockedBuffer is a bytes.Buffer that a process writes while a test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cpuTime reads the CPU time a process has used, user and system, from
// /proc/PID/stat, in clock ticks of 1/100 s (USER_HZ on Linux); ok is false
// where there is no /proc.
func cpuTime(pid int) (used time.Duration, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// After the command name, in parentheses, come the state (field 3)
	// and, as fields 14 and 15, utime and stime.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

var revisionsRE = regexp.MustCompile(`^verify: OK: (\d+) revisions;`)

// verifiedSize runs verify on a register and returns how many revisions
// its log holds.
func verifiedSize(t *testing.T, dir string) int {
	t.Helper()
	out := mustRun(t, "verify", "--data", dir, "--no-builtin")
	m := revisionsRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("verify: %s", out)
	}
	size, _ := strconv.Atoi(m[1])
	return size
}

// exportedIDs returns the ids of the deployments of a JSON export, sorted.
func exportedIDs(t *testing.T, export string) []string {
	t.Helper()
	var set struct {
		Deployments []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(export), &set); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	ids := make([]string, len(set.Deployments))
	for i, d := range set.Deployments {
		ids[i] = d.ID
	}
	slices.Sort(ids)
	return ids
}

// writeJSON writes v as JSON to a file of the test's and returns its path.
func writeJSON(t *testing.T, name string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
