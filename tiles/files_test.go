package tiles_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testreg"
	"oversight/store"
	"oversight/tiles"
	"oversight/tilestore"
)

// filesServer serves db's tiles keeping full ones under dir, and counts
// the snapshots it opens.
type filesServer struct {
	t     *testing.T
	s     *tiles.Server
	opens atomic.Int64
}

func newFilesServer(t *testing.T, db *store.DB, dir string) *filesServer {
	fs := &filesServer{t: t}
	fs.s = tiles.HandlerWithFiles("/log", func(ctx context.Context) (tiles.Reader, error) {
		fs.opens.Add(1)
		return db.Snapshot(ctx)
	}, tilestore.NewFiles(dir), 0)
	return fs
}

func (fs *filesServer) get(method, path string, header ...string) (*http.Response, []byte) {
	fs.t.Helper()
	r := httptest.NewRequest(method, "/log/"+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	fs.s.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Result(), b
}

// TestTilesStoredInFiles: a full tile is made once from the log, stored
// as a file with exactly its bytes, and from then on served from the file
// without a snapshot, with one ETag that If-None-Match is answered 304
// for; a file that is missing or cut short is made again; a partial tile
// and the checkpoint are never stored; and where no file can be written
// the tile is still served, from memory.
func TestTilesStoredInFiles(t *testing.T) {
	db := testreg.Open(t, fixture.Set(300))
	dir := t.TempDir()
	s := newFilesServer(t, db, dir)

	first, body := s.get(http.MethodGet, "tile/entries/000")
	if first.StatusCode != 200 || len(body) == 0 || s.opens.Load() != 1 {
		t.Fatalf("first: %s, %d bytes, %d snapshots", first.Status, len(body), s.opens.Load())
	}
	stored, err := os.ReadFile(filepath.Join(dir, "tile", "entries", "000"))
	if err != nil || !bytes.Equal(stored, body) {
		t.Fatalf("the stored file (%v) is not the bytes served", err)
	}
	etag := first.Header.Get("ETag")
	again, body2 := s.get(http.MethodGet, "tile/entries/000")
	if again.StatusCode != 200 || !bytes.Equal(body2, body) || s.opens.Load() != 1 || again.Header.Get("ETag") != etag || etag == "" {
		t.Errorf("again: %s, same bytes %v, %d snapshots, ETag %q then %q", again.Status, bytes.Equal(body2, body), s.opens.Load(), etag, again.Header.Get("ETag"))
	}
	if !strings.Contains(again.Header.Get("Cache-Control"), "immutable") || again.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("headers: %v", again.Header)
	}
	if nm, b := s.get(http.MethodGet, "tile/entries/000", "If-None-Match", `W/"x", `+etag); nm.StatusCode != http.StatusNotModified || len(b) != 0 {
		t.Errorf("If-None-Match %s: %s, %d bytes", etag, nm.Status, len(b))
	}
	w := httptest.NewRecorder()
	if !s.s.ServeCached(w, httptest.NewRequest(http.MethodHead, "/log/tile/entries/000", nil)) || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
		t.Errorf("ServeCached HEAD: %d bytes, ETag %q", w.Body.Len(), w.Header().Get("ETag"))
	}

	// A hash tile cut short is not served: it is made again.
	hashTile := filepath.Join(dir, "tile", "0", "000")
	if r, _ := s.get(http.MethodGet, "tile/0/000"); r.StatusCode != 200 {
		t.Fatal(r.Status)
	}
	good, _ := os.ReadFile(hashTile)
	if err := os.WriteFile(hashTile, good[:100], 0o644); err != nil {
		t.Fatal(err)
	}
	before := s.opens.Load()
	if r, b := s.get(http.MethodGet, "tile/0/000"); r.StatusCode != 200 || !bytes.Equal(b, good) || s.opens.Load() != before+1 {
		t.Errorf("a short file: %s, %d bytes, %d snapshots", r.Status, len(b), s.opens.Load()-before)
	}
	if now, _ := os.ReadFile(hashTile); !bytes.Equal(now, good) {
		t.Error("the short file was not written again")
	}
	os.Remove(hashTile)
	if r, b := s.get(http.MethodGet, "tile/0/000"); r.StatusCode != 200 || !bytes.Equal(b, good) {
		t.Errorf("a missing file: %s", r.Status)
	}

	// Partial tiles and the checkpoint: from the log each time, never
	// stored.
	for _, path := range []string{"tile/entries/001.p/44", "tile/0/001.p/44", "checkpoint"} {
		before := s.opens.Load()
		for range 2 {
			if r, _ := s.get(http.MethodGet, path); r.StatusCode != 200 || r.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("%s: %s, Cache-Control %q", path, r.Status, r.Header.Get("Cache-Control"))
			}
		}
		if s.opens.Load() != before+2 {
			t.Errorf("%s read the register %d times in two requests", path, s.opens.Load()-before)
		}
	}
	var names []string
	filepath.WalkDir(dir, func(name string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, name)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if strings.Join(names, " ") != "tile/0/000 tile/entries/000" {
		t.Errorf("stored: %v", names)
	}

	// A directory that cannot be written: the tile is served all the same.
	blocked := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocked, nil, 0o644)
	ro := newFilesServer(t, db, blocked)
	r1, b1 := ro.get(http.MethodGet, "tile/entries/000")
	r2, b2 := ro.get(http.MethodGet, "tile/entries/000")
	if r1.StatusCode != 200 || r2.StatusCode != 200 || !bytes.Equal(b1, body) || !bytes.Equal(b2, body) || ro.opens.Load() != 1 {
		t.Errorf("unwritable: %s, %s, %d snapshots", r1.Status, r2.Status, ro.opens.Load())
	}
}

