// Package ledger is Oversight's tamper-evident log: an append-only Merkle
// tree (RFC 6962, as built by golang.org/x/mod/sumdb/tlog) over the
// canonical JSON of every revision, and signed checkpoints of its head in
// the C2SP tlog-checkpoint format, signed as a note (Ed25519) so that anyone
// can check them with golang.org/x/mod/sumdb/note.
//
// The package does no storage of its own. A store keeps the records and the
// tree's stored hashes in the same database transaction as the change they
// record, and hands them to this package through tlog.HashReader.
package ledger

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// DefaultOrigin names the log in its checkpoints and its key.
const DefaultOrigin = "oversight.local/register"

// A Checkpoint is the signed statement of the log's size and root hash.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
}

// Body returns the checkpoint's text in C2SP tlog-checkpoint form:
// origin, size and base64 root hash, one per line.
func (c Checkpoint) Body() []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Hash[:]))
}

// ParseCheckpoint parses a checkpoint body (not signed).
func ParseCheckpoint(body []byte) (Checkpoint, error) {
	lines := strings.SplitAfterN(string(body), "\n", 4)
	if len(lines) < 3 || !strings.HasSuffix(lines[2], "\n") {
		return Checkpoint{}, errors.New("checkpoint: want origin, size and hash lines")
	}
	// Only the spelling Body writes is read (no sign or leading zero, no
	// stray bits in the base64), so that two texts never name one
	// checkpoint.
	origin, num := strings.TrimSuffix(lines[0], "\n"), strings.TrimSuffix(lines[1], "\n")
	size, err := strconv.ParseInt(num, 10, 64)
	if err != nil || size < 0 || origin == "" || strconv.FormatInt(size, 10) != num {
		return Checkpoint{}, errors.New("checkpoint: malformed origin or size")
	}
	// The decoder skips \r and \n wherever they stand, even in strict
	// mode, so the line must also be what encoding the hash gives back.
	line := strings.TrimSuffix(lines[2], "\n")
	h, err := base64.StdEncoding.Strict().DecodeString(line)
	if err != nil || len(h) != tlog.HashSize || base64.StdEncoding.EncodeToString(h) != line {
		return Checkpoint{}, errors.New("checkpoint: malformed root hash")
	}
	c := Checkpoint{Origin: origin, Size: size}
	copy(c.Hash[:], h)
	return c, nil
}

// A Key signs checkpoints. Its verifier key is what a reader needs to check
// them. A key read from a public key alone (log.pub, or a key a verifier
// pinned) has no Signer: it verifies and cannot sign.
type Key struct {
	Signer   note.Signer
	Verifier note.Verifier
	Public   string // the verifier key in note's text form
}

// ID names a key in messages as note names it in a signature line: the
// key's name and the hash that tells it from other keys of that name.
func (k *Key) ID() string { return keyID(k.Verifier.Name(), k.Verifier.KeyHash()) }

func keyID(name string, hash uint32) string { return fmt.Sprintf("%s+%08x", name, hash) }

// Key files in a data directory. The private key is readable by its owner
// only.
const (
	privateKeyFile = "log.key"
	publicKeyFile  = "log.pub"
)

// ErrNoSigningKey says that a key can verify checkpoints but not sign them:
// its private half is kept elsewhere.
var ErrNoSigningKey = errors.New("no signing key: the data directory holds only the log's public key, log.pub; the private key is kept elsewhere (oversight --signing-key FILE)")

// LoadKey returns the log's key for the data directory dir.
//
// With signing set, the private key is read from that file, which lives
// outside the data directory (a mounted secret, say), so that a copy of the
// directory or a break-in on the database host does not carry it; dir then
// holds only log.pub, written if missing and refused if it is another
// key's. Without it, the key is dir's log.key, created with log.pub on
// first use, as LoadOrCreateKey does; but a directory holding log.pub
// alone has its private key elsewhere, and gets a key that verifies and
// cannot sign, rather than a new key that would fork the log.
func LoadKey(dir, signing, origin string) (*Key, error) {
	pub := filepath.Join(dir, publicKeyFile)
	if signing == "" {
		_, errPriv := os.Stat(filepath.Join(dir, privateKeyFile))
		if _, err := os.Stat(pub); errors.Is(errPriv, os.ErrNotExist) && err == nil {
			return ReadPublicKey(pub)
		}
		return LoadOrCreateKey(dir, origin)
	}
	priv, err := os.ReadFile(signing)
	if err != nil {
		return nil, err
	}
	k, err := privateKey(string(priv), signing)
	if err != nil {
		return nil, err
	}
	if inDir, err := os.ReadFile(filepath.Join(dir, privateKeyFile)); err == nil && strings.TrimSpace(string(inDir)) != strings.TrimSpace(string(priv)) {
		return nil, fmt.Errorf("%s is another key than %s: the log must be signed with one key", filepath.Join(dir, privateKeyFile), signing)
	}
	have, err := os.ReadFile(pub)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(pub, []byte(k.Public+"\n"), 0o644); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case strings.TrimSpace(string(have)) != k.Public:
		return nil, fmt.Errorf("%s is not the public key of %s: the log must be signed with one key", pub, signing)
	}
	return k, nil
}

// ReadPublicKey reads a verifier key, in the text form log.pub holds, from
// a file. The key verifies checkpoints and cannot sign them.
func ReadPublicKey(file string) (*Key, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	text := strings.TrimSpace(string(b))
	v, err := note.NewVerifier(text)
	if err != nil {
		return nil, fmt.Errorf("%s: not a public key in the form log.pub holds (name+hash+key): %w", file, err)
	}
	return &Key{Verifier: v, Public: text}, nil
}

