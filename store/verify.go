package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
	"golang.org/x/sync/errgroup"

	"oversight/internal/ordered"
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

// snapshot begins a read-only transaction that sees one state of the
// database for all its queries, and returns the log size in that state.
func (s *DB) snapshot(ctx context.Context) (*sql.Tx, int64, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.d.snapshot})
	if err != nil {
		return nil, 0, err
	}
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT size FROM log_head WHERE id = 1").Scan(&n); err != nil {
		tx.Rollback()
		return nil, 0, err
	}
	return tx, n, nil
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
	tx, head, err := s.snapshot(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
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

// A tableDigest hashes a table's rows in key order. Rows are encoded into
// a buffer hashed a block at a time: many small writes to the hash cost
// more than the hashing.
type tableDigest struct {
	size int64 // the log size of the snapshot read
	h    hash.Hash
	buf  []byte
	n    int64
	fts  []ftsRow // deployments_fts rows, ordered by rowid before hashing
}

type ftsRow struct {
	rowid int64
	sum   [16]byte
}

// encodeRow appends a row's cells to b, each length-prefixed.
func encodeRow(b []byte, vals []any) []byte {
	for _, v := range vals {
		c := cell(v)
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	return b
}

func (d *tableDigest) add(vals []any) {
	if d.h == nil {
		d.h = sha256.New()
	}
	d.buf = encodeRow(d.buf, vals)
	if len(d.buf) >= 64<<10 {
		d.h.Write(d.buf)
		d.buf = d.buf[:0]
	}
	d.n++
}

// addFTS adds a search-index row, which the table orders by rowid, not by
// the deployment id.
func (d *tableDigest) addFTS(vals []any) {
	if d.h == nil {
		d.h = sha256.New()
	}
	sum := sha256.Sum256(encodeRow(nil, vals))
	d.fts = append(d.fts, ftsRow{vals[0].(int64), [16]byte(sum[:16])})
	d.n++
}

func (d *tableDigest) sum() [32]byte {
	if d == nil || d.h == nil {
		d = &tableDigest{h: sha256.New()}
	}
	d.h.Write(d.buf)
	d.buf = nil
	if d.fts != nil {
		slices.SortFunc(d.fts, func(a, b ftsRow) int { return cmp.Compare(a.rowid, b.rowid) })
		for _, r := range d.fts {
			d.h.Write(r.sum[:])
		}
		d.fts = nil
	}
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(d.n))
	d.h.Write(n[:])
	return [32]byte(d.h.Sum(nil))
}

// orderBy is the ORDER BY clause verify reads t in, which the projection's
// rows are put in too.
func (s *DB) orderBy(t *table) string {
	if t.key == 0 {
		return "rowid"
	}
	parts := make([]string, t.key)
	for i, c := range t.cols[:t.key] {
		parts[i] = c + s.d.collate
	}
	return strings.Join(parts, ", ")
}

func (s *DB) readTable(ctx context.Context, t *table, d *tableDigest) error {
	tx, head, err := s.snapshot(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	d.size = head
	return eachRow(ctx, tx, t, " ORDER BY "+s.orderBy(t), func(vals []any) {
		if t.key == 0 {
			d.addFTS(vals)
		} else {
			d.add(vals)
		}
	})
}

// eachRow calls fn with the values of every row of t, read in one query
// ending in tail. fn must not keep vals, which the next row overwrites.
func eachRow(ctx context.Context, tx *sql.Tx, t *table, tail string, fn func(vals []any)) error {
	rows, err := tx.QueryContext(ctx, "SELECT "+strings.Join(t.cols, ", ")+" FROM "+t.name+tail)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fn(vals)
	}
	return rows.Err()
}

// An entityCheck is what reading the entities table found: a digest of its
// (kind, id, seq, state) lines to compare with the log's, and a digest of
// each table as projected from the states.
type entityCheck struct {
	head  int64
	lines hash.Hash
	want  map[*table]*tableDigest
}

func (e *entityCheck) digest() [32]byte { return [32]byte(e.lines.Sum(nil)) }

// An entityRow is one row of the entities table and what it projects to.
type entityRow struct {
	kind, id string
	seq      int64
	state    []byte
	rows     []row
}

// readEntities reads the entities table in key order. Decoding the states
// is most of verify's work, so workers decode batches of them while this
// goroutine folds finished batches into the digests in order.
func (s *DB) readEntities(ctx context.Context, e *entityCheck) error {
	e.lines = sha256.New()
	e.want = map[*table]*tableDigest{}
	for _, t := range allTables {
		e.want[t] = &tableDigest{}
	}
	tx, head, err := s.snapshot(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	e.head = head
	rows, err := tx.QueryContext(ctx, "SELECT kind, id, seq, state FROM entities ORDER BY "+s.orderBy(tEntities))
	if err != nil {
		return err
	}
	defer rows.Close()
	read := func(ctx context.Context, emit func(*entityRow) error) error {
		for rows.Next() {
			r := &entityRow{}
			if err := rows.Scan(&r.kind, &r.id, &r.seq, &r.state); err != nil {
				return err
			}
			if err := emit(r); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	project := func(r *entityRow) (struct{}, error) {
		r.project()
		return struct{}{}, nil
	}
	return ordered.Each(ctx, read, project, func(r *entityRow, _ struct{}) error {
		writeEntityLine(e.lines, entityKey(r.kind, r.id), stateRef{r.seq, stateSum(r.state)})
		for _, pr := range r.rows {
			switch pr.t {
			case tEntities: // compared with the log through the lines
			case tDepFTS:
				e.want[pr.t].addFTS(pr.vals)
			default:
				e.want[pr.t].add(pr.vals)
			}
		}
		return nil
	})
}

// project decodes the state and projects it, each table's rows in the
// order verify reads the table in. A state that does not decode projects
// nothing; it differs from the log's, which is reported.
func (r *entityRow) project() {
	e, err := registry.Decode(r.kind, r.state)
	if err != nil {
		return
	}
	r.rows = project(e, r.seq, r.state)
	slices.SortStableFunc(r.rows, func(a, b row) int {
		if a.t != b.t {
			return cmp.Compare(slices.Index(allTables, a.t), slices.Index(allTables, b.t))
		}
		for i := range a.t.key {
			if c := strings.Compare(cell(a.vals[i]), cell(b.vals[i])); c != 0 {
				return c
			}
		}
		return 0
	})
}

// current is the latest state of one entity during a replay.
type current struct {
	kind  string
	seq   int64
	state json.RawMessage
}

func verifyHashes(ctx context.Context, tx *sql.Tx, tree *ledger.Tree, bad func(string, string, ...any)) error {
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

// compareTables compares tables with the log row by row, to name the rows
// that differ. It replays the log and holds the tables in memory, so
// verify does it only for tables whose digests differed.
func (s *DB) compareTables(ctx context.Context, tables []*table, bad func(string, string, ...any)) error {
	tx, _, err := s.snapshot(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	latest, err := replay(ctx, tx)
	if err != nil {
		return err
	}
	want := map[*table][]string{}
	for _, c := range latest {
		// A record that no longer decodes was reported as an altered
		// revision; decode what is there for the comparison.
		if c == nil {
			continue
		}
		e, err := registry.Decode(c.kind, c.state)
		if err != nil {
			continue
		}
		for _, r := range project(e, c.seq, c.state) {
			want[r.t] = append(want[r.t], tuple(r.vals))
		}
	}
	for _, t := range tables {
		got, err := tableTuples(ctx, tx, t)
		if err != nil {
			return err
		}
		compareTuples(t, want[t], got, bad)
	}
	return nil
}

// replay returns the latest state of every entity the log holds, nil for
// the retracted. Records that do not decode are left out: verify reports
// them as altered revisions.
func replay(ctx context.Context, tx *sql.Tx) (map[registry.EntityID]*current, error) {
	latest := map[registry.EntityID]*current{}
	err := eachRecord(ctx, tx, func(_ int64, r *registry.Revision, err error) error {
		switch {
		case err != nil:
		case r.Op == "retract":
			latest[registry.EntityID{Kind: r.Kind, ID: r.ID}] = nil
		default:
			latest[registry.EntityID{Kind: r.Kind, ID: r.ID}] = &current{kind: r.Kind, seq: r.Seq, state: r.State}
		}
		return nil
	})
	return latest, err
}

func tableTuples(ctx context.Context, tx *sql.Tx, t *table) ([]string, error) {
	var out []string
	err := eachRow(ctx, tx, t, "", func(vals []any) { out = append(out, tuple(vals)) })
	return out, err
}

// tuple renders a row as one comparable string.
func tuple(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = cell(v)
	}
	return strings.Join(parts, "\x1f")
}

// compareTuples reports the rows of a table that the log does not account
// for and the rows the log expects that are not there.
func compareTuples(t *table, want, got []string, bad func(string, string, ...any)) {
	sort.Strings(want)
	sort.Strings(got)
	shown := 0
	report := func(format, tup string) {
		if shown < most {
			bad(t.name, format, describe(t, tup))
		} else if shown == most {
			bad(t.name, "and more differences")
		}
		shown++
	}
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j == len(got) || (i < len(want) && want[i] < got[j]):
			report("missing or changed row; the log says %s", want[i])
			i++
		case i == len(want) || got[j] < want[i]:
			report("row not in the log, or changed behind the program's back: %s", got[j])
			j++
		default:
			i++
			j++
		}
	}
}

// describe shows a row as column=value pairs, long values cut short.
func describe(t *table, tup string) string {
	vals := strings.Split(tup, "\x1f")
	parts := make([]string, 0, len(vals))
	for i, v := range vals {
		if i >= len(t.cols) {
			break
		}
		if v == "\x00" {
			v = "NULL"
		}
		if len(v) > 60 {
			v = v[:57] + "..."
		}
		parts = append(parts, t.cols[i]+"="+v)
	}
	return strings.Join(parts, " ")
}

// Rebuild recreates every projection table from the log, in one
// transaction. It reads the log twice, first to find each entity's latest
// revision and then to project those, so that memory holds a revision
// number per entity rather than every state.
func (s *DB) Rebuild(ctx context.Context) (int, error) {
	n := 0
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
			return err
		}
		for _, t := range allTables {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.name); err != nil {
				return err
			}
		}
		latest := map[string]int64{} // by entityKey; -1 once retracted
		if err := eachRecord(ctx, tx, func(seq int64, r *registry.Revision, err error) error {
			if err != nil {
				return fmt.Errorf("revision %d: record is not valid JSON: %w", seq, err)
			}
			if r.Op == "retract" {
				latest[entityKey(r.Kind, r.ID)] = -1
			} else {
				latest[entityKey(r.Kind, r.ID)] = r.Seq
			}
			return nil
		}); err != nil {
			return err
		}
		tw := newTxWriter(ctx, s.d, tx)
		defer tw.wait() // on an early return; flush already waited otherwise
		if err := eachRecord(ctx, tx, func(_ int64, r *registry.Revision, _ error) error {
			// The first pass refused records that do not decode.
			if latest[entityKey(r.Kind, r.ID)] != r.Seq {
				return nil
			}
			e, err := registry.Decode(r.Kind, r.State)
			if err != nil {
				return fmt.Errorf("%s %s: %w", r.Kind, r.ID, err)
			}
			n++
			return tw.insert(project(e, r.Seq, r.State)...)
		}); err != nil {
			return err
		}
		return tw.flush()
	})
	return n, err
}

// eachRecord calls fn with every revision of the log, in order, or with
// the error that kept a record from decoding. It reads a page of records
// at a time and calls fn between reads, so that fn may write in the same
// transaction: PostgreSQL serves one query at a time on a connection.
func eachRecord(ctx context.Context, tx *sql.Tx, fn func(seq int64, r *registry.Revision, err error) error) error {
	const page = 1000
	for last := int64(-1); ; {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT seq, record FROM revisions WHERE seq > $1 ORDER BY seq LIMIT %d", page), last)
		if err != nil {
			return err
		}
		type read struct {
			seq int64
			r   *registry.Revision
			err error
		}
		var recs []read
		for rows.Next() {
			var rec []byte
			if err := rows.Scan(&last, &rec); err != nil {
				rows.Close()
				return err
			}
			r, err := registry.ParseRecord(rec)
			recs = append(recs, read{last, r, err})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, rd := range recs {
			if err := fn(rd.seq, rd.r, rd.err); err != nil {
				return err
			}
		}
		if len(recs) < page {
			return nil
		}
	}
}
