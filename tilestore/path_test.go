package tilestore_test

import (
	"testing"

	"oversight/tilestore"
)

// FuzzParsePath: any path either parses to a tile whose own path it is,
// or is refused; never a panic.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"tile/0/000", "tile/1/x001/234.p/5", "tile/entries/x123/456", "tile/entries/000.p/256", "tile/8/0/000", "tile/data/000", "tile/0/-1", "", "tile/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		tl, err := tilestore.ParsePath(path)
		if err != nil {
			return
		}
		if got := tilestore.Path(tl); got != path {
			t.Fatalf("%q parses to %+v, whose path is %q", path, tl, got)
		}
	})
}
