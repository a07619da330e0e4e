package tilestore

import (
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
