package tilestore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Verify compares every file stored under the directory with the tile
// the log that open reads gives, and calls bad with what differs, naming
// the file: a tile whose bytes are not the log's, a name that is no full
// tile's, a tile beyond the log. It returns how many tiles it compared.
// Files being written (their names start with ".tmp-") are passed over. A
// tile beyond the first snapshot's log is looked for again in a second,
// taken then: a server may have stored it for the log grown meanwhile.
// An entry bundle whose digest the reader knows (BundleSummer) is compared
// with that digest, without reading its records.
func (f *Files) Verify(ctx context.Context, open func(context.Context) (Reader, error), bad func(string)) (int, error) {
	rd, size, err := openSized(ctx, open)
	if err != nil {
		return 0, err
	}
	defer func() { closeReader(rd) }()
	grown := false
	root := filepath.Join(f.dir, "tile")
	checked := 0
	err = filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
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
		t, ok := Full(filepath.ToSlash(rel))
		switch {
		case !ok || Path(t) != filepath.ToSlash(rel):
			bad(fmt.Sprintf("file %s: not the name of a full tile", name))
			return nil
		case Beyond(t, size) && !grown:
			closeReader(rd)
			if rd, size, err = openSized(ctx, open); err != nil {
				rd = nil
				return err
			}
			grown = true
		}
		if Beyond(t, size) {
			bad(fmt.Sprintf("file %s: a tile beyond the log's %d entries", name, size))
			return nil
		}
		got, err := os.ReadFile(name)
		if err != nil {
			bad(fmt.Sprintf("file %s: %v", name, err))
			return nil
		}
		checked++
		if sum, ok := bundleSum(rd, t); ok {
			if sha256.Sum256(got) != sum {
				bad(fmt.Sprintf("file %s: %d bytes that are not the entry bundle the log gives: changed behind the server's back; rebuild makes it again", name, len(got)))
			}
			return nil
		}
		want, err := Build(ctx, rd, t)
		if err != nil {
			return fmt.Errorf("tile %s: %w", Path(t), err)
		}
		if !bytes.Equal(got, want) {
			bad(fmt.Sprintf("file %s: %d bytes that are not the tile the log gives (%d bytes): changed behind the server's back; rebuild makes it again", name, len(got), len(want)))
		}
		return nil
	})
	return checked, err
}

// A BundleSummer is a Reader that knows the SHA-256 of full entry
// bundles, which it made as it read the log in order: Verify then compares
// a stored bundle with that digest instead of reading its records again.
// BundleSum returns the digest of bundle n, or false when it has none.
type BundleSummer interface {
	BundleSum(n int64) ([sha256.Size]byte, bool)
}

// bundleSum returns the digest rd knows of t, when t is an entry bundle.
func bundleSum(rd Reader, t tlog.Tile) ([sha256.Size]byte, bool) {
	bs, ok := rd.(BundleSummer)
	if !ok || t.L >= 0 {
		return [sha256.Size]byte{}, false
	}
	return bs.BundleSum(t.N)
}

// openSized opens a reader and reads the size of its log.
func openSized(ctx context.Context, open func(context.Context) (Reader, error)) (Reader, int64, error) {
	rd, err := open(ctx)
	if err != nil {
		return nil, 0, err
	}
	_, cp, err := rd.Checkpoint(ctx)
	if err != nil {
		closeReader(rd)
		return nil, 0, err
	}
	return rd, cp.Size, nil
}
