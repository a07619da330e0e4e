package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"

	"golang.org/x/mod/sumdb/tlog"
	"golang.org/x/sync/errgroup"

	"oversight/ledger"
	"oversight/registry"
)

// A Mismatch is one difference verify found.
type Mismatch struct {
	What   string // log, checkpoint, tree, or a table name
	Detail string
}

func (m Mismatch) String() string { return m.What + ": " + m.Detail }

// Report is what Verify found.
type Report struct {
	Size       int64 // revisions in the log
	Checkpoint ledger.Checkpoint
	Mismatches []Mismatch
}

// OK reports whether nothing differed.
func (r *Report) OK() bool { return len(r.Mismatches) == 0 }

// most is how many mismatches of one table are listed before the rest are
// counted.
const most = 20

// Verify checks the register against its log: the latest checkpoint's
// signature; the revisions, which must be numbered 0..n-1 without gaps and
// hash to the checkpoint's root; the stored tree hashes; and every
// projection table, which must hold exactly the rows that replaying the log
// gives.
//
// Checkpoints published earlier (saved by readers from the API) can be
// given too: the log must still extend each of them, which catches the
// one change the latest checkpoint cannot show, the removal of the newest
// revisions together with their checkpoints.
//
// It streams: the log, the current states and each table are read at once
// on connections of their own, and compared through digests of rows in
// key order, so memory holds one small record per entity rather than the
// register. Only when a table differs is it compared row by row, to name
// the rows. The readers each see a snapshot; when the log grew between
// them, Verify starts again.
func (s *DB) Verify(ctx context.Context, earlier ...ledger.Checkpoint) (*Report, error) {
	for try := 1; ; try++ {
		rep, err := s.verify(ctx, earlier)
		if !errors.Is(err, errMoved) || try == 3 {
			return rep, err
		}
	}
}

// errMoved says the readers of one verify saw different log sizes.
var errMoved = errors.New("verify: the register changed three times while it was read; try again")

