package ledger

import (
	"bytes"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// FuzzCheckProofBundle: any bytes are a bundle that checks or an error,
// never a panic; a bundle that checks holds a record at a position in the
// signed tree.
func FuzzCheckProofBundle(f *testing.F) {
	dir := f.TempDir()
	key, err := LoadOrCreateKey(dir, DefaultOrigin)
	if err != nil {
		f.Fatal(err)
	}
	v, err := note.NewVerifier(key.Public)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"record":"{\"seq\":0}","tree_size":1,"checkpoint":"x","proof":[]}`))
	f.Add([]byte(`{"record":"{\"seq\":-1}","tree_size":1,"checkpoint":"","proof":["AAAA"]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, seq, cp, err := CheckProofBundle(data, v)
		if err == nil && (seq < 0 || seq >= cp.Size || len(rec) == 0) {
			t.Fatalf("checked: seq %d of %d, record %q", seq, cp.Size, rec)
		}
	})
}

// FuzzParseCheckpoint feeds ParseCheckpoint a checkpoint's text, as a
// monitor or a witness reads it from another server once its signature
// holds. It must not panic, and what it accepts must be in the one
// spelling Body writes (C2SP tlog-checkpoint: a decimal size without sign
// or leading zero, the hash in standard base64), so that two texts never
// name the same checkpoint.
func FuzzParseCheckpoint(f *testing.F) {
	for _, s := range []string{
		"oversight.local/register\n10\nbQSYPo+G8mSqzkMvoQvyM6HERM1fDfpDtzl5lgs2ou4=\n",
		"o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nextension line\n",
		"o\n+5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "o\n05\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
		"o\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n", "o\n-1\nAA==\n", "o\n9223372036854775808\nAA==\n",
		"\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "o\n1\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ParseCheckpoint(body)
		if err != nil {
			return
		}
		if b := c.Body(); !bytes.HasPrefix(body, b) {
			t.Fatalf("accepted %q, which Body writes as %q", body, b)
		}
	})
}
