package tilestore

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"golang.org/x/mod/sumdb/tlog"
)

// Files keeps a log's full tiles as files under a directory, each at its
// own path (DIR/tile/0/x001/234, DIR/tile/entries/x001/234), as a log
// server does: a full tile never changes, so once written its file is the
// answer for good, served by the kernel from its page cache (sendfile)
// without a read of the database and without the server holding the
// tiles in memory, whatever the log's size.
//
// A file is written only from the hashes or records the log holds, whole:
// to a temporary file, synced, then renamed into place, so that a reader
// never sees half a tile. Partial tiles and the checkpoint are never
// stored. A file that is missing or cannot be read is made again from the
// log; Verify compares every stored file with the log.
type Files struct {
	dir    string
	root   string      // dir cleaned, with a separator after it
	failed atomic.Bool // a write failed: logged once
}

// NewFiles keeps tiles under dir, which is created when the first tile is
// written.
func NewFiles(dir string) *Files {
	return &Files{dir: dir, root: filepath.Clean(dir) + string(filepath.Separator)}
}

// Dir is the directory the tiles are kept under.
func (f *Files) Dir() string { return f.dir }

// tmpPrefix starts the name of a tile being written, which is never served
// and which Verify passes over.
const tmpPrefix = ".tmp-"

// name is the file of tile t. t comes from ParsePath or is made by this
// package, so its path holds only "tile", "entries", digits, "x", "." and
// "/", and never climbs out of dir.
func (f *Files) name(t tlog.Tile) string {
	if !valid(t) || filepath.Separator != '/' {
		return filepath.Join(f.dir, filepath.FromSlash(Path(t)))
	}
	// Made in one buffer: a name a request, without fmt.
	var buf [256]byte
	return string(appendPath(append(buf[:0], f.root...), t))
}

// Full reports whether path names a full tile, the only kind stored, and
// returns it.
func Full(path string) (tlog.Tile, bool) {
	if !strings.HasPrefix(path, "tile/") || strings.Contains(path, ".p/") {
		return tlog.Tile{}, false
	}
	t, ok := parsePath(path)
	return t, ok && t.W == 1<<Height
}

// hashTileSize is the size of every full hash tile.
const hashTileSize = (1 << Height) * tlog.HashSize

// Open opens the stored file of full tile t. A hash tile whose file is
// not exactly 256 hashes long is not served: it was cut short.
//
// The file is opened with open(2) and one fstat, and is not made an
// os.File (see File): serving a tile is then the request's read, open,
// fstat, the header's write, sendfile and close.
func (f *Files) Open(t tlog.Tile) (*File, error) {
	file, err := openFile(f.name(t))
	if err != nil {
		return nil, err
	}
	if file.size == 0 || t.L >= 0 && file.size != hashTileSize {
		file.Close()
		return nil, fmt.Errorf("tile file %s: %d bytes, not a full tile", f.name(t), file.size)
	}
	return file, nil
}

// Write stores body as the file of full tile t, atomically: a reader sees
// the whole tile or none. A failure is logged once, not each time: a
// server whose directory cannot be written goes on making tiles from the
// log.
func (f *Files) Write(t tlog.Tile, body []byte) error {
	err := writeFile(f.name(t), body)
	if err != nil && !f.failed.Swap(true) {
		slog.Error("tiles: cannot store a full tile; tiles are made from the log instead", "err", err)
	}
	return err
}

func writeFile(name string, body []byte) (err error) {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(body); err != nil {
		return err
	}
	// Synced before the rename: after a crash the name holds the whole
	// tile or nothing, never an empty or short file.
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// Clear removes every stored tile; they are made again from the log.
func (f *Files) Clear() error {
	err := os.RemoveAll(filepath.Join(f.dir, "tile"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
