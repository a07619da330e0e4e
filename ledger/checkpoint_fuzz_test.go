package ledger

import (
	"bytes"
	"testing"
)

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
