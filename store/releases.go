package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"oversight/registry"
	"oversight/release"
)

// AddRelease names the log as it is now: its size and the checkpoint that
// signs it, under tag. A tag names one release for good.
func (s *DB) AddRelease(ctx context.Context, tag, notes string, now time.Time) (*release.Release, error) {
	if err := release.CheckTag(tag); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(notes); n > release.MaxNotes || !utf8.ValidString(notes) {
		return nil, registry.InvalidField("notes", fmt.Sprintf("at most %d characters of text (this has %d)", release.MaxNotes, n))
	}
	r := &release.Release{Tag: tag, Notes: notes, Created: now.UTC().Truncate(time.Second)}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var signed []byte
		err := tx.QueryRowContext(ctx, "SELECT h.size, c.signed FROM log_head h JOIN checkpoints c ON c.size = h.size WHERE h.id = 1").Scan(&r.Size, &signed)
		if errors.Is(err, sql.ErrNoRows) {
			return registry.Conflict("the log is empty: there is nothing to release")
		} else if err != nil {
			return err
		}
		r.Checkpoint = string(signed)
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM releases WHERE tag = $1", tag).Scan(&one); err == nil {
			return registry.Conflict(fmt.Sprintf("release %s exists already: a tag names one release for good", tag))
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO releases (tag, size, signed, notes, created_at) VALUES ($1, $2, $3, $4, $5)",
			tag, r.Size, r.Checkpoint, notes, createdAt(r.Created))
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Releases lists the releases, newest first.
func (s *reader) Releases(ctx context.Context) ([]release.Release, error) {
	rows, err := s.q.QueryContext(ctx, "SELECT tag, size, signed, notes, created_at FROM releases ORDER BY size DESC, tag")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []release.Release{}
	for rows.Next() {
		var r release.Release
		var created string
		if err := rows.Scan(&r.Tag, &r.Size, &r.Checkpoint, &r.Notes, &created); err != nil {
			return nil, err
		}
		r.Created, _ = time.Parse(time.RFC3339, created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// EachRevision calls fn with the revisions from seq from up to to, not
// included, in log order.
func (s *reader) EachRevision(ctx context.Context, from, to int64, fn func(*registry.Revision) error) error {
	next := from
	err := eachRecordIn(ctx, s.q, from, to, func(seq int64, r *registry.Revision, err error) error {
		if seq != next {
			return fmt.Errorf("revision %d is missing from the log", next)
		}
		if err != nil {
			return fmt.Errorf("revision %d: %w", seq, err)
		}
		next++
		return fn(r)
	})
	if err == nil && next < to {
		err = fmt.Errorf("revision %d is missing from the log", next)
	}
	return err
}

// ChangeCounts counts what the revisions from seq from up to to did:
// added (create), changed (update), retracted and merged (a retraction
// into another record, whose canonical record names it), and redacted
// (redact).
func (s *reader) ChangeCounts(ctx context.Context, from, to int64) (map[string]int, error) {
	out := map[string]int{release.Added: 0, release.Changed: 0, release.Retracted: 0, release.Merged: 0, release.Redacted: 0}
	rows, err := s.q.QueryContext(ctx, `SELECT op, record LIKE '%,"into":"%', count(*) FROM revisions WHERE seq >= $1 AND seq < $2 GROUP BY 1, 2`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var op string
		var into bool
		var n int
		if err := rows.Scan(&op, &into, &n); err != nil {
			return nil, err
		}
		switch {
		case op == "create":
			out[release.Added] += n
		case op == "retract" && into:
			out[release.Merged] += n
		case op == "retract":
			out[release.Retracted] += n
		case op == "redact":
			out[release.Redacted] += n
		default:
			out[release.Changed] += n
		}
	}
	return out, rows.Err()
}
