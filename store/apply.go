package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/ledger"
	"oversight/registry"
)

// Meta says who made a change and why. Author is a pseudonym.
type Meta struct {
	Author string
	Reason string
	// Contributor is the pseudonym of whoever proposed the change, when
	// a reviewer (Author) accepts it from a submission.
	Contributor string
	Time        time.Time // zero means now
}

// normal returns meta as a change records it: with an author, and its
// time, now when unset, in UTC to the second.
func (m Meta) normal() (Meta, error) {
	if m.Author == "" {
		return m, errors.New("a change needs an author")
	}
	if m.Time.IsZero() {
		m.Time = time.Now()
	}
	m.Time = m.Time.UTC().Truncate(time.Second)
	return m, nil
}

// reasoned is normal for a change that must say why, a retraction or a
// redaction: its author a short line, its reason required.
func (m Meta) reasoned() (Meta, error) {
	if m.Author == "" {
		return m, registry.InvalidField("author", "is required")
	}
	if err := registry.CheckLine("author", m.Author, registry.MaxID); err != nil {
		return m, err
	}
	if err := registry.CheckReason(m.Reason); err != nil {
		return m, err
	}
	return m.normal()
}

// Result counts what Apply did.
type Result struct {
	Created, Updated, Unchanged int
	Size                        int64 // log size after the change
}

// Progress is told how many records of a batch have been applied, of
// how many; total is 0 when unknown, as in a stream (ApplyStream).
type Progress func(done, total int)

// A CheckError lists the records of a batch that failed their checks
// against the register inside the write transaction.
type CheckError struct{ Errs []*registry.RecordError }

func (e *CheckError) Error() string {
	parts := make([]string, len(e.Errs))
	for i, re := range e.Errs {
		parts[i] = re.Error()
	}
	return strings.Join(parts, "\n")
}

// Apply records every record of set that differs from the register as a
// revision, appends the revisions to the log, projects them into the tables
// and signs a new checkpoint, all in one transaction: a failure anywhere
// leaves the register as it was. Records equal to their current state are
// counted as unchanged and not logged again.
func (s *DB) Apply(ctx context.Context, set *registry.Set, meta Meta, progress Progress) (Result, error) {
	return s.writeLogged(ctx, meta, func(tx *sql.Tx, meta Meta) (Result, error) {
		return s.applyIn(ctx, tx, set, meta, progress)
	})
}

// writeLogged runs in, a change that the log records with meta (made
// normal first), in a write transaction (writeTx), and returns its result.
func (s *DB) writeLogged(ctx context.Context, meta Meta, in func(tx *sql.Tx, meta Meta) (Result, error)) (Result, error) {
	meta, err := meta.normal()
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = in(tx, meta)
		return err
	})
	return res, err
}

// applyIn is Apply in the write transaction tx, which the caller commits:
// a change recorded together with something else (a submission accepted)
// commits with it or not at all.
func (s *DB) applyIn(ctx context.Context, tx *sql.Tx, set *registry.Set, meta Meta, progress Progress) (Result, error) {
	var res Result
	var size int64
	if err := tx.QueryRowContext(ctx, s.d.lockHead).Scan(&size); err != nil {
		return res, fmt.Errorf("lock log head: %w", err)
	}
	tw := newTxWriter(ctx, s.d, tx, s.tiers.projector())
	tw.tiersBulk = len(set.Deployments) > s.d.tiersInline
	defer tw.wait() // on an early return; flush already waited otherwise
	if errs, err := retractedIn(tw, set); err != nil {
		return res, err
	} else if len(errs) > 0 {
		return res, &CheckError{errs} // a retracted id stays retracted
	}
	// On SQLite the batch is checked while it is written, and the
	// transaction commits only once the check has passed: a batch that
	// fails it still writes nothing, and the writing need not wait.
	exists, err := tw.stmt("SELECT 1 FROM entities WHERE kind = $1 AND id = $2")
	if err != nil {
		return res, err
	}
	check := func() []*registry.RecordError {
		known := map[registry.EntityID]bool{} // a batch refers to few jurisdictions and vendors, many times
		return set.Check(func(kind, id string) bool {
			k := registry.EntityID{Kind: kind, ID: id}
			if !known[k] {
				var one int
				known[k] = exists.QueryRowContext(ctx, kind, id).Scan(&one) == nil
			}
			return known[k]
		})
	}
	checked := make(chan []*registry.RecordError, 1)
	if s.d.interleave {
		go func() { checked <- check() }()
	} else if errs := check(); len(errs) > 0 {
		return res, &CheckError{errs}
	} else {
		checked <- nil
	}
	w, err := fill(tw, set, meta, size, progress, &res)
	if errs := <-checked; len(errs) > 0 {
		return res, &CheckError{errs}
	}
	if err != nil || w.size == size {
		return res, err
	}
	return res, w.finish(s.key)
}

