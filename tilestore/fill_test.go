package tilestore

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
