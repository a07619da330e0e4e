package ledger

import (
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
