package ledger

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

func TestKeyAndCheckpoint(t *testing.T) {
	dir := t.TempDir()
	k, err := LoadOrCreateKey(dir, DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	again, err := LoadOrCreateKey(dir, DefaultOrigin)
	if err != nil || again.Public != k.Public {
		t.Fatalf("reloaded key differs: %v", err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "log.key")); fi.Mode().Perm() != 0o600 {
		t.Errorf("log.key mode %v", fi.Mode().Perm())
	}
	pub, _ := os.ReadFile(filepath.Join(dir, "log.pub"))
	if string(pub) != k.Public+"\n" {
		t.Errorf("log.pub %q, want %q", pub, k.Public)
	}

	var tree Tree
	for _, r := range []string{"a", "b", "c"} {
		if err := tree.Add([]byte(r)); err != nil {
			t.Fatal(err)
		}
	}
	root, _ := tree.Root(3)
	signed, err := k.Sign(Checkpoint{Origin: DefaultOrigin, Size: 3, Hash: root})
	if err != nil {
		t.Fatal(err)
	}
	// An independent verifier needs only the public key and x/mod's note.
	v, _ := note.NewVerifier(k.Public)
	c, err := Open(signed, v)
	if err != nil || c.Size != 3 || c.Hash != root {
		t.Fatalf("open: %+v %v", c, err)
	}
	// Another key's signature is refused.
	other, _ := LoadOrCreateKey(t.TempDir(), DefaultOrigin)
	forged, _ := other.Sign(Checkpoint{Origin: DefaultOrigin, Size: 3, Hash: root})
	if _, err := Open(forged, v); err == nil {
		t.Error("a checkpoint signed by another key was accepted")
	}
	p, err := ProveRecord(3, 1, &tree)
	if err != nil || CheckRecord(p, 3, root, 1, []byte("b")) != nil || CheckRecord(p, 3, root, 1, []byte("x")) == nil {
		t.Errorf("inclusion proof: %v", err)
	}
}

func TestParseCheckpointRejectsMalformed(t *testing.T) {
	for _, body := range []string{"", "origin\n", "origin\nx\nAAAA\n", "origin\n3\nnot base64!\n", "\n3\nAAAA\n"} {
		if _, err := ParseCheckpoint([]byte(body)); err == nil {
			t.Errorf("ParseCheckpoint(%q) accepted", body)
		}
	}
}
