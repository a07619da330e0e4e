package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"oversight/ledger"
)

// TestMonitorCommand runs `oversight monitor` against `oversight serve` of
// the built-in register, with the key the data directory holds pinned: it
// reports the log it checked and the answers it compared; a second run
// has nothing new; a key that is not the log's is an alarm, exit status 3.
func TestMonitorCommand(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	port := freePort(t)
	srv := exec.Command(binary, "serve", "--data", dir, "--addr", "127.0.0.1:"+port)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	url := "http://127.0.0.1:" + port
	waitGet(t, url+"/log/checkpoint")
	state := t.TempDir()
	out := mustRun(t, "monitor", url, "--key", filepath.Join(dir, "log.pub"), "--state", state, "--sample", "-1")
	if !strings.Contains(out, "(was 0)") || !strings.Contains(out, "API answers agree with the log") || strings.Contains(out, " 0 API answers") {
		t.Errorf("first run: %s", out)
	}
	if out := mustRun(t, "monitor", url, "--key", filepath.Join(dir, "log.pub"), "--state", state, "--sample", "5"); !strings.Contains(out, ": 0 new entries") || !strings.Contains(out, "; 5 API answers agree") {
		t.Errorf("second run: %s", out)
	}
	other := t.TempDir()
	if _, err := ledger.LoadOrCreateKey(other, ledger.DefaultOrigin); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := run(t, "monitor", url, "--key", filepath.Join(other, "log.pub"), "--state", t.TempDir())
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 || !strings.Contains(stderr, "ALARM: checkpoint signature") {
		t.Errorf("another key: %v\n%s", err, stderr)
	}
}
