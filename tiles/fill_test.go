package tiles

import (
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// TestEachFull: the full tiles of a log, level by level.
func TestEachFull(t *testing.T) {
	for _, c := range []struct {
		size int64
		want string
	}{
		{0, ""},
		{255, ""},
		{256, "-1/0 0/0"},
		{600, "-1/0 -1/1 0/0 0/1"},
		{65536, fmt.Sprintf("%d tiles, the last 1/0", 256+256+1)},
	} {
		var got []string
		eachFull(c.size, func(t tlog.Tile) error {
			got = append(got, fmt.Sprintf("%d/%d", t.L, t.N))
			return nil
		})
		s := fmt.Sprint(got)
		if len(got) > 4 {
			s = fmt.Sprintf("%d tiles, the last %s", len(got), got[len(got)-1])
		} else {
			s = s[1 : len(s)-1]
		}
		if s != c.want {
			t.Errorf("size %d: %s, want %s", c.size, s, c.want)
		}
	}
}

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
