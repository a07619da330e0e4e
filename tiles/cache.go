package tiles

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
)

// cacheMaxBytes bounds the bodies a Server keeps of its full tiles: all
// the tiles of a log of a million revisions take about 250 MB, of which
// readers mostly ask for the newest.
const cacheMaxBytes = 64 << 20

// A full tile never changes: the log only grows, and a tile of 256 is
// the same bytes at every size that covers it (tlog-tiles). So its answer
// is made once, headers and ETag included, and served again without a
// read of the register or an allocation beyond what net/http does.
type fullTile struct {
	header http.Header // shared by every answer: never written to
	etag   string
	body   []byte
}

// immutableHeader is the Cache-Control of a full tile.
var immutableHeader = []string{"public, max-age=31536000, immutable"}

var octetStream = []string{"application/octet-stream"}

func newFullTile(body []byte) *fullTile {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	return &fullTile{
		header: http.Header{
			"Content-Type":   octetStream,
			"Cache-Control":  immutableHeader,
			"Content-Length": {strconv.Itoa(len(body))},
			"Etag":           {etag},
		},
		etag: etag,
		body: body,
	}
}

// write answers r with the tile: 304 when the client holds it already.
func (t *fullTile) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range t.header {
		h[k] = v
	}
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && etagIn(inm, t.etag) {
		delete(h, "Content-Length")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(t.body)
}

// etagIn reports whether an If-None-Match header names etag: a list of
// quoted tags, weak ones (W/) included, or "*".
func etagIn(values []string, etag string) bool {
	for _, v := range values {
		for len(v) > 0 {
			for len(v) > 0 && (v[0] == ' ' || v[0] == '\t' || v[0] == ',') {
				v = v[1:]
			}
			if len(v) > 0 && v[0] == '*' {
				return true
			}
			if len(v) > 2 && v[:2] == "W/" {
				v = v[2:]
			}
			if len(v) < 2 || v[0] != '"' {
				break
			}
			end := 1
			for end < len(v) && v[end] != '"' {
				end++
			}
			if end == len(v) {
				break
			}
			if v[:end+1] == etag {
				return true
			}
			v = v[end+1:]
		}
	}
	return false
}

// tileCache holds full tiles' answers by path, up to maxBytes of bodies.
// When full it forgets arbitrary tiles until a tenth of its room is free:
// a reader that walks the log reads each tile once, so no order of
// eviction would serve it better.
type tileCache struct {
	mu       sync.RWMutex
	m        map[string]*fullTile
	bytes    int
	maxBytes int
}

func (c *tileCache) get(path string) *fullTile {
	c.mu.RLock()
	t := c.m[path]
	c.mu.RUnlock()
	return t
}

func (c *tileCache) add(path string, t *fullTile) {
	if len(t.body) > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*fullTile{}
	}
	if old := c.m[path]; old != nil {
		c.bytes -= len(old.body)
	}
	if c.bytes+len(t.body) > c.maxBytes {
		for k, v := range c.m {
			if c.bytes+len(t.body) <= c.maxBytes*9/10 {
				break
			}
			delete(c.m, k)
			c.bytes -= len(v.body)
		}
	}
	c.m[path] = t
	c.bytes += len(t.body)
}
