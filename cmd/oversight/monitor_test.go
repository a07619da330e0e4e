package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"oversight/ledger"
)

// TestMonitorCommand runs `oversight monitor` against `oversight serve` of
// the built-in register, with the key the data directory holds pinned: it
// reports the log it checked and the answers it compared; a second run
// has nothing new; a key that is not the log's is an alarm, exit status 3.
func TestMonitorCommand(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	url := startServe(t, dir)
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

// TestVerifyProof downloads the proof bundle of a record from `oversight
// serve` and checks it offline with `oversight verify-proof` and the key
// alone; a bundle whose record was edited, or checked with another key,
// fails, saying why.
func TestVerifyProof(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	bundle := waitGet(t, startServe(t, dir)+"/api/v1/proofs/deployment/pk-islamabad-safe-city")
	file := filepath.Join(t.TempDir(), "proof.json")
	if err := os.WriteFile(file, []byte(bundle), 0o644); err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(dir, "log.pub")
	if out := mustRun(t, "verify-proof", file, "--key", pub); !strings.HasPrefix(out, "verify-proof: OK: revision ") || !strings.Contains(out, "deployment pk-islamabad-safe-city") {
		t.Errorf("verify-proof: %s", out)
	}
	at := strings.Index(bundle, `"record":"`) // the record the proof is of, not the revision shown beside it
	// A format-2 record holds its id in the clear, its content committed to.
	edited := bundle[:at] + strings.Replace(bundle[at:], "islamabad", "rawalpindi", 1)
	if edited == bundle {
		t.Fatal("nothing to edit in the bundle")
	}
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := run(t, "verify-proof", file, "--key", pub); err == nil || !strings.Contains(stderr, "is not in the tree the checkpoint signs") {
		t.Errorf("an edited record: %v %s", err, stderr)
	}
	// Its content, edited, is not what the record commits to.
	at = strings.Index(bundle, `"content":"`) + len(`"content":"`) + 40
	c := byte('A')
	if bundle[at] == c {
		c = 'B'
	}
	if err := os.WriteFile(file, []byte(bundle[:at]+string(c)+bundle[at+1:]), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := run(t, "verify-proof", file, "--key", pub); err == nil || !strings.Contains(stderr, "do not hash to the commitment") {
		t.Errorf("an edited content: %v %s", err, stderr)
	}
	other := t.TempDir()
	if _, err := ledger.LoadOrCreateKey(other, ledger.DefaultOrigin); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, []byte(bundle), 0o644)
	if _, stderr, err := run(t, "verify-proof", file, "--key", filepath.Join(other, "log.pub")); err == nil || !strings.Contains(stderr, "checkpoint") {
		t.Errorf("another key: %v %s", err, stderr)
	}
}

// TestWitnessProcesses starts two `oversight witness serve` processes on
// loopback for the built-in register's log, and `oversight serve` asking
// both for cosignatures: the checkpoint it serves carries both, and
// `oversight monitor` requiring both passes; requiring a third it does not
// know raises an alarm.
func TestWitnessProcesses(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	pub := filepath.Join(dir, "log.pub")
	var flags []string
	var vkeys []string
	for _, name := range []string{"witness.example/w1", "witness.example/w2"} {
		wdir, port := t.TempDir(), freePort(t)
		w := exec.Command(binary, "witness", "serve", "--dir", wdir, "--name", name, "--log", pub, "--addr", "127.0.0.1:"+port)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Process.Kill(); w.Wait() })
		var vkey []byte
		for i := 0; i < 200 && len(vkey) == 0; i++ {
			vkey, _ = os.ReadFile(filepath.Join(wdir, "witness.vkey"))
			time.Sleep(20 * time.Millisecond)
		}
		vkeys = append(vkeys, strings.TrimSpace(string(vkey)))
		flags = append(flags, "--witness", "http://127.0.0.1:"+port+"="+strings.TrimSpace(string(vkey)))
	}
	url := startServe(t, dir, flags...)
	cp := ""
	for i := 0; i < 250 && strings.Count(cp, "— witness.example/") < 2; i++ {
		cp = waitGet(t, url+"/log/checkpoint")
		time.Sleep(40 * time.Millisecond)
	}
	if strings.Count(cp, "— witness.example/") != 2 {
		t.Fatalf("the served checkpoint has not both cosignatures:\n%s", cp)
	}
	out := mustRun(t, "monitor", url, "--key", pub, "--state", t.TempDir(), "--sample", "2", "--witness", vkeys[0], "--witness", vkeys[1], "--quorum", "2")
	if !strings.Contains(out, "API answers agree") {
		t.Errorf("monitor: %s", out)
	}
	if _, stderr, err := run(t, "monitor", url, "--key", pub, "--state", t.TempDir(), "--witness", vkeys[0], "--quorum", "2"); err == nil || !strings.Contains(stderr, "too few cosignatures") {
		t.Errorf("a quorum of 2 with one key known: %v %s", err, stderr)
	}
}

// startServe starts `oversight serve` of a data directory on a free port
// of loopback, with more flags, until the test ends, and returns its
// address once it answers.
func startServe(t *testing.T, dir string, flags ...string) string {
	t.Helper()
	port := freePort(t)
	srv := exec.Command(binary, append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:" + port}, flags...)...)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	url := "http://127.0.0.1:" + port
	waitGet(t, url+"/log/checkpoint")
	return url
}
