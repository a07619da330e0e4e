package tilestore

import (
	"errors"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// ErrPath is returned by ParsePath for a path that is not a tile's.
var ErrPath = errors.New("not a tlog-tiles tile path")

// ParsePath reads a tile's path below the log's prefix, in the C2SP
// tlog-tiles form: "tile/<L>/<N>[.p/<W>]" for hashes, or
// "tile/entries/<N>[.p/<W>]" for an entry bundle (returned with L = -1,
// as golang.org/x/mod/sumdb/tlog numbers data tiles). N is written in
// groups of three digits, all but the last prefixed with x. tlog-tiles
// differs from x/mod's layout only in leaving out the height (always 8)
// and in naming data tiles "entries", so the numbers are read by x/mod's
// own parser, which checks them.
func ParsePath(path string) (tlog.Tile, error) {
	rest, ok := strings.CutPrefix(path, "tile/")
	if !ok {
		return tlog.Tile{}, ErrPath
	}
	if strings.HasPrefix(rest, "data/") {
		return tlog.Tile{}, ErrPath // x/mod's name, not tlog-tiles'
	}
	if e, ok := strings.CutPrefix(rest, "entries/"); ok {
		rest = "data/" + e
	}
	t, err := tlog.ParseTilePath("tile/8/" + rest)
	if err != nil || t.H != Height {
		return tlog.Tile{}, ErrPath
	}
	return t, nil
}

// Path is the tlog-tiles path of a tile, the inverse of ParsePath.
func Path(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), "tile/8/")
	if d, ok := strings.CutPrefix(p, "data/"); ok {
		return "tile/entries/" + d
	}
	return "tile/" + p
}
