package tilestore

import (
	"context"
	"encoding/binary"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/ledger"
)

// Height is the tile height of tlog-tiles: 2^8 = 256 hashes or entries.
const Height = 8

// MaxEntry is the largest entry a bundle can hold: its length is written
// in two bytes.
const MaxEntry = 1<<16 - 1

// Reader is what tiles are made from: one snapshot of the log.
type Reader interface {
	Checkpoint(ctx context.Context) ([]byte, ledger.Checkpoint, error)
	TreeHashes(ctx context.Context, idx []int64) ([]tlog.Hash, error)
	Records(ctx context.Context, from, to int64) ([][]byte, error)
}

// Beyond reports whether tile t reaches past a log of size entries. It is
// computed at the tile's level, without shifting the tile's end up to
// entries: a level of 8 or more, or an index near 2^63, overflowed into a
// tile that seemed inside the log, whose hashes were then not found (500).
func Beyond(t tlog.Tile, size int64) bool {
	shift := uint(0)
	if t.L > 0 {
		shift = uint(t.L) * Height
	}
	if shift >= 63 {
		return true
	}
	have := size >> shift // the hashes the log has at the tile's level
	return t.N > have/256 || t.N*256+int64(t.W) > have
}

// Build makes tile t from the log: the hashes it holds, or the records.
func Build(ctx context.Context, rd Reader, t tlog.Tile) ([]byte, error) {
	if t.L < 0 {
		return bundle(ctx, rd, t)
	}
	return tlog.ReadTileData(t, hashes{ctx, rd})
}

// bundle is an entry bundle: each entry as a big-endian two-byte length
// and its bytes.
func bundle(ctx context.Context, rd Reader, t tlog.Tile) ([]byte, error) {
	from := t.N << Height
	recs, err := rd.Records(ctx, from, from+int64(t.W))
	if err != nil {
		return nil, err
	}
	if len(recs) != t.W {
		return nil, fmt.Errorf("entry bundle %d: %d of %d records", t.N, len(recs), t.W)
	}
	n := 0
	for _, rec := range recs {
		n += 2 + len(rec)
	}
	out := make([]byte, 0, n)
	for i, rec := range recs {
		if len(rec) > MaxEntry {
			return nil, fmt.Errorf("revision %d is %d bytes, more than an entry bundle holds", from+int64(i), len(rec))
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(rec)))
		out = append(out, rec...)
	}
	return out, nil
}

// hashes adapts a Reader to tlog.HashReader.
type hashes struct {
	ctx context.Context
	rd  Reader
}

func (h hashes) ReadHashes(idx []int64) ([]tlog.Hash, error) { return h.rd.TreeHashes(h.ctx, idx) }