// LoadOrCreateKey reads the log's signing key from dir, creating an Ed25519
// key for origin on first use.
func LoadOrCreateKey(dir, origin string) (*Key, error) {
	priv, err := os.ReadFile(filepath.Join(dir, privateKeyFile))
	if errors.Is(err, os.ErrNotExist) {
		skey, vkey, err := note.GenerateKey(rand.Reader, origin)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		// Written with O_EXCL, so two processes starting at once cannot
		// each make a key and sign with different ones.
		f, err := os.OpenFile(filepath.Join(dir, privateKeyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			return LoadOrCreateKey(dir, origin)
		}
		if err != nil {
			return nil, err
		}
		if _, err := f.WriteString(skey + "\n"); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, publicKeyFile), []byte(vkey+"\n"), 0o644); err != nil {
			return nil, err
		}
		priv = []byte(skey)
	} else if err != nil {
		return nil, err
	}
	return privateKey(string(priv), filepath.Join(dir, privateKeyFile))
}

// privateKey makes a Key from the text of a note private key, read from
// the file named where.
func privateKey(text, where string) (*Key, error) {
	text = strings.TrimSpace(text)
	signer, err := note.NewSigner(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	// The public key is derived from the private one rather than trusted
	// from log.pub, which is only a copy for readers.
	vkey, err := verifierKey(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	return &Key{Signer: signer, Verifier: verifier, Public: vkey}, nil
}

// verifierKey derives the verifier key text from a note private key text
// (PRIVATE+KEY+name+hash+base64(alg||key)).
func verifierKey(skey string) (string, error) {
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", errors.New("not a note private key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 33 || raw[0] != 1 {
		return "", errors.New("not an Ed25519 note key")
	}
	return note.NewEd25519VerifierKey(parts[2], ed25519Public(raw[1:]))
}

// Sign signs a checkpoint.
func (k *Key) Sign(c Checkpoint) ([]byte, error) {
	if k.Signer == nil {
		return nil, ErrNoSigningKey
	}
	return note.Sign(&note.Note{Text: string(c.Body())}, k.Signer)
}

// Open checks a signed checkpoint against verifier and parses it. A
// checkpoint signed by other keys only is refused naming them and the key
// expected, so that a log re-signed with a new key says so.
func Open(signed []byte, verifier note.Verifier) (Checkpoint, error) {
	n, err := note.Open(signed, note.VerifierList(verifier))
	var unverified *note.UnverifiedNoteError
	if errors.As(err, &unverified) {
		var by []string
		for _, s := range unverified.Note.UnverifiedSigs {
			by = append(by, keyID(s.Name, s.Hash))
		}
		return Checkpoint{}, fmt.Errorf("checkpoint signature: not signed by the key %s (signed by %s)", keyID(verifier.Name(), verifier.KeyHash()), strings.Join(by, ", "))
	}
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint signature: %w", err)
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != verifier.Name() {
		return Checkpoint{}, fmt.Errorf("checkpoint origin %q is not the key's name %q", c.Origin, verifier.Name())
	}
	return c, nil
}

// Append returns the hashes to store, at tlog.StoredHashIndex(0, n) onward,
// when record becomes entry n of a log whose earlier hashes r reads.
func Append(n int64, record []byte, r tlog.HashReader) ([]tlog.Hash, error) {
	return tlog.StoredHashes(n, record, r)
}

// A Tree rebuilds a log in memory from its records, to check it.
type Tree struct {
	hashes []tlog.Hash // stored hashes, by storage index
	n      int64
}

// Reserve makes room for n records in all, so that a tree rebuilt from a
// long log grows its hashes once instead of by repeated doubling.
func (t *Tree) Reserve(n int64) {
	if want := int(2 * n); want > cap(t.hashes) {
		t.hashes = slices.Grow(t.hashes, want-len(t.hashes))
	}
}

// Add appends the next record.
func (t *Tree) Add(record []byte) error { return t.AddHash(tlog.RecordHash(record)) }

// AddHash appends the next record by its record hash (tlog.RecordHash),
// which a caller may compute on other cores: folding the tree is the part
// that must go in order.
func (t *Tree) AddHash(h tlog.Hash) error {
	hs, err := tlog.StoredHashesForRecordHash(t.n, h, t)
	if err != nil {
		return err
	}
	t.hashes = append(t.hashes, hs...)
	t.n++
	return nil
}

// Size is the number of records added.
func (t *Tree) Size() int64 { return t.n }

// Root returns the tree hash of the first n records.
func (t *Tree) Root(n int64) (tlog.Hash, error) { return tlog.TreeHash(n, t) }

// Stored returns the stored hash at a storage index.
func (t *Tree) Stored(i int64) tlog.Hash { return t.hashes[i] }

// Len is the number of stored hashes.
func (t *Tree) Len() int64 { return int64(len(t.hashes)) }

// ReadHashes implements tlog.HashReader.
func (t *Tree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x < 0 || x >= int64(len(t.hashes)) {
			return nil, fmt.Errorf("hash index %d not in tree", x)
		}
		out[i] = t.hashes[x]
	}
	return out, nil
}

// ProveRecord returns the inclusion proof of record i in the tree of size n.
func ProveRecord(n, i int64, r tlog.HashReader) (tlog.RecordProof, error) {
	return tlog.ProveRecord(n, i, r)
}

// CheckRecord checks an inclusion proof of record (whose canonical bytes are
// given) at index i in a tree of size n with root hash root.
func CheckRecord(p tlog.RecordProof, n int64, root tlog.Hash, i int64, record []byte) error {
	return tlog.CheckRecord(p, n, root, i, tlog.RecordHash(record))
}

func ed25519Public(seed []byte) ed25519.PublicKey {
	return ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
}
