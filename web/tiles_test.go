package web

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/tilestore"
)

// TestFullTileFirst: a full tile made before is answered ahead of the
// deadline, the admission, the cache and the shedder, with the security
// headers besides its own, because the route table lets anyone read the
// log; a request that carries a token is admitted first all the same, so
// that a bad token is refused there too (sent to sign in, as on any page).
func TestFullTileFirst(t *testing.T) {
	o := unlimited
	o.Tiles = tilestore.NewFiles(t.TempDir())
	h, _ := handlerFor(t, fixture.Set(300), nil, o)
	if !h.(*server).tilesPublic {
		t.Fatal("the route table does not let anyone read the log's tiles")
	}
	srv := testreg.Serve(t, h)
	get := func(path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		c := *srv.Client()
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	made, body := get("/log/tile/entries/000") // made from the log, stored
	stored, again := get("/log/tile/entries/000")
	if !bytes.Equal(again, body) || len(body) == 0 {
		t.Errorf("stored tile: %d bytes, not the %d made", len(again), len(body))
	}
	for _, r := range []*http.Response{made, stored} {
		if r.StatusCode != 200 || r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.Header.Get("Content-Type") != "application/octet-stream" {
			t.Errorf("full tile: %s, headers %v", r.Status, r.Header)
		}
		for k, v := range securityHeaders {
			if got := r.Header.Get(k); got != v {
				t.Errorf("full tile: %s %q, want %q", k, got, v)
			}
		}
	}
	if r, _ := get("/log/tile/entries/000", "Authorization", "Bearer not-a-token"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a stored tile with a bad token: %s, want 303 to sign in", r.Status)
	}
	if r, b := get("/log/tile/0/000.p/5"); r.StatusCode != 200 || len(b) != 5*32 || r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("partial tile: %s, %d bytes, Cache-Control %q", r.Status, len(b), r.Header.Get("Cache-Control"))
	}
}
