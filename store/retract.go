package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/registry"
)

// Retracting and merging. A retraction is a revision with op "retract",
// the reason and no state; a merge is a retraction whose revision names the
// record it was merged into (Revision.Into), preceded by an update of every
// record that cited the old one, so that references move only through
// logged revisions. Either way the entity's rows leave the projection
// tables and the search index, and a tombstone in the retractions table,
// itself a projection of the log, keeps it readable: the revision that
// retracted it, why, and the revision holding its last state.
//
// A retracted id stays retracted: Apply refuses to create it again, so that
// a re-import of an old file cannot bring back what was retracted, nor
// shadow the redirect of a merged id. A new record takes a new id.

// tombstone is the retractions row of entity r.Kind/r.ID, retracted by r,
// whose last state was logged at revision last (ok false when the log holds
// none). Writes, rebuild and verify all make the row with it.
func tombstone(r *registry.Revision, last int64, ok bool) row {
	var lastSeq any
	if ok {
		lastSeq = last
	}
	return row{tRetractions, []any{r.Kind, r.ID, r.Seq, lastSeq, createdAt(r.Time), r.Author, r.Reason, null(r.Into)}}
}

// Tombstone returns what the register keeps of a retracted entity, or
// ENotFound when it is not retracted.
func (s *reader) Tombstone(ctx context.Context, kind, id string) (*registry.Tombstone, error) {
	return readTombstone(ctx, s.q, kind, id)
}

