// Package witness implements C2SP tlog-witness (https://c2sp.org/tlog-witness)
// with Ed25519 cosignatures (https://c2sp.org/tlog-cosignature, signature
// type 0x04): a witness cosigns a log's checkpoint only if it is
// consistent with the last one it cosigned for that log, so that a log
// cannot show two histories to two readers without one of them seeing
// that the witnesses did not cosign it. Readers verify cosignatures with
// golang.org/x/mod/sumdb/note, through Verifier.
package witness

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// algCosignature is the signature type of a timestamped Ed25519 checkpoint
// cosignature.
const algCosignature = 0x04

// A Cosigner signs checkpoints as a witness.
type Cosigner struct {
	name string
	key  ed25519.PrivateKey
	hash uint32
}

// NewCosigner makes a cosigner of a name and an Ed25519 key.
func NewCosigner(name string, key ed25519.PrivateKey) (*Cosigner, error) {
	if !validName(name) {
		return nil, fmt.Errorf("witness name %q: not a key name", name)
	}
	return &Cosigner{name: name, key: key, hash: keyHash(name, key.Public().(ed25519.PublicKey))}, nil
}

// Name is the witness's name, as its signature lines give it.
func (c *Cosigner) Name() string { return c.name }

// VerifierKey is the cosigner's public key as a vkey:
// <name>+<hex key ID>+base64(0x04 || public key).
func (c *Cosigner) VerifierKey() string {
	pub := c.key.Public().(ed25519.PublicKey)
	return fmt.Sprintf("%s+%08x+%s", c.name, c.hash, base64.StdEncoding.EncodeToString(append([]byte{algCosignature}, pub...)))
}

// Cosign returns the signature line of a cosignature of a checkpoint's
// note text (its body, with the final newline), made at time t.
func (c *Cosigner) Cosign(text []byte, t time.Time) string {
	ts := uint64(t.Unix())
	sig := ed25519.Sign(c.key, message(text, ts))
	b := binary.BigEndian.AppendUint32(nil, c.hash)
	b = binary.BigEndian.AppendUint64(b, ts)
	b = append(b, sig...)
	return "— " + c.name + " " + base64.StdEncoding.EncodeToString(b) + "\n"
}

// message is what a cosignature signs.
func message(text []byte, ts uint64) []byte {
	var b bytes.Buffer
	b.WriteString("cosignature/v1\ntime ")
	b.WriteString(strconv.FormatUint(ts, 10))
	b.WriteByte('\n')
	b.Write(text)
	return b.Bytes()
}

func keyHash(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', algCosignature})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

func validName(name string) bool {
	return name != "" && !strings.ContainsAny(name, "+ \n\t") && len(name) <= 255
}

// Verifier checks a witness's cosignatures; it is a note.Verifier, so
// note.Open counts them among a checkpoint's signatures.
type Verifier struct {
	name string
	pub  ed25519.PublicKey
	hash uint32
}

// NewVerifier reads a witness's vkey, as VerifierKey writes it.
func NewVerifier(vkey string) (*Verifier, error) {
	name, rest, ok := strings.Cut(strings.TrimSpace(vkey), "+")
	if !ok || !validName(name) {
		return nil, errors.New("not a witness key: name+hash+key")
	}
	hexHash, b64, ok := strings.Cut(rest, "+")
	if !ok || len(hexHash) != 8 {
		return nil, errors.New("not a witness key: name+hash+key")
	}
	h, err := strconv.ParseUint(hexHash, 16, 32)
	if err != nil {
		return nil, errors.New("not a witness key: its hash is not 8 hex digits")
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != algCosignature {
		return nil, errors.New("not a witness key: not an Ed25519 cosignature key (type 0x04)")
	}
	v := &Verifier{name: name, pub: ed25519.PublicKey(raw[1:]), hash: uint32(h)}
	if keyHash(name, v.pub) != v.hash {
		return nil, errors.New("not a witness key: its hash is not its name's and key's")
	}
	return v, nil
}

func (v *Verifier) Name() string    { return v.name }
func (v *Verifier) KeyHash() uint32 { return v.hash }

// Verify checks a cosignature (timestamp and Ed25519 signature) of a
// note's text.
func (v *Verifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	ts := binary.BigEndian.Uint64(sig)
	if ts == 0 || ts > 1<<63-1 {
		return false
	}
	return ed25519.Verify(v.pub, message(msg, ts), sig[8:])
}

// Cosigned counts the witnesses among vs that cosigned a signed checkpoint,
// which logVerifier must have signed.
func Cosigned(signed []byte, logVerifier note.Verifier, vs []*Verifier) (int, error) {
	list := []note.Verifier{logVerifier}
	for _, v := range vs {
		list = append(list, v)
	}
	n, err := note.Open(signed, note.VerifierList(list...))
	if err != nil {
		return 0, err
	}
	logSigned, count := false, 0
	for _, s := range n.Sigs {
		if s.Name == logVerifier.Name() && s.Hash == logVerifier.KeyHash() {
			logSigned = true
			continue
		}
		count++
	}
	if !logSigned {
		return 0, errors.New("the checkpoint is not signed by the log's key")
	}
	return count, nil
}
