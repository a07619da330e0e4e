package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// What a reader of the log from outside needs: its stored hashes, a run of
// its records, proofs between two sizes, and the key that signs it. Tiles
// (package tiles) and the monitor read the log through these.

// PublicKey returns the verifier key of the log's checkpoints, in note's
// text form (the content of log.pub).
func (s *reader) PublicKey() string { return s.key.Public }

// TreeHashes reads stored hashes by their index (tlog.StoredHashIndex),
// in one query.
func (s *reader) TreeHashes(ctx context.Context, idx []int64) ([]tlog.Hash, error) {
	if len(idx) == 0 {
		return nil, nil
	}
	var q strings.Builder
	args := make([]any, len(idx))
	q.WriteString("SELECT idx, hash FROM tree_hashes WHERE idx IN (")
	for i, x := range idx {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("$" + strconv.Itoa(i+1))
		args[i] = x
	}
	q.WriteByte(')')
	rows, err := s.q.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := make(map[int64]tlog.Hash, len(idx))
	for rows.Next() {
		var x int64
		var b []byte
		if err := rows.Scan(&x, &b); err != nil {
			return nil, err
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("tree hash %d: %d bytes", x, len(b))
		}
		found[x] = tlog.Hash(b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		h, ok := found[x]
		if !ok {
			return nil, fmt.Errorf("tree hash %d: not stored", x)
		}
		out[i] = h
	}
	return out, nil
}

// Records returns the canonical records of the revisions from seq from up
// to, not including, to, in order.
func (s *reader) Records(ctx context.Context, from, to int64) ([][]byte, error) {
	rows, err := s.q.QueryContext(ctx, "SELECT seq, record FROM revisions WHERE seq >= $1 AND seq < $2 ORDER BY seq", from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([][]byte, 0, max(0, to-from))
	for rows.Next() {
		var seq int64
		var rec []byte
		if err := rows.Scan(&seq, &rec); err != nil {
			return nil, err
		}
		if seq != from+int64(len(out)) {
			return nil, fmt.Errorf("revision %d is missing from the log", from+int64(len(out)))
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// ConsistencyProof proves that the tree of size n is a prefix of the tree
// of size t (tlog.CheckTree checks it).
func (s *reader) ConsistencyProof(ctx context.Context, n, t int64) (tlog.TreeProof, error) {
	if n < 1 || n > t {
		return nil, fmt.Errorf("no proof from size %d to size %d", n, t)
	}
	return tlog.ProveTree(t, n, hashReader{ctx, s})
}

// hashReader reads stored hashes for tlog, a batch a call.
type hashReader struct {
	ctx context.Context
	r   *reader
}

func (h hashReader) ReadHashes(idx []int64) ([]tlog.Hash, error) { return h.r.TreeHashes(h.ctx, idx) }
