// Package tiles serves the register's log in the C2SP tlog-tiles layout
// (https://c2sp.org/tlog-tiles), so that anyone can check it from outside
// with tools written by others: the signed checkpoint, the Merkle tree's
// hashes in tiles of 256, and the log's entries in bundles of 256, under
// one prefix. Full tiles never change and are served as immutable.
//
// The entries are the canonical records that the leaves hash (RFC 6962
// record hashes, as golang.org/x/mod/sumdb/tlog computes them), so a
// client checks an entry bundle against the hash tile of level 0. A
// format-2 entry (registry.Format2) commits to its revision's content,
// which is served beside the tiles, at prefix+"/content/<N>", until it is
// redacted.
package tiles

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"oversight/internal/httperror"
	"oversight/registry"
	"oversight/tilestore"
)

// Reader is what the tiles are served from: one snapshot of the log.
type Reader interface {
	tilestore.Reader
	PublicKey() string
	// Cosignatures are the witnesses' signature lines of the checkpoint
	// of a size (C2SP tlog-cosignature), served after its own.
	Cosignatures(ctx context.Context, size int64) ([]string, error)
}

// Handler serves, under prefix (such as "/log"): prefix+"/checkpoint",
// prefix+"/tile/<L>/<N>[.p/<W>]", prefix+"/tile/entries/<N>[.p/<W>]" and
// the checkpoints' verifier key at prefix+"/key". open opens a snapshot for
// one request; it is closed with the answer when it has a Close method.
// Full tiles are kept in memory once made (see Server.ServeCached).
func Handler(prefix string, open func(context.Context) (Reader, error)) *Server {
	return HandlerWithFiles(prefix, open, nil, 0)
}

// HandlerWithFiles is Handler keeping full tiles in files instead of in
// memory (see Files); where a file cannot be written, or files is nil,
// the tile is kept in memory, at most cacheBytes of full tiles' bodies
// (cacheMaxBytes when 0).
func HandlerWithFiles(prefix string, open func(context.Context) (Reader, error), files *tilestore.Files, cacheBytes int) *Server {
	return &Server{prefix: prefix, dir: prefix + "/", open: open, files: files, cache: tileCache{maxBytes: cmp.Or(cacheBytes, cacheMaxBytes)}}
}

// A Server serves a log's tiles.
type Server struct {
	prefix string
	dir    string // prefix + "/"
	open   func(context.Context) (Reader, error)
	files  *tilestore.Files // nil: full tiles are kept in cache only
	cache  tileCache
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.Path, s.dir)
	if !ok || r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.NotFound(w, r)
		return
	}
	if s.serveFull(w, r, path) {
		return
	}
	rd, err := s.open(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	if c, ok := rd.(interface{ Close() error }); ok {
		defer c.Close()
	}
	if err := s.serve(w, r, rd, path); err != nil {
		fail(w, r, err)
	}
}

// ServeCached answers r if it asks for a full tile this server has made
// before, and reports whether it did. A caller may try it ahead of the
// work a request needs when it reads the register (admission, a
// snapshot): a full tile needs none of it.
func (s *Server) ServeCached(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	path, ok := strings.CutPrefix(r.URL.Path, s.dir)
	if !ok {
		return false
	}
	return s.serveFull(w, r, path)
}

// serveFull answers r with full tile path if it was made before: kept in
// memory, or stored in a file.
func (s *Server) serveFull(w http.ResponseWriter, r *http.Request, path string) bool {
	if ft := s.cache.get(path); ft != nil {
		ft.write(w, r)
		return true
	}
	if s.files == nil {
		return false
	}
	t, ok := tilestore.Full(path)
	return ok && serveFile(w, r, s.files, t)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, rd Reader, path string) error {
	ctx := r.Context()
	switch path {
	case "checkpoint":
		signed, cp, err := rd.Checkpoint(ctx)
		if err != nil {
			return err
		}
		cosigs, err := rd.Cosignatures(ctx, cp.Size)
		if err != nil {
			return err
		}
		for _, l := range cosigs {
			signed = append(signed[:len(signed):len(signed)], l...)
		}
		send(w, r, signed, textPlain, "no-cache")
		return nil
	case "key":
		send(w, r, []byte(rd.PublicKey()+"\n"), textPlain, "no-cache")
		return nil
	}
	if num, ok := strings.CutPrefix(path, "content/"); ok {
		return serveContent(w, r, rd, num)
	}
	t, err := tilestore.ParsePath(path)
	if err != nil {
		return registry.NotFound("tile " + registry.Clip(path))
	}
	_, cp, err := rd.Checkpoint(ctx)
	if err != nil {
		return err
	}
	// A tile is served as far as the latest checkpoint covers it: a
	// client that trusts an older checkpoint asks for the partial tile of
	// its size, which stays available as the log grows.
	if tilestore.Beyond(t, cp.Size) {
		return registry.NotFound(fmt.Sprintf("tile %s: beyond the log's %d entries", path, cp.Size))
	}
	body, err := tilestore.Build(ctx, rd, t)
	if err != nil {
		return err
	}
	if t.W == 1<<tilestore.Height {
		// Served from its file once stored, so that every answer for
		// the tile carries the same ETag.
		if s.files != nil && s.files.Write(t, body) == nil && serveFile(w, r, s.files, t) {
			return nil
		}
		ft := newFullTile(body)
		s.cache.add(path, ft)
		ft.write(w, r)
		return nil
	}
	send(w, r, body, "application/octet-stream", "no-cache")
	return nil
}

const textPlain = "text/plain; charset=utf-8"

func send(w http.ResponseWriter, r *http.Request, body []byte, ctype, cache string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// fail answers an error in plain text, for the tools that read tiles, with
// the status the rest of the server gives it (httperror.Status): a 503
// tells the client when to try again, as the API's and the pages' do. An
// error of the server's own is logged and not shown; a client that went
// away is neither answered nor logged.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	if httperror.Gone(r, err) {
		return
	}
	status := httperror.Status(err)
	msg := err.Error()
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", httperror.RetryAfter)
	}
	if status >= 500 {
		slog.Error("tiles", "path", r.URL.Path, "err", err)
		msg = http.StatusText(status)
	}
	http.Error(w, msg, status)
}
