package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"oversight/registry"
)

// Fact documents (registry.FactDoc, kind "facts") are the inputs of a
// deployment's classification, so a write of one changes the deployment's
// tiers: the tier projection of a deployment is computed from its state and
// its current facts together, in the transaction that writes either.
// Deployments come before facts in a batch, and either may come without
// the other, so a write queues the deployments whose tiers it changes and
// projects them all when it flushes (drainTiers), each with the facts the
// write leaves it.
//
// Retracting or merging a deployment retracts its fact document first, by
// a revision of its own that says why (retractFacts), so that no
// classification input leaves the register without one. A merge does not
// carry the facts to the record merged into: they describe the old
// record's system (its operator, place and dates), and the record merged
// into is classified on its own facts, which a merge must not replace
// unread.

// tDepFacts says which revision of each deployment's facts is current
// (migration 014).
var tDepFacts = &table{name: "deployment_facts", cols: []string{"deployment_id", "seq"}, owner: "deployment_id", key: 1}

// factsOf reads the current fact documents of deployments ids, by id;
// a deployment without one is absent.
func factsOf(ctx context.Context, q querier, d dialect, ids []string) (map[string]*registry.FactDoc, error) {
	out := map[string]*registry.FactDoc{}
	err := eachState(ctx, q, d, "facts", ids, func(id string, state []byte) error {
		e, err := registry.Decode("facts", state)
		if err != nil {
			return fmt.Errorf("facts %s: %w", id, err)
		}
		out[id] = e.(*registry.FactDoc)
		return nil
	})
	return out, err
}

// factsFor reads the current fact documents of deployments ds, in their
// order, nil for a deployment without one.
func factsFor(ctx context.Context, q querier, d dialect, ds []*registry.Deployment) ([]*registry.FactDoc, error) {
	ids := make([]string, len(ds))
	for i, dep := range ds {
		ids[i] = dep.ID
	}
	held, err := factsOf(ctx, q, d, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*registry.FactDoc, len(ds))
	for i, id := range ids {
		out[i] = held[id]
	}
	return out, nil
}

// factsWritten notes that a write gives deployment id the fact document f,
// nil when it retracts them, and queues or marks pending the deployment's
// tiers. A deployment this write holds is queued already; one it does not
// hold has tiers from before the write, which it deletes. One the register
// does not hold yet (its facts came first in a stream) is left to its own
// write, which reads the facts noted here.
func (w *txWriter) factsWritten(id string, f *registry.FactDoc) error {
	if err := w.checkTiers(); err != nil {
		return err
	}
	w.factsIn[id] = f
	if _, ok := w.tierQueue[id]; ok || w.pendingMarked[id] {
		return nil
	}
	var state []byte
	err := w.queryRow("SELECT state FROM entities WHERE kind = 'deployment' AND id = $1", id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // not held (yet): nothing to project
	} else if err != nil {
		return err
	}
	if err := w.deleteTiers(id); err != nil {
		return err
	}
	if err := w.exec("DELETE FROM deployment_classes WHERE deployment_id = $1", id); err != nil {
		return err
	}
	if !w.tiersInline {
		if err := w.exec("DELETE FROM tier_pending WHERE deployment_id = $1", id); err != nil {
			return err
		}
		return w.markPending(id)
	}
	e, err := registry.Decode("deployment", state)
	if err != nil {
		return fmt.Errorf("deployment %s: %w", id, err)
	}
	w.tierQueue[id] = e.(*registry.Deployment)
	return nil
}

// markPending marks a deployment's tiers pending, once a write.
func (w *txWriter) markPending(id string) error {
	if w.pendingMarked[id] {
		return nil
	}
	w.pendingMarked[id] = true
	return w.insert(row{tTierPending, []any{id}})
}

// drainTiers projects the tiers of the deployments the write queued, each
// with the facts the write gave it or, failing that, the register's.
func (w *txWriter) drainTiers() error {
	if len(w.tierQueue) == 0 {
		return nil
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range w.tierQueue {
			if !yield(id) {
				return
			}
		}
	})
	var ask []string
	for _, id := range ids {
		if _, ok := w.factsIn[id]; !ok {
			ask = append(ask, id)
		}
	}
	held, err := factsOf(w.ctx, w.tx, w.d, ask)
	if err != nil {
		return err
	}
	ds := make([]*registry.Deployment, len(ids))
	fs := make([]*registry.FactDoc, len(ids))
	for i, id := range ids {
		ds[i] = w.tierQueue[id]
		if f, ok := w.factsIn[id]; ok {
			fs[i] = f
		} else {
			fs[i] = held[id]
		}
	}
	clear(w.tierQueue)
	for _, rows := range spansOf(w.tiers, ds, fs) {
		if err := w.insertProjected(rows); err != nil {
			return err
		}
	}
	return nil
}

// retractFacts logs the retraction of deployment id's fact document, if
// it has one, as its deployment is retracted or merged into another:
// tombstoned like any record, with the deployment's reason.
func retractFacts(ctx context.Context, w *writer, id, into string, meta Meta) error {
	last, err := currentSeq(ctx, w.tx, "facts", id)
	if code := registry.ErrorCode(err); code == registry.ENotFound || code == registry.EConflict {
		return nil // none, or retracted already
	} else if err != nil {
		return err
	}
	reason := "its deployment is retracted: " + meta.Reason
	if into != "" {
		reason = fmt.Sprintf("its deployment is merged into %s, which keeps its own facts: %s", into, meta.Reason)
	}
	rev := &registry.Revision{Seq: w.size, Kind: "facts", ID: id, Op: "retract", Author: meta.Author, Reason: reason, Time: meta.Time}
	if err := w.append(rev); err != nil {
		return err
	}
	// The deployment's own retraction deletes its tiers: nothing to
	// project again.
	if err := w.deleteRows("facts", id); err != nil {
		return err
	}
	return w.insert(tombstone(rev, last, true))
}

// FactRevisions gives, by deployment id, the revision of every current
// fact document (analysis.FactReader).
func (s *reader) FactRevisions(ctx context.Context) (map[string]int64, error) {
	rows, err := s.q.QueryContext(ctx, "SELECT deployment_id, seq FROM deployment_facts")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, err
		}
		out[id] = seq
	}
	return out, rows.Err()
}

// FactDocs reads the current fact documents of deployments ids, by id; a
// deployment without one is absent.
func (s *reader) FactDocs(ctx context.Context, ids []string) (map[string]*registry.FactDoc, error) {
	return factsOf(ctx, s.q, s.d, ids)
}
