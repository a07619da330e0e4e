package store

import (
	"context"
	"database/sql"
	"errors"
	"io"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/registry"
)

// A Stream yields the records of a batch one at a time, in the order they
// are to be logged: an import file read as it is written.
type Stream interface {
	// Next returns the next record, or io.EOF after the last. Any other
	// error ends the batch, which then writes nothing.
	Next() (registry.Entity, error)
}

// Batches of a stream are checked against the register and written
// streamBatch records at a time, or fewer when their states reach
// streamBatchBytes: one query reads the current states of a batch's
// records, and one its tombstones.
const (
	streamBatch      = 500
	streamBatchBytes = 8 << 20
)

// ApplyStream does what Apply does with the records of a stream, in one
// transaction, reading, checking and writing them as they come, so that
// memory holds a batch of records and an index of the ids seen, whatever
// the length of the stream. Records are logged in the stream's order.
//
// The checks are Apply's: each record valid, no id twice, no retracted id,
// every reference to a record of the register or of the stream, before or
// after it. A record that fails them stops the writing, but the stream is
// read on, to report every problem (up to registry.MaxErrors) in one
// *CheckError whose RecordErrors give each record's Index among the
// stream's records of its kind. Nothing is then written.
//
// A stream of more than tiersInline deployments projects the tiers of the
// first ones and leaves the rest pending, for ProjectTiers.
func (s *DB) ApplyStream(ctx context.Context, st Stream, meta Meta, progress Progress) (Result, error) {
	return s.writeLogged(ctx, meta, func(tx *sql.Tx, meta Meta) (Result, error) {
		return s.applyStreamIn(ctx, tx, st, meta, progress)
	})
}

// streamed is a record read from a stream, waiting to be written.
type streamed struct {
	e     registry.Entity
	index int // among the stream's records of its kind
	state []byte
	bulk  bool // a deployment past the first tiersInline
}

func (s *DB) applyStreamIn(ctx context.Context, tx *sql.Tx, st Stream, meta Meta, progress Progress) (Result, error) {
	var res Result
	var size int64
	if err := tx.QueryRowContext(ctx, s.d.lockHead).Scan(&size); err != nil {
		return res, err
	}
	tw := newTxWriter(ctx, s.d, tx, s.tiers.projector())
	defer tw.wait() // on an early return; flush already waited otherwise
	w := &writer{txWriter: tw, size: size, hashes: hashCache{read: tw.queryRow, mem: map[int64]tlog.Hash{}}}
	known, err := knownIn(tw)
	if err != nil {
		return res, err
	}
	retractions, err := anyRetracted(tw)
	if err != nil {
		return res, err
	}
	check := registry.NewChecker(known)
	var batch []streamed
	states, read, deployments := 0, 0, 0 // states: bytes of the batch's states
	write := func() error {
		defer func() { batch, states = batch[:0], 0 }()
		if retractions {
			if err := refuseRetracted(tw, check, batch); err != nil {
				return err
			}
		}
		if check.Failed() {
			return nil // the batch will be refused: only its checks go on
		}
		ents := make([]registry.Entity, len(batch))
		for i, r := range batch {
			ents[i] = r.e
		}
		have, err := currentStates(tw, ents)
		if err != nil {
			return err
		}
		for _, r := range batch {
			if r.bulk {
				tw.bulkTiers()
			}
			cur, held := have[registry.EntityID{Kind: r.e.Kind(), ID: r.e.Key()}]
			if err := w.put(r.e, r.state, cur, held, meta, &res); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(read, 0)
		}
		return nil
	}
	for !check.Full() {
		e, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, err
		}
		read++
		r := streamed{e: e, index: check.Add(e)}
		if _, ok := e.(*registry.Deployment); ok {
			deployments++
			r.bulk = deployments > s.d.tiersInline
		}
		if !check.Failed() { // else nothing will be written: the rest is only checked
			if r.state, err = registry.Canonical(e); err != nil {
				return res, err
			}
		}
		batch = append(batch, r)
		if states += len(r.state); len(batch) == streamBatch || states >= streamBatchBytes {
			if err := write(); err != nil {
				return res, err
			}
		}
	}
	if err := write(); err != nil {
		return res, err
	}
	if errs := check.Done(); len(errs) > 0 {
		return res, &CheckError{errs}
	}
	res.Size = w.size
	if err := w.flush(); err != nil || w.size == size {
		return res, err
	}
	return res, w.finish(s.key)
}

// bulkTiers makes the rest of a write leave its deployments' tiers
// pending, as a write of more than tiersInline deployments does: a stream
// finds out how many it holds only as it reads them.
func (w *txWriter) bulkTiers() {
	w.tiersBulk = true
	w.tiersInline = false
}

// knownIn returns a registry.Known that looks ids up in the register as
// the transaction sees it, remembering the answers: a batch names few
// jurisdictions and vendors, many times. It remembers at most a bounded
// number, forgetting them all when there are more.
func knownIn(tw *txWriter) (registry.Known, error) {
	exists, err := tw.stmt("SELECT 1 FROM entities WHERE kind = $1 AND id = $2")
	if err != nil {
		return nil, err
	}
	const most = 1 << 16
	seen := map[registry.EntityID]bool{}
	return func(kind, id string) bool {
		k := registry.EntityID{Kind: kind, ID: id}
		have, ok := seen[k]
		if !ok {
			var one int
			have = exists.QueryRowContext(tw.ctx, kind, id).Scan(&one) == nil
			if len(seen) == most {
				clear(seen)
			}
			seen[k] = have
		}
		return have
	}, nil
}

// refuseRetracted refuses each record of a batch whose id the register
// retracted.
func refuseRetracted(tw *txWriter, check *registry.Checker, batch []streamed) error {
	byKind := map[string][]string{}
	at := map[registry.EntityID]int{}
	for _, r := range batch {
		k := r.e.Kind()
		byKind[k] = append(byKind[k], r.e.Key())
		at[registry.EntityID{Kind: k, ID: r.e.Key()}] = r.index
	}
	for kind, ids := range byKind {
		found, err := tombstones(tw, kind, ids)
		if err != nil {
			return err
		}
		for _, t := range found {
			check.Refuse(kind, at[registry.EntityID{Kind: kind, ID: t.ID}], t.ID, retractedError(t))
		}
	}
	return nil
}
