package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/pprof"
	"strings"

	"oversight/registry"
)

// A txWriter writes within one transaction. It prepares each statement
// once and gathers inserts into multi-row statements: parsing SQL and one
// round trip per row were most of an import's time. On SQLite, full
// batches are written by a goroutine of their own while the caller goes on
// encoding, hashing and projecting the next records.
//
// Rows wait until flush, so nothing in the same transaction may read a
// table after adding rows to it without flushing first. Apply never does:
// a batch holds each entity once, and it only reads and deletes rows that
// were there before the batch.
type txWriter struct {
	d       dialect
	ctx     context.Context
	tx      *sql.Tx
	stmts   map[string]*sql.Stmt
	inserts map[insertKey]*sql.Stmt
	pending map[*table][]any // flattened values of rows not yet inserted
	order   []*table         // tables in the order their first row came

	jobs chan insertJob // to the inserting goroutine; nil until the first batch
	done chan error     // its first error, or nil, once jobs is closed

	tiers        *tierCodec // writes deployments' tiers; nil when the writer has none
	tiersChecked bool       // the projection's version was checked (project)
	tiersInline  bool       // and this write projects its deployments' tiers
	tiersBulk    bool       // the write holds too many deployments to classify them all
	// What the write does to tiers (facts.go): the deployments whose tiers
	// it projects when it flushes, the fact documents it writes (nil for
	// retracted ones), and the deployments it marked pending.
	tierQueue     map[string]*registry.Deployment
	factsIn       map[string]*registry.FactDoc
	pendingMarked map[string]bool

	counts map[countKey]int // deltas of deployment_counts, written by flush
	// words are those this write added to search_words (or found there),
	// each sent once.
	words     map[string]bool
	classDocs map[string]bool // fact_classes rows written (classDoc)
}

type insertKey struct {
	t *table
	n int
}

type insertJob struct {
	t    *table
	stmt *sql.Stmt
	vals []any
}

func newTxWriter(ctx context.Context, d dialect, tx *sql.Tx, tiers *tierCodec) *txWriter {
	return &txWriter{d: d, ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}, inserts: map[insertKey]*sql.Stmt{}, pending: map[*table][]any{}, tiers: tiers,
		tierQueue: map[string]*registry.Deployment{}, factsIn: map[string]*registry.FactDoc{}, pendingMarked: map[string]bool{}}
}

// stmt returns the prepared form of q, preparing it on first use. The
// statements close with the transaction.
func (w *txWriter) stmt(q string) (*sql.Stmt, error) {
	if s, ok := w.stmts[q]; ok {
		return s, nil
	}
	s, err := w.tx.PrepareContext(w.ctx, q)
	if err != nil {
		return nil, err
	}
	w.stmts[q] = s
	return s, nil
}

func (w *txWriter) exec(q string, args ...any) error {
	s, err := w.stmt(q)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(w.ctx, args...)
	return err
}

func (w *txWriter) queryRow(q string, args ...any) *sql.Row {
	s, err := w.stmt(q)
	if err != nil {
		// A failed prepare surfaces at Scan, as a failed query would.
		return w.tx.QueryRowContext(w.ctx, q, args...)
	}
	return s.QueryRowContext(w.ctx, args...)
}

// batchRows is how many rows one INSERT carries, unless its table says
// otherwise (table.rows). SQLite allows 32,766 parameters a statement and
// PostgreSQL 65,535; the widest table has 9 columns. Each statement is a
// job handed to the inserting goroutine; at 64 rows a statement the word
// lists alone were a job every three deployments (docs/performance.md,
// "Import speed, 6 Dec (last)").
const batchRows = 256

// rowsPerInsert is how many rows one INSERT into t carries.
func rowsPerInsert(t *table) int {
	if t.rows > 0 {
		return t.rows
	}
	return batchRows
}

