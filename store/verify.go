package store

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
	"golang.org/x/sync/errgroup"

	"oversight/ledger"
	"oversight/registry"
)

// A Mismatch is one difference verify found.
type Mismatch struct {
	What   string // log, revisions, checkpoints, checkpoint (one given), tree, schema, database, or a table name
	Detail string
}

func (m Mismatch) String() string { return m.What + ": " + m.Detail }

// Report is what Verify found.
type Report struct {
	Size        int64             // revisions in the log
	Checkpoint  ledger.Checkpoint // the latest, as the API serves it
	Checkpoints int               // stored checkpoints whose signature verified
	// Redactions lists the revisions whose content was removed by a
	// logged redaction, in log order.
	Redactions []registry.Redaction
	Mismatches []Mismatch
	// Tiles is how many stored tiles were compared with the log (see
	// DB.SetTiles).
	Tiles int
	// Notes say what verify could not check on this engine.
	Notes []string
}

// OK reports whether nothing differed.
func (r *Report) OK() bool { return len(r.Mismatches) == 0 }

// most is how many mismatches of one kind are listed before the rest are
// counted.
const most = 20

// findings collects the mismatches of one check.
type findings []Mismatch

// add records a mismatch. Its signature is that of every check's bad.
func (f *findings) add(what, format string, args ...any) {
	*f = append(*f, Mismatch{what, fmt.Sprintf(format, args...)})
}

// badFunc records a mismatch: what differs, and how.
type badFunc func(what, format string, args ...any)

// Verify checks the register against its log, and the log against its
// signed checkpoints:
//
//   - every stored checkpoint: its signature (by the key the DB was opened
//     with), the size its row is stored under, and its root, which must be
//     the root of the tree of the revisions at its size; the latest must
//     cover the whole log;
//   - the revisions, which must be numbered 0..n-1 without gaps, and whose
//     columns (kind, id, op, author, time) must say what their records say;
//   - the content of every format-2 revision (registry.Format2), which
//     must hash with its salt to its leaf's commitment, unless a logged
//     redaction removed it; a redaction must name an earlier revision of
//     its entity, not that entity's state at the time, nor a redaction;
//     the redacted are listed in the report;
//   - the stored tree hashes;
//   - every projection table, which must hold exactly the rows that
//     replaying the log gives (the tombstones of retracted entities
//     included), and the full-text index, which must index exactly its
//     rows' text; deployment_counts must hold the counts of the current
//     states;
//   - the schema, which must be the one the migrations create: no extra
//     trigger, view, index or column, none missing or changed;
//   - on SQLite, the database file itself (PRAGMA integrity_check), and
//     the words deployment_words lists against search_words (wordCheck);
//   - the stored tiles (SetTiles), against the log as verify read it.
//
// Checkpoints published earlier (saved by readers from the API) can be
// given too: the log must still extend each of them, which catches the
// one change the database cannot show, the removal of the newest revisions
// together with their checkpoints.
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

// parallelVerifyFrom is the log size from which verify reads the log, the
// states, the checkpoints, the schema and the tables side by side.
const parallelVerifyFrom = 10_000

// errMoved says the readers of one verify saw different log sizes.
var errMoved = errors.New("verify: the register changed three times while it was read; try again")

func (s *DB) verify(ctx context.Context, earlier []ledger.Checkpoint) (*Report, error) {
	rep := &Report{}
	var (
		lg   logCheck
		ents entityCheck
		cps  checkpointCheck
		db   storeCheck
		cnt  countCheck
		wc   wordCheck
		got  = make([]tableDigest, len(allTables))
	)
	g, gctx := errgroup.WithContext(ctx)
	// Each reader below holds a connection of its own. On a short log they
	// take turns on one: a new PostgreSQL connection costs ~15 ms of the
	// server's time, more than reading a few thousand rows.
	if size, err := s.Size(ctx); err == nil && size < parallelVerifyFrom {
		g.SetLimit(1)
	}
	var tileBad findings
	g.Go(func() error {
		if err := s.readLog(gctx, &lg); err != nil || lg.gap {
			return err
		}
		// Beside the other readers, with the log just read.
		n, err := s.verifyTiles(gctx, &lg, tileBad.add)
		rep.Tiles = n
		return err
	})
	g.Go(func() error { return s.readEntities(gctx, &ents) })
	g.Go(func() error { return s.readCheckpoints(gctx, &cps) })
	g.Go(func() error { return s.checkStore(gctx, &db) })
	g.Go(func() error { return s.readCounts(gctx, &cnt) })
	g.Go(func() error {
		for i, t := range allTables {
			var w *wordCheck
			if t == tDepWords && s.d.words {
				w = &wc
			}
			if t != tEntities {
				if err := s.readTable(gctx, t, &got[i], w); err != nil {
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
	if ents.head != lg.head || cps.head != lg.head || db.head != lg.head || cnt.size != lg.head {
		return nil, errMoved
	}
	rep.Size, rep.Redactions, rep.Mismatches, rep.Notes = lg.tree.Size(), lg.redactions, lg.bad, db.notes
	// With a revision missing, the tree stops at the gap, which is the
	// finding: the roots of every later size would only repeat it.
	if !lg.gap {
		if err := cps.against(&lg.tree, earlier); err != nil {
			return nil, err
		}
		rep.Checkpoint, rep.Checkpoints = cps.latest, cps.good
	}
	rep.Mismatches = append(rep.Mismatches, cps.bad...)
	rep.Mismatches = append(rep.Mismatches, db.bad...)
	if lg.gap {
		return rep, nil
	}
	var differ []*table
	if lg.entities() != ents.digest() {
		differ = append(differ, tEntities)
	}
	ents.want[tRetractions] = lg.retractions() // tombstones come from the log, not from states
	for i, t := range allTables {
		if t != tEntities && got[i].sum() != ents.want[t].sum() {
			differ = append(differ, t)
		}
	}
	f := (*findings)(&rep.Mismatches)
	if len(differ) > 0 {
		if err := s.compareTables(ctx, differ, f.add); err != nil {
			return nil, err
		}
	}
	compareCounts(ents.counts, cnt.rows, f.add)
	wc.report(f.add)
	rep.Mismatches = append(rep.Mismatches, tileBad...)
	return rep, nil
}

func verifyHashes(ctx context.Context, tx querier, tree *ledger.Tree, bad badFunc) error {
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
