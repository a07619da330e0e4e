package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"hash"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/ledger"
	"oversight/tilestore"
)

// Verify compares the stored tiles (tilestore.Files.Verify) with what it has
// already read of the log, rather than reading the log's records and
// hashes from the database a second time: at 1M revisions that second
// read was a gigabyte of records on one core after every other check.
// The hash tiles come from the tree verify rebuilt from the records, and
// each full entry bundle is compared with the SHA-256 of its bytes, taken
// as the records went by in order (bundleSums).

// bundleSums makes the digest of each full entry bundle of the log (each
// record as a big-endian two-byte length and its bytes, 1<<tilestore.Height
// records a bundle), fed the records in order.
type bundleSums struct {
	h    hash.Hash
	n    int  // records in the bundle being hashed
	long bool // a record of that bundle is too long for one: it has no digest
	sums [][sha256.Size]byte
	ok   []bool
}

func (b *bundleSums) add(rec []byte) {
	if b.h == nil {
		b.h = sha256.New()
	}
	var n [2]byte
	binary.BigEndian.PutUint16(n[:], uint16(len(rec)))
	b.h.Write(n[:])
	b.h.Write(rec)
	b.long = b.long || len(rec) > tilestore.MaxEntry
	if b.n++; b.n == 1<<tilestore.Height {
		b.sums = append(b.sums, [sha256.Size]byte(b.h.Sum(nil)))
		b.ok = append(b.ok, !b.long)
		b.h.Reset()
		b.n, b.long = 0, false
	}
}

// logTiles is a snapshot as tiles read it, but with the log verify read:
// stored hashes from its rebuilt tree, and the digests of its full entry
// bundles. What lies beyond that log (it grew meanwhile) is read from the
// snapshot.
type logTiles struct {
	*Snapshot
	tree    *ledger.Tree
	bundles *bundleSums
}

// TreeHashes returns the hashes from the rebuilt tree when it holds them
// all.
func (l *logTiles) TreeHashes(ctx context.Context, idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x < 0 || x >= l.tree.Len() {
			return l.Snapshot.TreeHashes(ctx, idx)
		}
		out[i] = l.tree.Stored(x)
	}
	return out, nil
}

// BundleSum implements tilestore.BundleSummer.
func (l *logTiles) BundleSum(n int64) ([sha256.Size]byte, bool) {
	if n < 0 || n >= int64(len(l.bundles.sums)) || !l.bundles.ok[n] {
		return [sha256.Size]byte{}, false
	}
	return l.bundles.sums[n], true
}
