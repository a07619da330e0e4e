package witness

import "testing"

// FuzzParseRequest: any body is an add-checkpoint request or an error,
// never a panic; a request it reads has at most 63 proof hashes.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte("old 0\n\norigin\n1\nAAAA\n\n— x y\n"))
	f.Add([]byte("old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n\nx\n"))
	f.Add([]byte("old 01\n\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, body []byte) {
		old, proof, _, err := parseRequest(body)
		if err == nil && (old < 0 || len(proof) > 63) {
			t.Fatalf("read old %d and %d proof lines", old, len(proof))
		}
	})
}

// FuzzNewVerifier: any vkey is a verifier whose name and hash it states,
// or an error.
func FuzzNewVerifier(f *testing.F) {
	c, _ := LoadOrCreateCosigner(f.TempDir(), "w.example/1")
	f.Add(c.VerifierKey())
	f.Add("a+00000000+BA==")
	f.Add("")
	f.Fuzz(func(t *testing.T, vkey string) {
		v, err := NewVerifier(vkey)
		if err == nil && (v.Name() == "" || len(v.pub) != 32) {
			t.Fatalf("%q: %+v", vkey, v)
		}
	})
}