// insert adds rows, writing full batches as they fill.
func (w *txWriter) insert(rows ...row) error {
	for _, r := range rows {
		if r.t == tDepWords && w.d.words {
			if err := w.addWord(r.vals[1].(string)); err != nil {
				return err
			}
		}
		vals, ok := w.pending[r.t]
		if !ok {
			w.order = append(w.order, r.t)
		}
		vals = append(vals, r.vals...)
		w.pending[r.t] = vals
		if len(vals) == rowsPerInsert(r.t)*len(r.t.cols) {
			if err := w.flushTable(r.t); err != nil {
				return err
			}
		}
	}
	return nil
}

// addWord adds word to search_words, unless this write did already.
func (w *txWriter) addWord(word string) error {
	if w.words[word] {
		return nil
	}
	if w.words == nil || len(w.words) == w.d.maxWordsSeen {
		w.words = make(map[string]bool, min(len(w.words), w.d.maxWordsSeen))
	}
	w.words[word] = true
	return w.insert(row{tSearchWords, []any{word}})
}

// flush writes every row added, and the tiers of the deployments queued,
// and waits until all are written, then the deltas of deployment_counts.
// It must be called, and its error checked, before the transaction ends.
func (w *txWriter) flush() error {
	if err := w.drainTiers(); err != nil {
		w.wait()
		return err
	}
	for _, t := range w.order {
		if err := w.flushTable(t); err != nil {
			w.wait()
			return err
		}
	}
	if err := w.wait(); err != nil {
		return err
	}
	return w.writeCounts()
}

// wait stops the inserting goroutine, returning its error.
func (w *txWriter) wait() error {
	if w.jobs == nil {
		return nil
	}
	close(w.jobs)
	err := <-w.done
	w.jobs = nil
	return err
}

// flushTable hands t's pending rows to the inserting goroutine.
func (w *txWriter) flushTable(t *table) error {
	vals := w.pending[t]
	n := len(vals) / len(t.cols)
	if n == 0 {
		return nil
	}
	k := insertKey{t, n}
	st, ok := w.inserts[k]
	if !ok {
		var err error
		if st, err = w.tx.PrepareContext(w.ctx, insertSQL(t, n, w.d)); err != nil {
			return fmt.Errorf("insert into %s: %w", t.name, err)
		}
		w.inserts[k] = st
	}
	if !w.d.interleave {
		w.pending[t] = vals[:0]
		if _, err := st.ExecContext(w.ctx, vals...); err != nil {
			return fmt.Errorf("insert into %s: %w", t.name, err)
		}
		return nil
	}
	if w.jobs == nil {
		w.jobs, w.done = make(chan insertJob, 4), make(chan error, 1)
		go w.insertAll(w.jobs, w.done)
	}
	w.jobs <- insertJob{t, st, vals}
	w.pending[t] = make([]any, 0, cap(vals))
	return nil
}

// insertAll runs the inserts it is sent; after a failure it only drains.
func (w *txWriter) insertAll(jobs <-chan insertJob, done chan<- error) {
	var first error
	for j := range jobs {
		if first != nil {
			continue
		}
		// Labelled by table, so that a CPU profile (OVERSIGHT_CPUPROFILE,
		// go tool pprof -tags) says which table an import's time went to.
		pprof.Do(w.ctx, pprof.Labels("table", j.t.name), func(ctx context.Context) {
			if _, err := j.stmt.ExecContext(ctx, j.vals...); err != nil {
				first = fmt.Errorf("insert into %s: %w", j.t.name, err)
			}
		})
	}
	done <- first
}

// insertSQL is the statement inserting n rows into t, in d's words.
func insertSQL(t *table, n int, d dialect) string {
	var b strings.Builder
	or := d.insertOr
	if t.ignore {
		or = "" // ON CONFLICT below
	}
	b.WriteString("INSERT " + or + "INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES ")
	p := 1
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range t.cols {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(d.param(p))
			p++
		}
		b.WriteByte(')')
	}
	if t.ignore {
		b.WriteString(" ON CONFLICT DO NOTHING")
	}
	return b.String()
}
