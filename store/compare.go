package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash"
	"slices"
	"sort"
	"strings"

	"oversight/internal/ordered"
	"oversight/registry"
)

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

func (d *tableDigest) add(vals []any) { d.addGroup(vals, 1) }

// addGroup adds a row that stands for n rows of the table (wordGroup).
func (d *tableDigest) addGroup(vals []any, n int64) {
	if d.h == nil {
		d.h = sha256.New()
	}
	d.buf = encodeRow(d.buf, vals)
	if len(d.buf) >= 64<<10 {
		d.h.Write(d.buf)
		d.buf = d.buf[:0]
	}
	d.n += n
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
		parts[i] = c
		if !slices.Contains(t.numbers, c) {
			parts[i] += s.d.collate
		}
	}
	return strings.Join(parts, ", ")
}

// readTable reads t in key order into d. Given w, it checks the words of
// deployment_words against search_words as they go by (see wordCheck).
func (s *DB) readTable(ctx context.Context, t *table, d *tableDigest, w *wordCheck) error {
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	d.size = sn.size
	if w != nil {
		if err := w.load(ctx, sn.q); err != nil {
			return err
		}
	}
	if t == tDepWords {
		return s.readWords(ctx, sn.q, d, w)
	}
	return eachRow(ctx, sn.q, t, " ORDER BY "+s.orderBy(t), func(vals []any) {
		if t.key == 0 {
			d.addFTS(vals)
		} else {
			d.add(vals)
		}
	})
}

// eachRow calls fn with the values of every row of t, read in one query
// ending in tail. fn must not keep vals, which the next row overwrites.
func eachRow(ctx context.Context, tx querier, t *table, tail string, fn func(vals []any)) error {
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
	head   int64
	lines  hash.Hash
	want   map[*table]*tableDigest
	counts map[countKey]int // deployment_counts as the states give it
	rows   int64
}

func (e *entityCheck) digest() [32]byte { return [32]byte(e.lines.Sum(nil)) }

// An entityRow is one row of the entities table and what it projects to.
type entityRow struct {
	kind, id string
	seq      int64
	state    []byte
	sum      [16]byte // of state, which project drops once read
	rows     []row
	count    countKey // of a deployment, with counted
	counted  bool
}

