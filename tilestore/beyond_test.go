package tilestore

import (
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// TestBeyond checks which tiles a log of 300 entries holds, and that
// levels and indexes whose last entry does not fit in an int64 are beyond
// it rather than wrapped round to a small number.
func TestBeyond(t *testing.T) {
	const size = 300
	for _, c := range []struct {
		tile tlog.Tile
		want bool
	}{
		{tlog.Tile{H: 8, L: 0, N: 0, W: 256}, false},
		{tlog.Tile{H: 8, L: 0, N: 1, W: 44}, false},
		{tlog.Tile{H: 8, L: 0, N: 1, W: 45}, true},
		{tlog.Tile{H: 8, L: 0, N: 1, W: 256}, true},
		{tlog.Tile{H: 8, L: 1, N: 0, W: 1}, false},
		{tlog.Tile{H: 8, L: 1, N: 0, W: 2}, true},
		{tlog.Tile{H: 8, L: -1, N: 1, W: 44}, false},
		{tlog.Tile{H: 8, L: -1, N: 1, W: 45}, true},
		{tlog.Tile{H: 8, L: 7, N: 0, W: 1}, true},
		{tlog.Tile{H: 8, L: 8, N: 0, W: 256}, true},  // once shifted by 64: 0
		{tlog.Tile{H: 8, L: 64, N: 0, W: 256}, true}, // once shifted by 512: 0
		{tlog.Tile{H: 8, L: 1<<63 - 1, N: 0, W: 256}, true},
		{tlog.Tile{H: 8, L: 0, N: 1 << 55, W: 256}, true},
		{tlog.Tile{H: 8, L: -1, N: 1<<63 - 1, W: 256}, true},
	} {
		if got := Beyond(c.tile, size); got != c.want {
			t.Errorf("Beyond(%+v, %d) = %v, want %v", c.tile, size, got, c.want)
		}
	}
}
