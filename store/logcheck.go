package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash"
	"io"
	"maps"
	"slices"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/ordered"
	"oversight/ledger"
	"oversight/registry"
)

// A logCheck is what verify found reading the log, one revision at a
// time: the tree it rebuilds, each entity's latest state, the
// tombstones, and the redactions and withheld contents it must pair up.
type logCheck struct {
	head   int64 // the log head's size
	tree   ledger.Tree
	latest map[string]stateRef // by entityKey, for entities not retracted
	tombs  map[string]row      // by entityKey, the tombstones of those retracted
	bad    findings
	gap    bool // a revision is missing: the tables were not compared
	// sums is whether each state is digested, for the comparison of the
	// entities table with the log, which a check of the log alone skips.
	sums bool

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
// and its content, parsing its record and, given sums, digesting its
// state. Workers run it on every core.
func (lr *logRow) open(sums bool) {
	lr.leaf = tlog.RecordHash(lr.rec)
	r, err := registry.OpenRecord(lr.rec, lr.salt, lr.content)
	if errors.As(err, &lr.cerr) {
		// The leaf is still read, to replay the log past it.
		r, err = registry.OpenRecord(lr.rec, nil, nil)
	}
	lr.r, lr.err = r, err
	if sums && err == nil && r.Op != "redact" && r.Op != "retract" {
		lr.sum = stateSum(r.State)
	}
	lr.salt, lr.content = nil, nil
}

// errGap stops the log's reading at a missing revision.
var errGap = errors.New("a revision is missing")

// readLog reads the log in one ordered pass: this goroutine reads the
// rows, workers hash and parse them (logRow.open), and fold takes them in
// order into the tree and the replay. The stored tree hashes are compared
// with the tree afterwards (readTreeHashes).
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
		lr.open(lg.sums)
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
	return nil
}

// readTreeHashes compares the stored tree hashes with the tree readLog
// rebuilt, in a snapshot of their own, so that verify reads them beside
// the stored tiles rather than after the log (a second each at 1M).
func (s *DB) readTreeHashes(ctx context.Context, lg *logCheck) error {
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	if sn.size != lg.head {
		return errMoved
	}
	return verifyHashes(ctx, sn.q, &lg.tree, lg.bad.add)
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
	case hasLatest(lg.latest, k, n):
		bad("log", "revision %d redacts revision %d, the current state of %s %s", r.Seq, n, r.Kind, r.ID)
	}
	lg.redacted[n] = true
	if lg.withheld[n] != k {
		bad("revision_content", "revision %d was redacted by revision %d, but its content is still stored (or it is not a format-2 revision of %s %s)", n, r.Seq, r.Kind, r.ID)
	}
	delete(lg.withheld, n)
}

// hasLatest reports whether revision n is entity k's current state.
func hasLatest(latest map[string]stateRef, k string, n int64) bool {
	ref, ok := latest[k]
	return ok && ref.seq == n
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
