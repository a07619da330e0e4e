package tiles

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// eachFull calls fn for every full tile of a log of size entries: the
// entry bundles, then the hash tiles level by level.
func eachFull(size int64, fn func(tlog.Tile) error) error {
	for n := range size >> Height {
		if err := fn(tlog.Tile{H: Height, L: -1, N: n, W: 1 << Height}); err != nil {
			return err
		}
	}
	for l := 0; ; l++ {
		have := size >> (uint(l) * Height) // the hashes at the tile's level
		if have < 1<<Height {
			return nil
		}
		for n := range have >> Height {
			if err := fn(tlog.Tile{H: Height, L: l, N: n, W: 1 << Height}); err != nil {
				return err
			}
		}
	}
}

// fillBatch is how many tiles Fill makes from one snapshot: a snapshot is
// a read transaction, which on SQLite holds back the checkpointing of its
// write-ahead log for as long as it is open.
const fillBatch = 64

// Fill stores every full tile of the log that open reads which has no
// file yet, made from the log, and returns how many it wrote. A register
// made before its tiles were stored gets them so, in the background of a
// server or by rebuild.
func (f *Files) Fill(ctx context.Context, open func(context.Context) (Reader, error)) (int, error) {
	rd, err := open(ctx)
	if err != nil {
		return 0, err
	}
	_, cp, err := rd.Checkpoint(ctx)
	closeReader(rd)
	if err != nil {
		return 0, err
	}
	var (
		wrote int
		cur   Reader
		made  int
	)
	defer func() { closeReader(cur) }()
	err = eachFull(cp.Size, func(t tlog.Tile) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if file, _, err := f.open(t); err == nil {
			file.Close()
			return nil
		}
		if cur == nil || made == fillBatch {
			closeReader(cur)
			cur, made = nil, 0
			if cur, err = open(ctx); err != nil {
				return err
			}
		}
		made++
		body, err := build(ctx, cur, t)
		if err != nil {
			return fmt.Errorf("tile %s: %w", Path(t), err)
		}
		if err := writeFile(f.name(t), body); err != nil {
			return err
		}
		wrote++
		return nil
	})
	return wrote, err
}

func closeReader(rd Reader) {
	if c, ok := rd.(interface{ Close() error }); ok {
		c.Close()
	}
}

// Verify compares every file stored under the directory with the tile
// the log that rd reads gives, the log being of size entries, and calls
// bad with what differs, naming the file: a tile whose bytes are not the
// log's, a name that is no full tile's, a tile beyond the log. It returns
// how many tiles it compared. Files being written (their names start
// with ".tmp-") are passed over.
func (f *Files) Verify(ctx context.Context, rd Reader, size int64, bad func(string)) (int, error) {
	root := filepath.Join(f.dir, "tile")
	checked := 0
	err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && name == root {
				return nil // none stored
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), tmpPrefix) {
			return nil
		}
		rel, err := filepath.Rel(f.dir, name)
		if err != nil {
			return err
		}
		t, ok := full(filepath.ToSlash(rel))
		switch {
		case !ok || Path(t) != filepath.ToSlash(rel):
			bad(fmt.Sprintf("file %s: not the name of a full tile", name))
			return nil
		case beyond(t, size):
			bad(fmt.Sprintf("file %s: a tile beyond the log's %d entries", name, size))
			return nil
		}
		got, err := os.ReadFile(name)
		if err != nil {
			bad(fmt.Sprintf("file %s: %v", name, err))
			return nil
		}
		want, err := build(ctx, rd, t)
		if err != nil {
			return fmt.Errorf("tile %s: %w", Path(t), err)
		}
		checked++
		if !bytes.Equal(got, want) {
			bad(fmt.Sprintf("file %s: %d bytes that are not the tile the log gives (%d bytes): changed behind the server's back; rebuild makes it again", name, len(got), len(want)))
		}
		return nil
	})
	return checked, err
}

// treeFile names the file in the directory that records the tree the
// stored tiles were made from: its size and root hash.
const treeFile = "tree"

// Bind makes the stored tiles those of the log rd reads: when they were
// made from a tree that the log does not extend (the database was
// replaced, say, and the directory kept), they are removed, to be made
// again, so that a server never serves another log's tile. It then
// records the log's tree, for the next Bind.
func (f *Files) Bind(ctx context.Context, rd Reader) error {
	_, cp, err := rd.Checkpoint(ctx)
	if err != nil {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(f.dir, treeFile)); err == nil {
		if !f.extends(ctx, rd, cp.Size, b) {
			if err := f.Clear(); err != nil {
				return err
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return writeFile(filepath.Join(f.dir, treeFile), []byte(fmt.Sprintf("%d\n%s\n", cp.Size, cp.Hash)))
}

// extends reports whether the log of size entries that rd reads extends
// the tree recorded in b.
func (f *Files) extends(ctx context.Context, rd Reader, size int64, b []byte) bool {
	was, hash, ok := parseTree(b)
	if !ok || was > size {
		return false
	}
	if was == 0 {
		return true
	}
	got, err := tlog.TreeHash(was, hashes{ctx, rd})
	return err == nil && got == hash
}

// parseTree reads the tree file: a size in decimal and a root hash in
// base64, a line each.
func parseTree(b []byte) (int64, tlog.Hash, bool) {
	if len(b) > 100 {
		return 0, tlog.Hash{}, false
	}
	n, h, ok := strings.Cut(strings.TrimSuffix(string(b), "\n"), "\n")
	size, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || size < 0 || strconv.FormatInt(size, 10) != n {
		return 0, tlog.Hash{}, false
	}
	hash, err := base64.StdEncoding.Strict().DecodeString(h)
	if err != nil || len(hash) != tlog.HashSize || strings.ContainsAny(h, "\r\n") {
		return 0, tlog.Hash{}, false
	}
	return size, tlog.Hash(hash), true
}
