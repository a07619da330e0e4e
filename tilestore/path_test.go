package tilestore_test

import (
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/tilestore"
)

// xmodParse reads a tlog-tiles path with x/mod's parser, as ParsePath did
// before it read paths itself: the reference it must agree with.
func xmodParse(path string) (tlog.Tile, bool) {
	rest, ok := strings.CutPrefix(path, "tile/")
	if !ok || strings.HasPrefix(rest, "data/") {
		return tlog.Tile{}, false
	}
	if e, ok := strings.CutPrefix(rest, "entries/"); ok {
		rest = "data/" + e
	}
	t, err := tlog.ParseTilePath("tile/8/" + rest)
	return t, err == nil && t.H == tilestore.Height
}

// xmodPath is a tile's tlog-tiles path from x/mod's spelling.
func xmodPath(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), "tile/8/")
	if d, ok := strings.CutPrefix(p, "data/"); ok {
		return "tile/entries/" + d
	}
	return "tile/" + p
}

// FuzzParsePath: any path either parses to a tile whose own path it is,
// or is refused, exactly as x/mod's parser decides; never a panic.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"tile/0/000", "tile/1/x001/234.p/5", "tile/entries/x123/456", "tile/entries/000.p/256", "tile/8/0/000", "tile/data/000", "tile/0/-1", "", "tile/",
		"tile/0/x000/001", "tile/00/000", "tile/+1/000", "tile/0/001.p/0", "tile/0/001.p/255", "tile/0/001.p/05", "tile/0/x001.p/5/234", "tile/0/1234",
		"tile/entries/x009/x223/x372/x036/x854/x775/807", "tile/entries/x009/x223/x372/x036/x854/x775/808", "tile/99999999999999999999/000", "tile/0/000/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		tl, err := tilestore.ParsePath(path)
		want, ok := xmodParse(path)
		if (err == nil) != ok || ok && tl != want {
			t.Fatalf("%q: ParsePath %+v, %v; x/mod %+v, %v", path, tl, err, want, ok)
		}
		if err != nil {
			return
		}
		if got := tilestore.Path(tl); got != path {
			t.Fatalf("%q parses to %+v, whose path is %q", path, tl, got)
		}
	})
}

// FuzzPath: Path spells every tile of the log as x/mod does.
func FuzzPath(f *testing.F) {
	f.Add(0, int64(0), 256)
	f.Add(-1, int64(1234), 5)
	f.Add(3, int64(1<<62), 255)
	f.Add(-1, int64(999_999_999), 256)
	f.Fuzz(func(t *testing.T, l int, n int64, w int) {
		tl := tlog.Tile{H: tilestore.Height, L: l, N: n, W: w}
		if l < -1 || n < 0 || w < 1 || w > 256 {
			return // not a tile of the log: no path to agree on
		}
		if got, want := tilestore.Path(tl), xmodPath(tl); got != want {
			t.Fatalf("%+v: %q, x/mod %q", tl, got, want)
		}
	})
}