// fill appends what differs in a batch to the log and projects it,
// counting the changes in res, and returns the writer to finish with.
func fill(tw *txWriter, set *registry.Set, meta Meta, size int64, progress Progress, res *Result) (*writer, error) {
	w := &writer{txWriter: tw, size: size, hashes: hashCache{read: tw.queryRow, mem: map[int64]tlog.Hash{}}}
	ents := set.Entities()
	have, err := currentStates(tw, ents)
	if err != nil {
		return nil, err
	}
	for i, e := range ents {
		state, err := registry.Canonical(e)
		if err != nil {
			return nil, err
		}
		cur, ok := have[registry.EntityID{Kind: e.Kind(), ID: e.Key()}]
		if err := w.put(e, state, cur, ok, meta, res); err != nil {
			return nil, err
		}
		if progress != nil && (i%256 == 255 || i == len(ents)-1) {
			progress(i+1, len(ents))
		}
	}
	res.Size = w.size
	return w, w.flush()
}

// put logs e, whose canonical state is state, as a revision when it
// differs from cur, the register's current state of it (held says whether
// there is one), and projects it; it counts what it did in res.
func (w *writer) put(e registry.Entity, state, cur []byte, held bool, meta Meta, res *Result) error {
	op := "update"
	switch {
	case !held:
		op = "create"
	case bytes.Equal(cur, state):
		res.Unchanged++
		return nil
	}
	rev := &registry.Revision{Seq: w.size, Kind: e.Kind(), ID: e.Key(), Op: op, Author: meta.Author, Reason: meta.Reason,
		Contributor: meta.Contributor, Time: meta.Time, State: state}
	if err := w.append(rev); err != nil {
		return err
	}
	if op == "update" {
		if err := w.deleteRows(e.Kind(), e.Key()); err != nil {
			return err
		}
	}
	if err := w.project(e, rev.Seq, state); err != nil {
		return err
	}
	if op == "create" {
		res.Created++
	} else {
		res.Updated++
	}
	return nil
}

