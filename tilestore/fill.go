package tilestore

import (
	"context"
	"fmt"

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
	rd, size, err := openSized(ctx, open)
	if err != nil {
		return 0, err
	}
	closeReader(rd)
	var (
		wrote int
		cur   Reader
		made  int
	)
	defer func() { closeReader(cur) }()
	err = eachFull(size, func(t tlog.Tile) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if file, err := f.Open(t); err == nil {
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
		body, err := Build(ctx, cur, t)
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
	if rd == nil {
		return
	}
	if c, ok := rd.(interface{ Close() error }); ok {
		c.Close()
	}
}
