package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"oversight/internal/fixture"
	"oversight/tilestore"
)

// BenchmarkFullTile measures the server's work for a full tile it has
// served before (an entry bundle of 256 records and a hash tile), through
// the whole handler as a request reaches it, without the network; its
// allocations a request do not depend on the machine's load. The tile is
// kept in memory, or stored in a file (Options.Tiles), which this writer,
// not being a connection, reads rather than hands to sendfile.
//
//	go test ./web -run XXX -bench FullTile -benchmem
func BenchmarkFullTile(b *testing.B) {
	b.Run("memory", func(b *testing.B) { benchFullTile(b, unlimited) })
	o := unlimited
	o.Tiles = tilestore.NewFiles(b.TempDir())
	b.Run("files", func(b *testing.B) { benchFullTile(b, o) })
}

func benchFullTile(b *testing.B, o Options) {
	h, _ := handlerFor(b, fixture.Set(300), nil, o)
	for _, path := range []string{"/log/tile/entries/000", "/log/tile/0/000"} {
		b.Run(path[len("/log/tile/"):], func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.RemoteAddr = "127.0.0.1:1234"
			w := &discard{h: http.Header{}}
			h.ServeHTTP(w, req)
			if w.status != 0 && w.status != http.StatusOK {
				b.Fatalf("%s: %d", path, w.status)
			}
			for b.Loop() {
				w.h = http.Header{}
				h.ServeHTTP(w, req)
			}
			b.SetBytes(int64(w.n))
		})
	}
}

// discard is a ResponseWriter that keeps only the status and the size
// of the last body.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) WriteHeader(s int)   { d.status = s }
func (d *discard) Write(b []byte) (int, error) {
	d.n = len(b)
	return len(b), nil
}
