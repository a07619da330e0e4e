package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// TestLoadKey covers where the signing key can live: created in the data
// directory on first use; read from a file outside it, with only log.pub
// in the directory; and, once log.key has moved out, never created again.
func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	k, err := LoadKey(dir, "", DefaultOrigin)
	if err != nil || k.Signer == nil {
		t.Fatalf("first use: %v", err)
	}
	secret := filepath.Join(t.TempDir(), "log.key")
	if err := os.Rename(filepath.Join(dir, "log.key"), secret); err != nil {
		t.Fatal(err)
	}
	pub, err := LoadKey(dir, "", DefaultOrigin)
	if err != nil || pub.Signer != nil || pub.Public != k.Public {
		t.Fatalf("log.pub alone: %+v %v", pub, err)
	}
	if _, err := pub.Sign(Checkpoint{Origin: DefaultOrigin}); !errors.Is(err, ErrNoSigningKey) {
		t.Errorf("signing with log.pub alone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "log.key")); err == nil {
		t.Error("a new log.key was made beside log.pub")
	}
	signing, err := LoadKey(dir, secret, DefaultOrigin)
	if err != nil || signing.Signer == nil || signing.Public != k.Public {
		t.Fatalf("--signing-key: %v", err)
	}

	// A new data directory gets log.pub, and no log.key, from the file.
	fresh := t.TempDir()
	if _, err := LoadKey(fresh, secret, DefaultOrigin); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(fresh, "log.key")); err == nil {
		t.Error("log.key was written into the data directory")
	}
	if b, _ := os.ReadFile(filepath.Join(fresh, "log.pub")); string(b) != k.Public+"\n" {
		t.Errorf("log.pub %q", b)
	}

	// Another key than the directory's is refused.
	other := t.TempDir()
	if _, err := LoadOrCreateKey(other, DefaultOrigin); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKey(dir, filepath.Join(other, "log.key"), DefaultOrigin); err == nil || !strings.Contains(err.Error(), "is not the public key of") {
		t.Errorf("another key against log.pub: %v", err)
	}
}

// TestOpenNamesKeys checks that a checkpoint signed by another key than
// the one expected is refused naming both.
func TestOpenNamesKeys(t *testing.T) {
	k, _ := LoadOrCreateKey(t.TempDir(), DefaultOrigin)
	other, _ := LoadOrCreateKey(t.TempDir(), DefaultOrigin)
	signed, _ := other.Sign(Checkpoint{Origin: DefaultOrigin, Size: 1})
	pinned, err := ReadPublicKey(writeFile(t, k.Public+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(signed, pinned.Verifier)
	want := "checkpoint signature: not signed by the key " + k.ID() + " (signed by " + other.ID() + ")"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if _, err := ReadPublicKey(writeFile(t, "PRIVATE+KEY+x")); err == nil {
		t.Error("a private key was read as a public key")
	}
}

func writeFile(t *testing.T, text string) string {
	f := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}
