package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

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
// gives. It reads all revisions but keeps only the current state of each
// entity in memory.
//
// Checkpoints published earlier (saved by readers from the API) can be
// given too: the log must still extend each of them, which catches the
// one change the latest checkpoint cannot show, the removal of the newest
// revisions together with their checkpoints.
func (s *DB) Verify(ctx context.Context, earlier ...ledger.Checkpoint) (*Report, error) {
	rep := &Report{}
	bad := func(what, format string, args ...any) {
		rep.Mismatches = append(rep.Mismatches, Mismatch{what, fmt.Sprintf(format, args...)})
	}
	head, err := s.Size(ctx)
	if err != nil {
		return nil, err
	}
	_, cp, err := s.Checkpoint(ctx)
	switch {
	case err == ErrNotFound && head == 0:
	case err == ErrNotFound:
		bad("checkpoint", "the log holds %d revisions but there is no checkpoint", head)
	case err != nil:
		bad("checkpoint", "%v", err)
	default:
		rep.Checkpoint = cp
	}

	var tree ledger.Tree
	latest := map[EntityID]*current{}
	rows, err := s.db.QueryContext(ctx, "SELECT seq, kind, entity_id, op, record FROM revisions ORDER BY seq")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var seq int64
		var kind, id, op string
		var rec []byte
		if err := rows.Scan(&seq, &kind, &id, &op, &rec); err != nil {
			rows.Close()
			return nil, err
		}
		if seq != tree.Size() {
			bad("log", "revision %d is missing (next stored revision is %d)", tree.Size(), seq)
			rows.Close()
			return rep, nil
		}
		if err := tree.Add(rec); err != nil {
			rows.Close()
			return nil, err
		}
		var r registry.Revision
		if err := json.Unmarshal(rec, &r); err != nil {
			bad("log", "revision %d is not valid JSON: %v", seq, err)
			continue
		}
		if r.Seq != seq || r.Kind != kind || r.ID != id || r.Op != op {
			bad("log", "revision %d: its columns (seq %d, %s %s, %s) differ from its record (seq %d, %s %s, %s)", seq, seq, kind, id, op, r.Seq, r.Kind, r.ID, r.Op)
		}
		key := EntityID{r.Kind, r.ID}
		if r.Op == "retract" {
			delete(latest, key)
		} else {
			latest[key] = &current{kind: r.Kind, seq: r.Seq, state: r.State}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rep.Size = tree.Size()
	if head != rep.Size {
		bad("log", "the log head says %d revisions, the table holds %d", head, rep.Size)
	}
	if rep.Checkpoint.Size != 0 || head != 0 {
		if rep.Checkpoint.Size != rep.Size {
			bad("checkpoint", "signed for %d revisions, the log holds %d", rep.Checkpoint.Size, rep.Size)
		} else if root, err := tree.Root(rep.Size); err != nil {
			return nil, err
		} else if root != rep.Checkpoint.Hash {
			bad("checkpoint", "signed root %s differs from the root of the stored revisions %s", rep.Checkpoint.Hash, root)
		}
	}
	for _, old := range earlier {
		if old.Size > rep.Size {
			bad("checkpoint", "an earlier checkpoint was signed for %d revisions; the log now holds %d", old.Size, rep.Size)
			continue
		}
		if root, err := tree.Root(old.Size); err != nil {
			return nil, err
		} else if root != old.Hash {
			bad("checkpoint", "the first %d revisions no longer hash to the root of the earlier checkpoint of that size", old.Size)
		}
	}
	if err := s.verifyHashes(ctx, &tree, bad); err != nil {
		return nil, err
	}

	want := map[*table][]string{}
	for _, c := range latest {
		// A record that no longer decodes was reported above as an altered
		// revision; decode what is there for the table comparison.
		e, err := registry.Decode(c.kind, c.state)
		if err != nil {
			continue
		}
		for _, r := range project(e, c.seq, c.state) {
			want[r.t] = append(want[r.t], tuple(r.vals))
		}
	}
	for _, t := range allTables {
		got, err := s.tableTuples(ctx, t)
		if err != nil {
			return nil, err
		}
		compareTuples(t, want[t], got, bad)
	}
	return rep, nil
}

// current is the latest state of one entity during a replay.
type current struct {
	kind  string
	seq   int64
	state json.RawMessage
}

func (s *DB) verifyHashes(ctx context.Context, tree *ledger.Tree, bad func(string, string, ...any)) error {
	rows, err := s.db.QueryContext(ctx, "SELECT idx, hash FROM tree_hashes ORDER BY idx")
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

func (s *DB) tableTuples(ctx context.Context, t *table) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+strings.Join(t.cols, ", ")+" FROM "+t.name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, tuple(vals))
	}
	return out, rows.Err()
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
// transaction.
func (s *DB) Rebuild(ctx context.Context) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
			return err
		}
		for _, t := range allTables {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.name); err != nil {
				return err
			}
		}
		tw := newTxWriter(ctx, s.d, tx)
		defer tw.wait() // on an early return; flush already waited otherwise
		latest := map[EntityID]*current{}
		var order []EntityID
		rows, err := tx.QueryContext(ctx, "SELECT record FROM revisions ORDER BY seq")
		if err != nil {
			return err
		}
		for rows.Next() {
			var rec []byte
			if err := rows.Scan(&rec); err != nil {
				rows.Close()
				return err
			}
			var r registry.Revision
			if err := json.Unmarshal(rec, &r); err != nil {
				rows.Close()
				return fmt.Errorf("revision record is not valid JSON: %w", err)
			}
			key := EntityID{r.Kind, r.ID}
			if _, ok := latest[key]; !ok {
				order = append(order, key)
			}
			if r.Op == "retract" {
				latest[key] = nil
			} else {
				latest[key] = &current{kind: r.Kind, seq: r.Seq, state: r.State}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, key := range order {
			c := latest[key]
			if c == nil {
				continue
			}
			e, err := registry.Decode(key.Kind, c.state)
			if err != nil {
				return fmt.Errorf("%s %s: %w", key.Kind, key.ID, err)
			}
			if err := tw.insert(project(e, c.seq, c.state)...); err != nil {
				return err
			}
			n++
		}
		return tw.flush()
	})
	return n, err
}
