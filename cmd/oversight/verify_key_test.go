package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/fixture"
	"oversight/ledger"
	"oversight/store"
)

// TestVerifyPinnedKey re-signs every checkpoint of a register with a new
// key and puts that key in its data directory, as anyone who can write
// the directory could. Verify trusts the key it finds there; verify --key
// with the key pinned before names the keys and fails.
func TestVerifyPinnedKey(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	pinned := filepath.Join(t.TempDir(), "pinned.pub")
	copyFile(t, filepath.Join(dir, "log.pub"), pinned)
	key, err := ledger.ReadPublicKey(pinned)
	if err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "verify", "--data", dir, "--key", pinned); !strings.Contains(out, "signed by "+key.ID()+" (the key pinned with --key)") {
		t.Errorf("verify --key: %s", out)
	}

	// A copy of the database alone verifies against the pinned key, and
	// verify makes no key for it.
	bare := t.TempDir()
	copyFile(t, filepath.Join(dir, "oversight.db"), filepath.Join(bare, "oversight.db"))
	mustRun(t, "verify", "--data", bare, "--key", pinned)
	for _, f := range []string{"log.key", "log.pub"} {
		if _, err := os.Stat(filepath.Join(bare, f)); err == nil {
			t.Errorf("verify --key created %s", f)
		}
	}

	newKey := resignAll(t, dir)
	if out := mustRun(t, "verify", "--data", dir); !strings.Contains(out, "verify: OK") {
		t.Fatalf("verify with the directory's new key: %s", out)
	}
	_, stderr, err := run(t, "verify", "--data", dir, "--key", pinned)
	want := fmt.Sprintf(": checkpoint signature: not signed by the key %s (signed by %s)", key.ID(), newKey.ID())
	if err == nil || !strings.Contains(stderr, want) {
		t.Errorf("verify --key after re-signing: %v\n%s\nwant %q", err, stderr, want)
	}
	if _, stderr, err := run(t, "verify", "--data", dir, "--key", filepath.Join(dir, "log.key")); err == nil || !strings.Contains(stderr, "not a public key") {
		t.Errorf("verify --key with a private key file: %v %s", err, stderr)
	}
}