// TestStoredTileAnswers: a stored tile's GET, HEAD and ranged GET answer
// as http.ServeContent would: the file's length, no body for HEAD, and
// the bytes asked for with 206 when a Range is sent.
func TestStoredTileAnswers(t *testing.T) {
	db := testreg.Open(t, fixture.Set(300))
	s := newFilesServer(t, db, t.TempDir())
	first, body := s.get(http.MethodGet, "tile/entries/000") // made and stored
	if first.StatusCode != 200 || len(body) < 100 {
		t.Fatalf("first: %s, %d bytes", first.Status, len(body))
	}
	want := strconv.Itoa(len(body))
	get, b := s.get(http.MethodGet, "tile/entries/000")
	if get.StatusCode != 200 || !bytes.Equal(b, body) || get.Header.Get("Content-Length") != want || get.Header.Get("Accept-Ranges") != "bytes" {
		t.Errorf("GET from the file: %s, same bytes %v, headers %v", get.Status, bytes.Equal(b, body), get.Header)
	}
	head, hb := s.get(http.MethodHead, "tile/entries/000")
	if head.StatusCode != 200 || len(hb) != 0 || head.Header.Get("Content-Length") != want || head.Header.Get("ETag") != get.Header.Get("ETag") {
		t.Errorf("HEAD: %s, %d bytes, headers %v", head.Status, len(hb), head.Header)
	}
	part, pb := s.get(http.MethodGet, "tile/entries/000", "Range", "bytes=10-49")
	if part.StatusCode != http.StatusPartialContent || !bytes.Equal(pb, body[10:50]) || part.Header.Get("Content-Range") != "bytes 10-49/"+want {
		t.Errorf("Range: %s, %q, Content-Range %q", part.Status, pb, part.Header.Get("Content-Range"))
	}
	if part.Header.Get("ETag") != get.Header.Get("ETag") || !strings.Contains(part.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("Range headers: %v", part.Header)
	}
}

// TestStoredTilesOverTCP: over a real connection, where the body goes to
// sendfile, stored tiles answer their files' bytes one after another on
// one kept-alive connection, HEAD and a Range included, and a 304 for
// the ETag the client holds.
func TestStoredTilesOverTCP(t *testing.T) {
	db := testreg.Open(t, fixture.Set(600))
	dir := t.TempDir()
	s := newFilesServer(t, db, dir)
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(s.s)
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	paths := []string{"tile/0/000", "tile/entries/000", "tile/0/001", "tile/entries/001"}
	for _, p := range paths {
		s.get(http.MethodGet, p) // made and stored
	}
	do := func(method, path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+"/log/"+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return resp, b
	}
	for range 2 {
		for _, p := range paths {
			want, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			r, b := do(http.MethodGet, p)
			if r.StatusCode != 200 || !bytes.Equal(b, want) || r.Header.Get("Content-Length") != strconv.Itoa(len(want)) ||
				r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.Header.Get("Content-Type") != "application/octet-stream" {
				t.Errorf("GET %s: %s, %d bytes of %d, headers %v", p, r.Status, len(b), len(want), r.Header)
			}
			if h, hb := do(http.MethodHead, p); h.StatusCode != 200 || len(hb) != 0 || h.ContentLength != int64(len(want)) {
				t.Errorf("HEAD %s: %s, %d bytes, length %d", p, h.Status, len(hb), h.ContentLength)
			}
			if part, pb := do(http.MethodGet, p, "Range", "bytes=100-"); part.StatusCode != http.StatusPartialContent || !bytes.Equal(pb, want[100:]) {
				t.Errorf("Range %s: %s, %d bytes", p, part.Status, len(pb))
			}
			if nm, nb := do(http.MethodGet, p, "If-None-Match", r.Header.Get("ETag")); nm.StatusCode != http.StatusNotModified || len(nb) != 0 {
				t.Errorf("If-None-Match %s: %s, %d bytes", p, nm.Status, len(nb))
			}
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for one client's requests in turn, want 1 kept alive", n)
	}
}