func (s *DB) verify(ctx context.Context, earlier []ledger.Checkpoint) (*Report, error) {
	var (
		lg   logCheck
		ents entityCheck
		got  = make([]tableDigest, len(allTables))
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.readLog(gctx, &lg, earlier) })
	g.Go(func() error { return s.readEntities(gctx, &ents) })
	g.Go(func() error {
		for i, t := range allTables {
			if t != tEntities {
				if err := s.readTable(gctx, t, &got[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i := range got {
		if got[i].size != lg.head && allTables[i] != tEntities {
			return nil, errMoved
		}
	}
	if ents.head != lg.head {
		return nil, errMoved
	}
	rep := &Report{Size: lg.tree.Size(), Checkpoint: lg.checkpoint, Mismatches: lg.bad}
	if lg.gap {
		return rep, nil
	}
	var differ []*table
	if lg.entities() != ents.digest() {
		differ = append(differ, tEntities)
	}
	for i, t := range allTables {
		if t != tEntities && got[i].sum() != ents.want[t].sum() {
			differ = append(differ, t)
		}
	}
	if len(differ) > 0 {
		if err := s.compareTables(ctx, differ, func(what, format string, args ...any) {
			rep.Mismatches = append(rep.Mismatches, Mismatch{what, fmt.Sprintf(format, args...)})
		}); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// A logCheck is what reading the log found.
type logCheck struct {
	head       int64 // the log head's size
	checkpoint ledger.Checkpoint
	tree       ledger.Tree
	latest     map[string]stateRef // by entityKey, for entities not retracted
	bad        []Mismatch
	gap        bool // a revision is missing: the tables were not compared
}

// A stateRef is an entity's latest revision: its number and a digest of
// the state it recorded.
type stateRef struct {
	seq int64
	sum [16]byte
}

// entityKey orders like (kind, id) in SQL: kinds hold no NUL byte.
func entityKey(kind, id string) string { return kind + "\x00" + id }

func stateSum(state []byte) [16]byte {
	h := sha256.Sum256(state)
	return [16]byte(h[:16])
}

func (s *DB) readLog(ctx context.Context, lg *logCheck, earlier []ledger.Checkpoint) error {
	bad := func(what, format string, args ...any) {
		lg.bad = append(lg.bad, Mismatch{what, fmt.Sprintf(format, args...)})
	}
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	tx, head := sn.q, sn.size
	lg.head = head
	var signed []byte
	err = tx.QueryRowContext(ctx, "SELECT signed FROM checkpoints ORDER BY size DESC LIMIT 1").Scan(&signed)
	switch {
	case errors.Is(err, sql.ErrNoRows) && head == 0:
	case errors.Is(err, sql.ErrNoRows):
		bad("checkpoint", "the log holds %d revisions but there is no checkpoint", head)
	case err != nil:
		return err
	default:
		if lg.checkpoint, err = ledger.Open(signed, s.key.Verifier); err != nil {
			bad("checkpoint", "%v", err)
		}
	}

	lg.latest = make(map[string]stateRef, head)
	lg.tree.Reserve(head)
	rows, err := tx.QueryContext(ctx, "SELECT seq, kind, entity_id, op, record FROM revisions ORDER BY seq")
	if err != nil {
		return err
	}
	defer rows.Close()
	var seq int64
	var kind, id, op string
	var rec []byte
	for rows.Next() {
		if err := rows.Scan(&seq, &kind, &id, &op, &rec); err != nil {
			return err
		}
		if seq != lg.tree.Size() {
			bad("log", "revision %d is missing (next stored revision is %d)", lg.tree.Size(), seq)
			lg.gap = true
			return nil
		}
		if err := lg.tree.Add(rec); err != nil {
			return err
		}
		r, err := registry.ParseRecord(rec)
		if err != nil {
			bad("log", "revision %d is not valid JSON: %v", seq, err)
			continue
		}
		if r.Seq != seq || r.Kind != kind || r.ID != id || r.Op != op {
			bad("log", "revision %d: its columns (seq %d, %s %s, %s) differ from its record (seq %d, %s %s, %s)", seq, seq, kind, id, op, r.Seq, r.Kind, r.ID, r.Op)
		}
		if r.Op == "retract" {
			delete(lg.latest, entityKey(r.Kind, r.ID))
		} else {
			lg.latest[entityKey(r.Kind, r.ID)] = stateRef{r.Seq, stateSum(r.State)}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	size := lg.tree.Size()
	if head != size {
		bad("log", "the log head says %d revisions, the table holds %d", head, size)
	}
	if cp := lg.checkpoint; cp.Size != 0 || head != 0 {
		if cp.Size != size {
			bad("checkpoint", "signed for %d revisions, the log holds %d", cp.Size, size)
		} else if root, err := lg.tree.Root(size); err != nil {
			return err
		} else if root != cp.Hash {
			bad("checkpoint", "signed root %s differs from the root of the stored revisions %s", cp.Hash, root)
		}
	}
	for _, old := range earlier {
		if old.Size > size {
			bad("checkpoint", "an earlier checkpoint was signed for %d revisions; the log now holds %d", old.Size, size)
			continue
		}
		if root, err := lg.tree.Root(old.Size); err != nil {
			return err
		} else if root != old.Hash {
			bad("checkpoint", "the first %d revisions no longer hash to the root of the earlier checkpoint of that size", old.Size)
		}
	}
	return verifyHashes(ctx, tx, &lg.tree, bad)
}

// entities returns the digest of the entities table the log implies: one
// line per current entity, in key order.
func (lg *logCheck) entities() [32]byte {
	keys := make([]string, 0, len(lg.latest))
	for k := range lg.latest {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		ref := lg.latest[k]
		writeEntityLine(h, k, ref)
	}
	return [32]byte(h.Sum(nil))
}

func writeEntityLine(h hash.Hash, key string, ref stateRef) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(len(key)))
	h.Write(b[:])
	io.WriteString(h, key)
	binary.BigEndian.PutUint64(b[:], uint64(ref.seq))
	h.Write(b[:])
	h.Write(ref.sum[:])
}

func verifyHashes(ctx context.Context, tx querier, tree *ledger.Tree, bad func(string, string, ...any)) error {
	rows, err := tx.QueryContext(ctx, "SELECT idx, hash FROM tree_hashes ORDER BY idx")
	if err != nil {
		return err
	}
	defer rows.Close()
	var n int64
	shown := 0
	for rows.Next() {
		var idx int64
		var b []byte
		if err := rows.Scan(&idx, &b); err != nil {
			return err
		}
		var h tlog.Hash
		copy(h[:], b)
		if idx != n || idx >= tree.Len() || h != tree.Stored(idx) || len(b) != tlog.HashSize {
			if shown < most {
				bad("tree", "stored hash %d differs from the hash recomputed from the revisions", idx)
			}
			shown++
		}
		n = idx + 1
	}
	if n != tree.Len() {
		bad("tree", "%d stored hashes, the revisions give %d", n, tree.Len())
	}
	return rows.Err()
}