// resignAll signs every checkpoint of the register in dir again with a new
// key, which it puts in dir in place of the old.
func resignAll(t *testing.T, dir string) *ledger.Key {
	old, err := ledger.LoadOrCreateKey(dir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	keyDir := t.TempDir()
	k, err := ledger.LoadOrCreateKey(keyDir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db := sqlDB(t, dir)
	rows, err := db.Query("SELECT signed FROM checkpoints")
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		all = append(all, s)
	}
	rows.Close()
	for _, s := range all {
		cp, err := ledger.Open([]byte(s), old.Verifier)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := k.Sign(cp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("UPDATE checkpoints SET signed = ? WHERE size = ?", string(signed), cp.Size); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"log.key", "log.pub"} {
		copyFile(t, filepath.Join(keyDir, f), filepath.Join(dir, f))
	}
	return k
}

// TestSigningKeyOutsideDataDirectory moves log.key out of the data
// directory, as a mounted secret: commands still read and verify with
// log.pub, writes are refused until --signing-key names the key, and no
// new key is made in its place.
func TestSigningKeyOutsideDataDirectory(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	secret := filepath.Join(t.TempDir(), "log.key")
	if err := os.Rename(filepath.Join(dir, "log.key"), secret); err != nil {
		t.Fatal(err)
	}
	records := jsonFile(t, fixture.Set(1))
	mustRun(t, "verify", "--data", dir)
	if _, stderr, err := run(t, "import", "--data", dir, records); err == nil || !strings.Contains(stderr, "--signing-key") {
		t.Errorf("import without the signing key: %v %s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "log.key")); err == nil {
		t.Fatal("a new log.key was made in the data directory")
	}
	mustRun(t, "import", "--data", dir, "--signing-key", secret, records)
	mustRun(t, "verify", "--data", dir, "--key", filepath.Join(dir, "log.pub"))

	other := filepath.Join(t.TempDir(), "other")
	if _, err := ledger.LoadOrCreateKey(other, ledger.DefaultOrigin); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := run(t, "import", "--data", dir, "--signing-key", filepath.Join(other, "log.key"), records); err == nil || !strings.Contains(stderr, "is not the public key of") {
		t.Errorf("import with another signing key: %v %s", err, stderr)
	}

	port := freePort(t)
	cmd := exec.Command(binary, "serve", "--data", dir, "--signing-key", secret, "--addr", "127.0.0.1:"+port)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if body := waitGet(t, "http://127.0.0.1:"+port+"/api/v1/log/checkpoint"); !strings.HasPrefix(body, ledger.DefaultOrigin+"\n") {
		t.Errorf("the checkpoint served: %q", body)
	}
}

// TestTruncationNeedsSavedCheckpoint removes the newest import, its
// revisions with their content and its checkpoint, by SQL, and runs
// rebuild. The shorter log
// is whole and validly signed: verify passes. Only the checkpoint a reader
// saved before the removal shows it, and verify --checkpoint names it.
func TestTruncationNeedsSavedCheckpoint(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	before := checkpointOf(t, dir)
	mustRun(t, "import", "--data", dir, jsonFile(t, fixture.Set(1)))
	later := checkpointOf(t, dir)
	saved := filepath.Join(t.TempDir(), "checkpoint.txt")
	if err := os.WriteFile(saved, later.signed, 0o644); err != nil {
		t.Fatal(err)
	}
	db := sqlDB(t, dir)
	n := before.cp.Size
	for _, q := range []string{
		fmt.Sprintf("DELETE FROM revisions WHERE seq >= %d", n),
		fmt.Sprintf("DELETE FROM revision_content WHERE seq >= %d", n),
		fmt.Sprintf("DELETE FROM tree_hashes WHERE idx >= %d", tlog.StoredHashIndex(0, n)),
		fmt.Sprintf("DELETE FROM checkpoints WHERE size > %d", n),
		fmt.Sprintf("UPDATE log_head SET size = %d", n),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	mustRun(t, "rebuild", "--data", dir)
	if out := mustRun(t, "verify", "--data", dir); !strings.HasPrefix(out, fmt.Sprintf("verify: OK: %d revisions;", n)) {
		t.Fatalf("verify after the truncation: %s", out)
	}
	_, stderr, err := run(t, "verify", "--data", dir, "--checkpoint", saved)
	want := fmt.Sprintf("MISMATCH checkpoint: the saved checkpoint of %d revisions (root %s) is not extended by the log, which holds %d", later.cp.Size, later.cp.Hash, n)
	if err == nil || !strings.Contains(stderr, want) {
		t.Errorf("verify --checkpoint: %v\n%s\nwant %q", err, stderr, want)
	}
}

type savedCheckpoint struct {
	signed []byte
	cp     ledger.Checkpoint
}

// checkpointOf returns the latest checkpoint of the register in dir.
func checkpointOf(t *testing.T, dir string) savedCheckpoint {
	ctx := context.Background()
	key, err := ledger.LoadOrCreateKey(dir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "oversight.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	signed, cp, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return savedCheckpoint{signed, cp}
}

// sqlDB opens the SQLite database of the register in dir, for changes
// behind the program's back.
func sqlDB(t *testing.T, dir string) *sql.DB {
	db, err := sql.Open("sqlite", filepath.Join(dir, "oversight.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func jsonFile(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "records.json")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func copyFile(t *testing.T, from, to string) {
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyLogAlone runs verify --log on the built-in register: it says
// the log alone was checked, and refuses to be combined with the checks of
// the database against the log.
func TestVerifyLogAlone(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	out := mustRun(t, "verify", "--data", dir, "--log")
	for _, want := range []string{"verify: OK: ", "the log alone was checked", "note: only the log was checked"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify --log does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "tables, search index and schema match") {
		t.Errorf("verify --log claims the tables were checked:\n%s", out)
	}
	for _, other := range []string{"--storage", "--tiers"} {
		if _, stderr, err := run(t, "verify", "--data", dir, "--log", other); err == nil || !strings.Contains(stderr, "give one or the other") {
			t.Errorf("verify --log %s: %v %s", other, err, stderr)
		}
	}
}
