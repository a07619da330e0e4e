package tilestore

import (
	"errors"
	"math"
	"strconv"
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
// and in naming data tiles "entries".
//
// A path is accepted only in the one spelling Path gives its tile, as
// tlog.ParseTilePath accepts x/mod's (FuzzParsePath checks that the two
// agree). It is read here without allocating, as every request for a
// tile parses one.
func ParsePath(path string) (tlog.Tile, error) {
	t, ok := parsePath(path)
	if !ok {
		return tlog.Tile{}, ErrPath
	}
	return t, nil
}

func parsePath(path string) (tlog.Tile, bool) {
	rest, ok := strings.CutPrefix(path, "tile/")
	if !ok {
		return tlog.Tile{}, false
	}
	level, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return tlog.Tile{}, false
	}
	t := tlog.Tile{H: Height, L: -1, W: 1 << Height}
	if level != "entries" {
		l, err := strconv.Atoi(level)
		if err != nil || l < 0 {
			return tlog.Tile{}, false
		}
		t.L = l
	}
	if num, w, ok := strings.Cut(rest, ".p/"); ok {
		ww, err := strconv.Atoi(w)
		if err != nil || ww <= 0 || ww >= 1<<Height {
			return tlog.Tile{}, false
		}
		t.W, rest = ww, num
	}
	for {
		group, more, ok := strings.Cut(rest, "/")
		g, err := strconv.Atoi(strings.TrimPrefix(group, "x"))
		if err != nil || g < 0 || g >= 1000 || t.N > (math.MaxInt64-int64(g))/1000 {
			return tlog.Tile{}, false
		}
		t.N = t.N*1000 + int64(g)
		if !ok {
			break
		}
		rest = more
	}
	// Whatever spelling the numbers had (leading zeros, signs, an x too
	// many or too few), only the tile's own path is its path.
	var buf [64]byte
	return t, string(appendPath(buf[:0], t)) == path
}

// Path is the tlog-tiles path of a tile, the inverse of ParsePath.
func Path(t tlog.Tile) string {
	if !valid(t) {
		// Not a tile of this log: spelled as x/mod spells it.
		p := strings.TrimPrefix(t.Path(), "tile/8/")
		if d, ok := strings.CutPrefix(p, "data/"); ok {
			return "tile/entries/" + d
		}
		return "tile/" + p
	}
	var buf [64]byte
	return string(appendPath(buf[:0], t))
}

func valid(t tlog.Tile) bool {
	return t.H == Height && t.L >= -1 && t.N >= 0 && t.W >= 1 && t.W <= 1<<Height
}

// appendPath appends the path of valid tile t to b, spelled as x/mod's
// Tile.Path spells it (without the height, entries for data), without
// fmt: N's groups of three digits from the most significant, each but
// the last with an x.
func appendPath(b []byte, t tlog.Tile) []byte {
	b = append(b, "tile/"...)
	if t.L == -1 {
		b = append(b, "entries"...)
	} else {
		b = strconv.AppendInt(b, int64(t.L), 10)
	}
	b = append(b, '/')
	var groups [7]int64 // an int64 has at most 19 digits
	k, n := 0, t.N
	for {
		groups[k] = n % 1000
		k++
		if n < 1000 {
			break
		}
		n /= 1000
	}
	for i := k - 1; i >= 0; i-- {
		if i > 0 {
			b = append(b, 'x')
		}
		g := groups[i]
		b = append(b, byte('0'+g/100), byte('0'+g/10%10), byte('0'+g%10))
		if i > 0 {
			b = append(b, '/')
		}
	}
	if t.W != 1<<Height {
		b = append(b, ".p/"...)
		b = strconv.AppendInt(b, int64(t.W), 10)
	}
	return b
}