// readEntities reads the entities table in key order. Decoding the states
// is most of verify's work, so workers decode batches of them while this
// goroutine folds finished batches into the digests in order.
func (s *DB) readEntities(ctx context.Context, e *entityCheck) error {
	e.lines = sha256.New()
	e.want = map[*table]*tableDigest{}
	e.counts = map[countKey]int{}
	for _, t := range allTables {
		e.want[t] = &tableDigest{}
	}
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	e.head = sn.size
	rows, err := sn.q.QueryContext(ctx, "SELECT kind, id, seq, state FROM entities ORDER BY "+s.orderBy(tEntities))
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
		e.rows++
		writeEntityLine(e.lines, entityKey(r.kind, r.id), stateRef{r.seq, r.sum})
		if r.counted {
			e.counts[r.count]++
		}
		for _, pr := range r.rows {
			switch pr.t {
			case tEntities: // compared with the log through the lines
			case tDepFTS:
				e.want[pr.t].addFTS(pr.vals)
			case tDepWords:
				e.want[pr.t].addGroup(pr.vals, pr.vals[1].(int64))
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
	r.sum = stateSum(r.state)
	e, err := registry.Decode(r.kind, r.state)
	r.state = nil
	if err != nil {
		return
	}
	r.rows = projectRows(e, r.seq, false)
	for _, pr := range r.rows {
		if pr.t == tDepFTS {
			if words := indexWords(pr.vals[2].(string)); len(words) > 0 {
				r.rows = append(r.rows, row{tDepWords, wordGroup(e.Key(), words)})
			}
			break
		}
	}
	r.count, r.counted = countKeyOf(e, r.rows)
	slices.SortStableFunc(r.rows, func(a, b row) int {
		if a.t != b.t {
			return cmp.Compare(slices.Index(allTables, a.t), slices.Index(allTables, b.t))
		}
		for i := range a.t.key {
			if c := compareKey(a.vals[i], b.vals[i]); c != 0 {
				return c
			}
		}
		return 0
	})
}

// compareKey orders two values of a key column as verify reads the table:
// integers as numbers, text by bytes.
func compareKey(a, b any) int {
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	}
	return strings.Compare(cell(a), cell(b))
}

// current is the latest state of one entity during a replay.
type current struct {
	kind  string
	seq   int64
	state json.RawMessage
	tomb  *row // the tombstone of a retracted entity, which has no state
}

// compareTables compares tables with the log row by row, to name the rows
// that differ. It replays the log and holds the tables in memory, so
// verify does it only for tables whose digests differed.
func (s *DB) compareTables(ctx context.Context, tables []*table, bad func(string, string, ...any)) error {
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	latest, err := replay(ctx, sn.q)
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
		if c.tomb != nil {
			want[tRetractions] = append(want[tRetractions], tuple(c.tomb.vals))
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
		got, err := tableTuples(ctx, sn.q, t)
		if err != nil {
			return err
		}
		compareTuples(t, want[t], got, bad)
	}
	return nil
}

// replay returns the latest state of every entity the log holds, and the
// tombstone of the retracted. Records that do not decode are left out:
// verify reports them as altered revisions.
func replay(ctx context.Context, tx querier) (map[registry.EntityID]*current, error) {
	latest := map[registry.EntityID]*current{}
	err := eachRecord(ctx, tx, func(_ int64, r *registry.Revision, err error) error {
		switch {
		case err != nil:
		case r.Op == "redact": // changes no state
		case r.Op == "retract":
			prev := latest[registry.EntityID{Kind: r.Kind, ID: r.ID}]
			live := prev != nil && prev.tomb == nil
			var last int64
			if live {
				last = prev.seq
			}
			t := tombstone(r, last, live)
			latest[registry.EntityID{Kind: r.Kind, ID: r.ID}] = &current{kind: r.Kind, tomb: &t}
		default:
			latest[registry.EntityID{Kind: r.Kind, ID: r.ID}] = &current{kind: r.Kind, seq: r.Seq, state: r.State}
		}
		return nil
	})
	return latest, err
}

func tableTuples(ctx context.Context, tx querier, t *table) ([]string, error) {
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
	say := func(format string, args ...any) {
		if shown < most {
			bad(t.name, format, args...)
		} else if shown == most {
			bad(t.name, "and more differences")
		}
		shown++
	}
	report := func(format, tup string) { say(format, describe(t, tup)) }
	var missing, extra []string
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j == len(got) || (i < len(want) && want[i] < got[j]):
			missing = append(missing, want[i])
			i++
		case i == len(want) || got[j] < want[i]:
			extra = append(extra, got[j])
			j++
		default:
			i++
			j++
		}
	}
	if t == tEntities {
		missing, extra = compareStates(missing, extra, say)
	}
	for _, m := range missing {
		report("missing or changed row; the log says %s", m)
	}
	for _, x := range extra {
		report("row not in the log, or changed behind the program's back: %s", x)
	}
}

// compareStates names, for each entity whose row differs from the log's,
// the fields of its state that differ, and returns the rows it did not
// pair up.
func compareStates(missing, extra []string, say func(format string, args ...any)) ([]string, []string) {
	split := func(tup string) (key, state string) {
		vals := strings.SplitN(tup, "\x1f", 4)
		if len(vals) < 4 {
			return tup, ""
		}
		return vals[0] + " " + vals[1], vals[3]
	}
	got := map[string]string{}
	for _, x := range extra {
		k, st := split(x)
		got[k] = st
	}
	paired := map[string]bool{}
	var left []string
	for _, m := range missing {
		k, st := split(m)
		table, ok := got[k]
		if !ok {
			left = append(left, m)
			continue
		}
		paired[k] = true
		changes, err := registry.DiffStates(json.RawMessage(st), json.RawMessage(table))
		if err != nil || len(changes) == 0 {
			say("entity %s: its row differs from the log's (its seq, or a state that does not decode)", k)
			continue
		}
		for n, c := range changes {
			if n == 3 {
				say("entity %s: and %d more fields differ", k, len(changes)-3)
				break
			}
			say("entity %s: %s differs: the log says %s, the table holds %s", k, c.Path, jsonOf(c.Before), jsonOf(c.After))
		}
	}
	var rest []string
	for _, x := range extra {
		if k, _ := split(x); !paired[k] {
			rest = append(rest, x)
		}
	}
	return left, rest
}

func jsonOf(v any) string {
	if v == nil {
		return "nothing"
	}
	b, _ := json.Marshal(v)
	return registry.Clip(string(b))
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
