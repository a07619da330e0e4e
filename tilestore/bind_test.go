package tilestore

import (
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// FuzzParseTree: the tree file is read back only as it is written (a
// size in decimal, a root in padded base64, a line each), never with a
// panic.
func FuzzParseTree(f *testing.F) {
	var h tlog.Hash
	h[0] = 7
	for _, s := range []string{"0\n" + h.String() + "\n", "600\n" + h.String(), "", "\n", "-1\n" + h.String(), "01\n" + h.String(), "5\nAAAA\n", "5\n" + h.String() + "\nmore"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		size, hash, ok := parseTree(b)
		if !ok {
			return
		}
		if want := fmt.Sprintf("%d\n%s", size, hash); string(b) != want && string(b) != want+"\n" {
			t.Fatalf("%q read as size %d, root %s", b, size, hash)
		}
	})
}
