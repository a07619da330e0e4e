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
	// Notes say what verify could not check on this engine, or did not
	// check unless asked (VerifyOptions).
	Notes []string
	// Storage says SQLite's check of the whole file ran (VerifyOptions).
	Storage bool
	// LogOnly says only the log was checked (VerifyOptions).
	LogOnly bool
	// Stages are verify's checks as they ran, in the order they started:
	// each one's wall time and the rows it read.
	Stages []Stage
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
//   - on SQLite, the search indexes (each FTS5 index against its
//     content: PRAGMA integrity_check of deployments_fts and
//     search_words_fts), and the words deployment_words lists against
//     search_words (wordCheck);
//   - on SQLite with VerifyOptions.Storage, the database file itself:
//     PRAGMA integrity_check of the whole file, every page in one b-tree
//     or the freelist and every index against its table. Without it an
//     index edited out of step with its table, or a damaged page, is not
//     looked for; the report's notes say so;
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
// them, Verify starts again. The report times each check (Report.Stages).
func (s *DB) Verify(ctx context.Context, earlier ...ledger.Checkpoint) (*Report, error) {
	return s.VerifyWith(ctx, VerifyOptions{}, earlier...)
}

// VerifyOptions say what Verify checks beyond its default.
type VerifyOptions struct {
	// Storage runs SQLite's own check of the whole file (PRAGMA
	// integrity_check): the pages and every index against its table. It
	// looks for damage to the file's structure, by a fault of the storage
	// or an edit of its bytes, rather than for a register that differs
	// from its log, and at 1M revisions it costs more than every other
	// check together (docs/performance.md, "Verify at 1M, 6 Dec (last)").
	Storage bool
	// LogOnly checks the log alone: the revisions, their contents against
	// their leaves' commitments, the tree and its stored hashes, every
	// checkpoint, and the stored tiles; not the tables, the search indexes,
	// the counts or the schema against it. It answers "is the log intact"
	// without the reading of the whole register that "does the database say
	// what the log says" takes (at 1M revisions, most of verify's time:
	// docs/performance.md, "The floors").
	LogOnly bool
}

// VerifyWith is Verify with options.
func (s *DB) VerifyWith(ctx context.Context, opt VerifyOptions, earlier ...ledger.Checkpoint) (*Report, error) {
	for try := 1; ; try++ {
		rep, err := s.verify(ctx, opt, earlier)
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

func (s *DB) verify(ctx context.Context, opt VerifyOptions, earlier []ledger.Checkpoint) (*Report, error) {
	rep := &Report{}
	st := newStageLog()
	var (
		lg   logCheck
		ents entityCheck
		cps  checkpointCheck
		db   = storeCheck{whole: opt.Storage, stages: st}
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
	lg.sums = !opt.LogOnly
	g.Go(func() error {
		err := st.time("log: revisions read, hashed and replayed", func() (int64, error) {
			err := s.readLog(gctx, &lg)
			return lg.tree.Size(), err
		})
		if err != nil || lg.gap {
			return err
		}
		// Beside the other readers and each other, with the log just read.
		var after errgroup.Group
		if lg.head < parallelVerifyFrom {
			after.SetLimit(1)
		}
		after.Go(func() error {
			return st.time("tree hashes: compared with the log just read", func() (int64, error) {
				return lg.tree.Len(), s.readTreeHashes(gctx, &lg)
			})
		})
		after.Go(func() error {
			return st.time("tiles: compared with the log just read", func() (int64, error) {
				n, err := s.verifyTiles(gctx, &lg, tileBad.add)
				rep.Tiles = n
				return -1, err
			})
		})
		return after.Wait()
	})
	g.Go(func() error {
		return st.time("checkpoints: signatures", func() (int64, error) {
			err := s.readCheckpoints(gctx, &cps)
			return cps.rows, err
		})
	})
	if !opt.LogOnly {
		g.Go(func() error {
			return st.time("entities: states read, decoded and projected", func() (int64, error) {
				err := s.readEntities(gctx, &ents)
				return ents.rows, err
			})
		})
		g.Go(func() error { return s.checkStore(gctx, &db) })
		g.Go(func() error {
			return st.time("deployment_counts", func() (int64, error) {
				err := s.readCounts(gctx, &cnt)
				return int64(len(cnt.rows)), err
			})
		})
		g.Go(func() error {
			for i, t := range allTables {
				var w *wordCheck
				name := t.name
				if t == tDepWords && s.d.words {
					w = &wc
					name += " (and its words in search_words)"
				}
				if t == tEntities {
					continue
				}
				err := st.time(name, func() (int64, error) {
					err := s.readTable(gctx, t, &got[i], w)
					return got[i].n, err
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if cps.head != lg.head {
		return nil, errMoved
	}
	if !opt.LogOnly {
		for i := range got {
			if got[i].size != lg.head && allTables[i] != tEntities {
				return nil, errMoved
			}
		}
		if ents.head != lg.head || db.head != lg.head || cnt.size != lg.head {
			return nil, errMoved
		}
	}
	rep.Size, rep.Redactions, rep.Mismatches, rep.Notes = lg.tree.Size(), lg.redactions, lg.bad, db.notes
	rep.Storage = db.whole && s.d.name == sqlite.name
	if rep.LogOnly = opt.LogOnly; rep.LogOnly {
		rep.Storage = false
		rep.Notes = append(rep.Notes, "only the log was checked (verify --log): the tables, the search indexes, the counts and the schema were not compared with it")
	}
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
	if !lg.gap && !opt.LogOnly {
		err := st.time("compare: the digests, counts and words read", func() (int64, error) {
			return -1, s.compare(ctx, rep, &lg, &ents, got, &cnt, &wc)
		})
		if err != nil {
			return nil, err
		}
	}
	if !lg.gap {
		rep.Mismatches = append(rep.Mismatches, tileBad...)
	}
	rep.Stages = st.stages()
	return rep, nil
}

// compare checks what verify's readers found against each other, once
// all have read: the tables' digests against the log's and the states',
// naming the rows of a table that differs, then the counts and the words.
func (s *DB) compare(ctx context.Context, rep *Report, lg *logCheck, ents *entityCheck, got []tableDigest, cnt *countCheck, wc *wordCheck) error {
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
			return err
		}
	}
	compareCounts(ents.counts, cnt.rows, f.add)
	wc.report(f.add)
	return nil
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
