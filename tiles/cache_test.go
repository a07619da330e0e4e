package tiles

import (
	"strings"
	"testing"
)

// TestTileCacheBound: the cache keeps no more than its bound of bodies.
func TestTileCacheBound(t *testing.T) {
	c := tileCache{maxBytes: 1000}
	for i := range 50 {
		c.add(strings.Repeat("p", i+1), newFullTile(make([]byte, 100)))
		if c.bytes > c.maxBytes || c.bytes != 100*len(c.m) {
			t.Fatalf("after %d tiles: %d bytes in %d tiles", i+1, c.bytes, len(c.m))
		}
	}
	c.add("big", newFullTile(make([]byte, 1001)))
	if c.get("big") != nil {
		t.Error("a tile over the whole bound was kept")
	}
}

// FuzzEtagIn: any If-None-Match value is read without a panic, and a list
// that names the tag first matches it, whatever follows.
func FuzzEtagIn(f *testing.F) {
	for _, s := range []string{`"abc"`, `W/"abc", "def"`, `*`, `"`, `W/`, `,,, "a`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		etagIn([]string{v}, `"abc"`)
		if !etagIn([]string{`"abc", ` + v}, `"abc"`) || !etagIn([]string{`W/"abc"` + v}, `"abc"`) {
			t.Fatalf("the tag followed by %q does not match it", v)
		}
	})
}