func readTombstone(ctx context.Context, q querier, kind, id string) (*registry.Tombstone, error) {
	t, err := scanTombstone(q.QueryRowContext(ctx, "SELECT "+tombstoneColumns+" FROM retractions WHERE kind = $1 AND id = $2", kind, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, registry.NotFound(kind + " " + registry.Clip(id) + " retracted")
	}
	return t, err
}

// tombstoneColumns are the columns of the retractions table, in the
// order scanTombstone reads them.
var tombstoneColumns = strings.Join(tRetractions.cols, ", ")

// scanTombstone reads a tombstone from a row of tombstoneColumns.
func scanTombstone(row rowScanner) (*registry.Tombstone, error) {
	t := &registry.Tombstone{}
	var last sql.NullInt64
	var into sql.NullString
	var at string
	if err := row.Scan(&t.Kind, &t.ID, &t.Seq, &last, &at, &t.Author, &t.Reason, &into); err != nil {
		return nil, err
	}
	var err error
	if t.Time, err = time.Parse(time.RFC3339, at); err != nil {
		return nil, fmt.Errorf("tombstone of %s %s: %w", t.Kind, t.ID, err)
	}
	t.LastSeq = -1
	if last.Valid {
		t.LastSeq = last.Int64
	}
	t.Into = into.String
	return t, nil
}

// A Retraction is what Retract and Merge did.
type Retraction struct {
	Tombstone *registry.Tombstone
	// Moved lists the records a merge updated because they cited the old
	// one, each by a revision of its own, logged before the retraction.
	Moved []registry.EntityID
	Size  int64 // log size after the change
}

// Retract retracts one entity: it logs a revision with op "retract" and
// the reason, removes the entity's rows from the projection tables and the
// search index, keeps its tombstone and signs a new checkpoint, all in one
// transaction. The reason is required (registry.CheckReason).
//
// An entity that other current records cite (a vendor that deployments
// name, a jurisdiction with deployments, an instrument a safeguard names)
// is not retracted: the error, of code EConflict, names them; merge it
// into another, or edit them first. An entity already retracted is an
// EConflict too, one not in the register ENotFound.
func (s *DB) Retract(ctx context.Context, kind, id string, meta Meta) (*Retraction, error) {
	return s.retract(ctx, kind, id, "", meta)
}

func (s *DB) retract(ctx context.Context, kind, id, into string, meta Meta) (*Retraction, error) {
	if registry.New(kind) == nil {
		return nil, registry.InvalidField("kind", "unknown kind "+registry.Clip(kind), registry.Kinds.Values...)
	}
	meta, err := meta.reasoned()
	if err != nil {
		return nil, err
	}
	var out *Retraction
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.retractIn(ctx, tx, kind, id, into, meta)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// retractIn is retract in the write transaction tx, which the caller
// commits; meta has been checked.
func (s *DB) retractIn(ctx context.Context, tx *sql.Tx, kind, id, into string, meta Meta) (*Retraction, error) {
	var size int64
	if err := tx.QueryRowContext(ctx, s.d.lockHead).Scan(&size); err != nil {
		return nil, fmt.Errorf("lock log head: %w", err)
	}
	last, err := currentSeq(ctx, tx, kind, id)
	if err != nil {
		return nil, err
	}
	if into != "" {
		if _, err := currentSeq(ctx, tx, kind, into); err != nil {
			switch registry.ErrorCode(err) {
			case registry.ENotFound:
				return nil, registry.InvalidField("into", fmt.Sprintf("no current %s %q to merge into", kind, registry.Clip(into)))
			case registry.EConflict:
				return nil, registry.InvalidField("into", err.Error()+": merge into a current record")
			}
			return nil, err
		}
	}
	citing, err := citers(ctx, tx, kind, id)
	if err != nil {
		return nil, err
	}
	if into == "" && len(citing) > 0 {
		return nil, registry.Conflict(fmt.Sprintf("%s %s is cited by %s: merge it into another %s, or edit those first", kind, id, listIDs(citing), kind))
	}
	tw := newTxWriter(ctx, s.d, tx, s.tiers.projector())
	defer tw.wait()
	w := &writer{txWriter: tw, size: size, hashes: hashCache{read: tw.queryRow, mem: map[int64]tlog.Hash{}}}
	out := &Retraction{}
	for _, c := range citing {
		if err := moveReference(w, c, kind, id, into, meta); err != nil {
			return nil, err
		}
		out.Moved = append(out.Moved, registry.EntityID{Kind: c.kind, ID: c.id})
	}
	if kind == "deployment" {
		if err := retractFacts(ctx, w, id, into, meta); err != nil {
			return nil, err
		}
	}
	rev := &registry.Revision{Seq: w.size, Kind: kind, ID: id, Op: "retract", Author: meta.Author, Reason: meta.Reason, Into: into, Time: meta.Time}
	if err := w.append(rev); err != nil {
		return nil, err
	}
	if err := w.deleteRows(kind, id); err != nil {
		return nil, err
	}
	if err := w.insert(tombstone(rev, last, true)); err != nil {
		return nil, err
	}
	if kind == "facts" {
		// The deployment is classified again, from its record alone.
		if err := w.factsWritten(id, nil); err != nil {
			return nil, err
		}
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	out.Tombstone = &registry.Tombstone{Kind: kind, ID: id, Seq: rev.Seq, Time: rev.Time, Author: rev.Author, Reason: rev.Reason, Into: into, LastSeq: last}
	out.Size = w.size
	return out, w.finish(s.key)
}

// currentSeq returns the revision of an entity's current state: ENotFound
// when the register does not hold it, EConflict when it was retracted.
func currentSeq(ctx context.Context, tx querier, kind, id string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, "SELECT seq FROM entities WHERE kind = $1 AND id = $2", kind, id).Scan(&seq)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return seq, err
	}
	t, err := readTombstone(ctx, tx, kind, id)
	if err != nil {
		if registry.ErrorCode(err) == registry.ENotFound {
			return 0, registry.NotFound(kind + " " + registry.Clip(id))
		}
		return 0, err
	}
	return 0, registry.Conflict(retractedMessage(t))
}

// retractedMessage says when and why a record was retracted.
func retractedMessage(t *registry.Tombstone) string {
	if t.Merged() {
		return fmt.Sprintf("%s %s was merged into %s on %s: %s", t.Kind, registry.Clip(t.ID), t.Into, t.Time.Format("2006-01-02"), registry.Clip(t.Reason))
	}
	return fmt.Sprintf("%s %s was retracted on %s: %s", t.Kind, registry.Clip(t.ID), t.Time.Format("2006-01-02"), registry.Clip(t.Reason))
}

// retractedIn returns an error for each record of a batch whose id the
// register retracted, reading the tombstones of the batch's ids a few
// hundred at a time, and nothing at all when there are none.
func retractedIn(tw *txWriter, set *registry.Set) ([]*registry.RecordError, error) {
	if any, err := anyRetracted(tw); err != nil || !any {
		return nil, err
	}
	byKind := map[string][]string{}
	index := map[registry.EntityID]int{}
	counts := map[string]int{}
	for _, e := range set.Entities() {
		k := e.Kind()
		index[registry.EntityID{Kind: k, ID: e.Key()}] = counts[k]
		counts[k]++
		byKind[k] = append(byKind[k], e.Key())
	}
	var out []*registry.RecordError
	for kind, ids := range byKind {
		for len(ids) > 0 && len(out) < registry.MaxErrors {
			m := min(len(ids), 500)
			found, err := tombstones(tw, kind, ids[:m])
			if err != nil {
				return nil, err
			}
			ids = ids[m:]
			for _, t := range found {
				out = append(out, &registry.RecordError{Kind: kind, Index: index[registry.EntityID{Kind: kind, ID: t.ID}], ID: t.ID,
					Err: retractedError(t)})
			}
		}
	}
	return out, nil
}

// anyRetracted reports whether the register holds a tombstone: most
// registers have none, which one row read says.
func anyRetracted(tw *txWriter) (bool, error) {
	var one int
	err := tw.queryRow("SELECT 1 FROM retractions LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// tombstones reads the tombstones of those of ids, of one kind, that the
// register retracted.
func tombstones(tw *txWriter, kind string, ids []string) ([]*registry.Tombstone, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := tw.tx.QueryContext(tw.ctx, "SELECT "+tombstoneColumns+" FROM retractions WHERE kind = $1 AND "+tw.d.inJSON("id", "$2"), kind, string(list))
	return scanRows(rows, err, scanTombstone)
}

// retractedError is the problem of a record given again with an id the
// register retracted.
func retractedError(t *registry.Tombstone) *registry.FieldError {
	msg := retractedMessage(t) + "; a retracted id is not created again: give the record a new id"
	if t.Merged() {
		msg = retractedMessage(t) + "; edit " + t.Into + " instead"
	}
	return &registry.FieldError{Path: idPath(t.Kind), Msg: msg}
}

// idPath is the field a kind's id is in.
func idPath(kind string) string {
	if kind == "jurisdiction" {
		return "code"
	}
	return "id"
}