// currentStates reads the current state of those of ents the register
// holds, a few hundred a query. Reading them before any row is written
// leaves the writing goroutine the connection to itself.
func currentStates(tw *txWriter, ents []registry.Entity) (map[registry.EntityID][]byte, error) {
	byKind := map[string][]string{}
	for _, e := range ents {
		byKind[e.Kind()] = append(byKind[e.Kind()], e.Key())
	}
	out := map[registry.EntityID][]byte{}
	for kind, ids := range byKind {
		err := eachState(tw.ctx, tw.tx, tw.d, kind, ids, func(id string, state []byte) error {
			out[registry.EntityID{Kind: kind, ID: id}] = state
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eachState calls fn with the id and current state of each of the
// entities kind/ids the register holds, a few hundred a query.
func eachState(ctx context.Context, q querier, d dialect, kind string, ids []string, fn func(id string, state []byte) error) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		list, err := json.Marshal(ids[:n])
		if err != nil {
			return err
		}
		ids = ids[n:]
		rows, err := q.QueryContext(ctx, "SELECT id, state FROM entities WHERE kind = $1 AND "+d.inJSON("id", "$2"), kind, string(list))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var state []byte
			if err := rows.Scan(&id, &state); err != nil {
				rows.Close()
				return err
			}
			if err := fn(id, state); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// deleteRows deletes an entity's rows from the tables of its kind.
func (w *txWriter) deleteRows(kind, id string) error {
	if kind == "deployment" {
		if err := w.uncount(id); err != nil {
			return err
		}
		if err := w.deleteTiers(id); err != nil {
			return err
		}
	}
	for _, t := range kindTables[kind] {
		q := "DELETE FROM " + t.name + " WHERE " + t.owner + " = $1"
		args := []any{id}
		if t.delete != "" {
			q = t.delete
		} else if t.kindCol {
			q += " AND kind = $2"
			args = append(args, kind)
		}
		if err := w.exec(q, args...); err != nil {
			return err
		}
	}
	return nil
}

// writer appends revisions to the log within one transaction.
type writer struct {
	*txWriter
	size   int64
	hashes hashCache
	salts  saltPool
}

// append logs rev in format 2 (registry.Format2): its leaf in the
// revisions table, its salt and content in revision_content.
func (w *writer) append(rev *registry.Revision) error {
	salt, err := w.salts.next()
	if err != nil {
		return err
	}
	rec, content, err := rev.Seal(salt) // its state is Canonical's
	if err != nil {
		return err
	}
	hs, err := ledger.Append(rev.Seq, rec, &w.hashes)
	if err != nil {
		return err
	}
	if err := w.insert(row{tRevisions, []any{rev.Seq, rev.Kind, rev.ID, rev.Op, rev.Author, createdAt(rev.Time), string(rec)}},
		row{tRevisionContent, []any{rev.Seq, salt, string(content)}}); err != nil {
		return err
	}
	base := tlog.StoredHashIndex(0, rev.Seq)
	for i, h := range hs {
		idx := base + int64(i)
		w.hashes.mem[idx] = h
		if err := w.insert(row{tTreeHashes, []any{idx, h[:]}}); err != nil {
			return err
		}
	}
	w.size++
	w.hashes.keep(w.size)
	return nil
}

// A saltPool hands out fresh random salts, reading the system's random
// source once for many of them: an import salts 100,000 revisions.
type saltPool struct{ buf []byte }

// saltsPerRead is how many salts one read of the random source makes.
const saltsPerRead = 256

func (p *saltPool) next() ([]byte, error) {
	if len(p.buf) == 0 {
		p.buf = make([]byte, saltsPerRead*registry.SaltSize)
		if _, err := rand.Read(p.buf); err != nil {
			return nil, fmt.Errorf("salt: %w", err)
		}
	}
	// Each salt is its own slice of the buffer, which is never written
	// again: the inserts that hold it may not have run yet.
	s := p.buf[:registry.SaltSize:registry.SaltSize]
	p.buf = p.buf[registry.SaltSize:]
	return s, nil
}

// finish moves the log head and stores a signed checkpoint of the new tree.
func (w *writer) finish(key *ledger.Key) error {
	root, err := tlog.TreeHash(w.size, &w.hashes)
	if err != nil {
		return err
	}
	signed, err := key.Sign(ledger.Checkpoint{Origin: key.Verifier.Name(), Size: w.size, Hash: root})
	if err != nil {
		return err
	}
	if err := w.exec("INSERT INTO checkpoints (size, signed) VALUES ($1, $2)", w.size, string(signed)); err != nil {
		return err
	}
	return w.exec("UPDATE log_head SET size = $1 WHERE id = 1", w.size)
}

// hashCache reads stored hashes with read, remembering the ones this
// transaction wrote, which may not be in the table yet.
type hashCache struct {
	read func(q string, args ...any) *sql.Row
	mem  map[int64]tlog.Hash
}

// keep forgets every remembered hash but those of the complete subtrees
// that make up a tree of size records, at most one a level: they are all
// that appending to the tree, or hashing it, reads. So the hashes a long
// import remembers stay a few dozen however many records it appends.
func (c *hashCache) keep(size int64) {
	var need [64]int64
	n := 0
	for level := 0; size>>level > 0; level++ {
		if size>>level&1 == 1 {
			need[n] = tlog.StoredHashIndex(level, size>>level-1)
			n++
		}
	}
	for idx := range c.mem {
		if !slices.Contains(need[:n], idx) {
			delete(c.mem, idx)
		}
	}
}

func (c *hashCache) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if h, ok := c.mem[x]; ok {
			out[i] = h
			continue
		}
		var b []byte
		if err := c.read("SELECT hash FROM tree_hashes WHERE idx = $1", x).Scan(&b); err != nil {
			return nil, fmt.Errorf("tree hash %d: %w", x, err)
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("tree hash %d: %d bytes", x, len(b))
		}
		copy(out[i][:], b)
		if c.mem != nil {
			c.mem[x] = out[i]
		}
	}
	return out, nil
}
