package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"slices"
	"time"

	"golang.org/x/mod/sumdb/tlog"
	"golang.org/x/sync/errgroup"

	"oversight/internal/ordered"
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

// A logCheck is what reading the log found.
type logCheck struct {
	head   int64 // the log head's size
	tree   ledger.Tree
	latest map[string]stateRef // by entityKey, for entities not retracted
	tombs  map[string]row      // by entityKey, the tombstones of those retracted
	bad    findings
	gap    bool // a revision is missing: the tables were not compared

	bundles bundleSums // of the full entry bundles, when tiles are stored

	withheld   map[int64]string // format-2 revisions without content, until a redaction names them: their entityKey
	redacted   map[int64]bool   // revisions a redaction names
	redactors  map[int64]bool   // the redactions' own revisions
	redactions []registry.Redaction
	contents   int64 // content rows read
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

// createdAt is how the revisions table stores a revision's time.
func createdAt(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// A logRow is one row of the log as readLog reads it, and what a worker
// made of it: its leaf hash, its record opened against its content, and
// the digest of its state.
type logRow struct {
	seq                      int64
	kind, id, op, author, at string
	rec, salt, content       []byte
	leaf                     tlog.Hash
	r                        *registry.Revision
	cerr                     *registry.CommitmentError
	err                      error
	sum                      [16]byte
}

// open does the work of a row that needs no other row: hashing its leaf
// and its content, and parsing its record. Workers run it on every core.
func (lr *logRow) open() {
	lr.leaf = tlog.RecordHash(lr.rec)
	r, err := registry.OpenRecord(lr.rec, lr.salt, lr.content)
	if errors.As(err, &lr.cerr) {
		// The leaf is still read, to replay the log past it.
		r, err = registry.OpenRecord(lr.rec, nil, nil)
	}
	lr.r, lr.err = r, err
	if err == nil && r.Op != "redact" && r.Op != "retract" {
		lr.sum = stateSum(r.State)
	}
	lr.salt, lr.content = nil, nil
}

// errGap stops the log's reading at a missing revision.
var errGap = errors.New("a revision is missing")

// readLog reads the log in one ordered pass: this goroutine reads the
// rows, workers hash and parse them (logRow.open), and fold takes them in
// order into the tree and the replay.
func (s *DB) readLog(ctx context.Context, lg *logCheck) error {
	bad := lg.bad.add
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	tx, head := sn.q, sn.size
	lg.head = head
	lg.latest = make(map[string]stateRef, head)
	lg.tombs = map[string]row{}
	lg.tree.Reserve(head)
	// The leaf hash covers the record only. The other columns are there
	// to be searched (History selects by kind and id) and read by SQL
	// users, so each must say what the record says.
	rows, err := tx.QueryContext(ctx, "SELECT r.seq, r.kind, r.entity_id, r.op, r.author, r.created_at, "+recordCols+" FROM "+withContent+" ORDER BY r.seq")
	if err != nil {
		return err
	}
	defer rows.Close()
	lg.withheld, lg.redacted, lg.redactors = map[int64]string{}, map[int64]bool{}, map[int64]bool{}
	read := func(ctx context.Context, emit func(*logRow) error) error {
		for rows.Next() {
			lr := &logRow{}
			if err := rows.Scan(&lr.seq, &lr.kind, &lr.id, &lr.op, &lr.author, &lr.at, &lr.rec, &lr.salt, &lr.content); err != nil {
				return err
			}
			if lr.content != nil {
				lg.contents++
			}
			if err := emit(lr); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	work := func(lr *logRow) (struct{}, error) {
		lr.open()
		return struct{}{}, nil
	}
	shown := 0
	fold := func(lr *logRow, _ struct{}) error {
		if lr.seq != lg.tree.Size() {
			bad("log", "revision %d is missing (next stored revision is %d)", lg.tree.Size(), lr.seq)
			lg.gap = true
			return errGap
		}
		if err := lg.tree.AddHash(lr.leaf); err != nil {
			return err
		}
		if s.tiles != nil {
			lg.bundles.add(lr.rec)
		}
		lg.fold(lr, &shown, bad)
		return nil
	}
	switch err := ordered.Each(ctx, read, work, fold); {
	case errors.Is(err, errGap):
		return nil
	case err != nil:
		return err
	}
	rows.Close()
	if shown > most {
		bad("revisions", "and %d more columns differ from their records", shown-most)
	}
	for _, n := range slices.Sorted(maps.Keys(lg.withheld)) {
		bad("revision_content", "revision %d: its content is missing, and no redaction in the log names it", n)
	}
	if err := lg.countContents(ctx, tx, bad); err != nil {
		return err
	}
	if size := lg.tree.Size(); head != size {
		bad("log", "the log head says %d revisions, the table holds %d", head, size)
	}
	return verifyHashes(ctx, tx, &lg.tree, bad)
}

// fold checks one opened row of the log, in order, and replays it.
func (lg *logCheck) fold(lr *logRow, shown *int, bad badFunc) {
	seq, r := lr.seq, lr.r
	if lr.cerr != nil {
		bad("revision_content", "%v", lr.cerr)
	}
	if lr.err != nil {
		if !json.Valid(lr.rec) {
			bad("log", "revision %d is not valid JSON: %v", seq, lr.err)
		} else {
			bad("log", "revision %d is not a record of the log: %v", seq, lr.err)
		}
		return
	}
	cols := [...]struct{ name, col, rec string }{
		{"kind", lr.kind, r.Kind}, {"entity_id", lr.id, r.ID}, {"op", lr.op, r.Op}, {"author", lr.author, r.Author}, {"created_at", lr.at, createdAt(r.Time)},
	}
	if r.Seq != seq {
		bad("revisions", "revision %d: its record says seq %d", seq, r.Seq)
	}
	for _, c := range cols {
		if c.col != c.rec {
			if *shown < most {
				bad("revisions", "revision %d: column %s is %q, its record says %q", seq, c.name, c.col, c.rec)
			}
			*shown++
		}
	}
	k := entityKey(r.Kind, r.ID)
	if r.Redacted && lr.cerr == nil {
		lg.withheld[seq] = k
	}
	switch r.Op {
	case "redact":
		lg.redact(r, k, bad)
	case "retract":
		last, ok := lg.latest[k]
		lg.tombs[k] = tombstone(r, last.seq, ok)
		delete(lg.latest, k)
	default:
		delete(lg.tombs, k)
		lg.latest[k] = stateRef{r.Seq, lr.sum}
	}
}

// redact checks a redaction r of the entity k against the log before it:
// it names a revision of k that is not k's current state, not a
// redaction, not redacted before, and whose content is gone.
func (lg *logCheck) redact(r *registry.Revision, k string, bad badFunc) {
	n := *r.Redacts
	lg.redactions = append(lg.redactions, registry.Redaction{Seq: n, By: r.Seq, Reason: r.Reason, Time: r.Time})
	lg.redactors[r.Seq] = true
	switch {
	case lg.redactors[n]:
		bad("log", "revision %d redacts revision %d, itself a redaction", r.Seq, n)
	case lg.redacted[n]:
		bad("log", "revision %d redacts revision %d, which an earlier redaction removed", r.Seq, n)
	case lg.latest[k].seq == n && lg.latest[k] != (stateRef{}):
		bad("log", "revision %d redacts revision %d, the current state of %s %s", r.Seq, n, r.Kind, r.ID)
	}
	lg.redacted[n] = true
	if lg.withheld[n] != k {
		bad("revision_content", "revision %d was redacted by revision %d, but its content is still stored (or it is not a format-2 revision of %s %s)", n, r.Seq, r.Kind, r.ID)
	}
	delete(lg.withheld, n)
}

// countContents checks that revision_content holds no row but those of
// the log's revisions, which the log's reading counted.
func (lg *logCheck) countContents(ctx context.Context, tx querier, bad badFunc) error {
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM revision_content").Scan(&n); err != nil {
		return err
	}
	if n != lg.contents {
		bad("revision_content", "%d rows, of which %d belong to no revision of the log", n, n-lg.contents)
	}
	return nil
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

// retractions returns the digest of the retractions table the log
// implies, in key order.
func (lg *logCheck) retractions() *tableDigest {
	keys := slices.Sorted(maps.Keys(lg.tombs))
	d := &tableDigest{}
	for _, k := range keys {
		d.add(lg.tombs[k].vals)
	}
	return d
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
