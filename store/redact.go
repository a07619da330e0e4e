package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/registry"
)

// Redaction removes a revision's content from the public record and
// leaves the log whole. A format-2 revision's leaf holds a commitment to
// its content, not the content (registry.Format2), so deleting the
// content and its salt from revision_content changes no leaf, no tree
// hash, no checkpoint and no proof. The redaction is itself a revision,
// op "redact", which names the revision redacted (Revision.Redacts) and
// says why; it changes no entity's state.
//
// Only content that is no longer the register's current state can be
// redacted: the current state is what the tables, the pages and the API
// show, and what verify and rebuild replay the log to, so removing it
// would leave a register that its log cannot explain. To remove a current
// state, update the record (or retract it) first, then redact the
// revision that held it. A retraction or a redaction is not redacted: its
// reason is the public explanation of a removal (a tombstone keeps a
// retraction's). A format-1 revision (written before format 2) is not
// redacted either: its leaf is the hash of its content itself, which
// cannot be removed from the entry bundles without breaking them
// (docs/log-format.md).

// Redact deletes the salt and content of revision n, and logs the
// redaction as a revision with the reason, in one transaction that signs
// a new checkpoint. The reason is required (registry.CheckReason). A
// revision that does not exist is ENotFound; one that cannot be redacted
// (see above), or was already, is EConflict, naming why; either way
// nothing is written.
func (s *DB) Redact(ctx context.Context, n int64, meta Meta) (*registry.Redaction, error) {
	meta, err := meta.reasoned()
	if err != nil {
		return nil, err
	}
	var out *registry.Redaction
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		var size int64
		if err := tx.QueryRowContext(ctx, s.d.lockHead).Scan(&size); err != nil {
			return fmt.Errorf("lock log head: %w", err)
		}
		r, err := redactable(ctx, tx, n, size)
		if err != nil {
			return err
		}
		tw := newTxWriter(ctx, s.d, tx, nil)
		defer tw.wait()
		w := &writer{txWriter: tw, size: size, hashes: hashCache{read: tw.queryRow, mem: map[int64]tlog.Hash{}}}
		rev := &registry.Revision{Seq: size, Kind: r.Kind, ID: r.ID, Op: "redact", Redacts: &n, Author: meta.Author, Reason: meta.Reason, Time: meta.Time}
		if err := w.exec("DELETE FROM revision_content WHERE seq = $1", n); err != nil {
			return err
		}
		if err := w.append(rev); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		out = &registry.Redaction{Seq: n, By: rev.Seq, Reason: rev.Reason, Time: rev.Time}
		return w.finish(s.key)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// redactable reads revision n of a log of size revisions, returning an
// error that says why when it cannot be redacted.
func redactable(ctx context.Context, tx querier, n, size int64) (*registry.Revision, error) {
	if n < 0 || n >= size {
		return nil, registry.NotFound(fmt.Sprintf("revision %d (the log holds revisions 0 to %d)", n, size-1))
	}
	var rec, salt, content []byte
	if err := tx.QueryRowContext(ctx, "SELECT "+recordCols+" FROM "+withContent+" WHERE r.seq = $1", n).Scan(&rec, &salt, &content); err != nil {
		return nil, fmt.Errorf("revision %d: %w", n, err)
	}
	r, err := registry.OpenRecord(rec, salt, content)
	if err != nil {
		return nil, err
	}
	switch {
	case r.Format != registry.Format2:
		return nil, registry.Conflict(fmt.Sprintf("revision %d is a format-1 record, written before redaction existed: its leaf hashes its content itself, which cannot leave the log's entry bundles without breaking them (docs/log-format.md)", n))
	case r.Op == "redact":
		return nil, registry.Conflict(fmt.Sprintf("revision %d is a redaction: a redaction is not redacted", n))
	case r.Op == "retract":
		return nil, registry.Conflict(fmt.Sprintf("revision %d is a retraction: its reason is the public explanation of the retraction, and is not redacted", n))
	case r.Redacted:
		red, err := redactionOf(ctx, tx, r)
		if err != nil {
			return nil, err
		}
		return nil, registry.Conflict(fmt.Sprintf("revision %d was already redacted by revision %d on %s: %s", n, red.By, red.Time.Format("2006-01-02"), registry.Clip(red.Reason)))
	}
	var cur int64
	err = tx.QueryRowContext(ctx, "SELECT seq FROM entities WHERE kind = $1 AND id = $2", r.Kind, r.ID).Scan(&cur)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err == nil && cur == n {
		return nil, registry.Conflict(fmt.Sprintf("revision %d is the current state of %s %s: update the record (or retract it) first, then redact revision %d", n, r.Kind, registry.Clip(r.ID), n))
	}
	return r, nil
}

// redactionOf returns the redaction of the redacted revision r, reading
// its entity's redactions from the log.
func redactionOf(ctx context.Context, q querier, r *registry.Revision) (*registry.Redaction, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+recordCols+" FROM "+withContent+" WHERE r.kind = $1 AND r.entity_id = $2 AND r.op = 'redact' AND r.seq > $3 ORDER BY r.seq", r.Kind, r.ID, r.Seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var rec, salt, content []byte
		if err := rows.Scan(&rec, &salt, &content); err != nil {
			return nil, err
		}
		red, err := registry.OpenRecord(rec, salt, content)
		if err != nil {
			return nil, err
		}
		if *red.Redacts == r.Seq {
			return &registry.Redaction{Seq: r.Seq, By: red.Seq, Reason: red.Reason, Time: red.Time}, nil
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("revision %d: its content is missing, and no redaction in the log names it", r.Seq)
}

// Content returns the salt and content of revision n, which its leaf
// commits to (registry.Format2), as stored, unchecked. For a redacted revision the error is a
// *registry.RedactedError naming the redaction; for a format-1 revision, whose
// record holds its content, salt and content are nil.
func (s *reader) Content(ctx context.Context, n int64) (salt, content []byte, err error) {
	var rec []byte
	err = s.q.QueryRowContext(ctx, "SELECT "+recordCols+" FROM "+withContent+" WHERE r.seq = $1", n).Scan(&rec, &salt, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, registry.NotFound(fmt.Sprintf("revision %d", n))
	}
	if err != nil {
		return nil, nil, err
	}
	if salt != nil || content != nil {
		// Served as stored: the reader checks them against the
		// commitment, and must see what the register holds.
		return salt, content, nil
	}
	r, err := registry.OpenRecord(rec, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	if r.Redacted {
		red, err := redactionOf(ctx, s.q, r)
		if err != nil {
			return nil, nil, err
		}
		return nil, nil, &registry.RedactedError{Redaction: *red}
	}
	return salt, content, nil
}
