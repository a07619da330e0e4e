package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/ledger"
	"oversight/registry"
)

// History returns the revisions of one entity, oldest first.
func (s *reader) History(ctx context.Context, kind, id string) ([]*registry.Revision, error) {
	return s.revisions(ctx, "SELECT "+recordCols+" FROM "+withContent+" WHERE r.kind = $1 AND r.entity_id = $2 ORDER BY r.seq", kind, id)
}

// A revision's record comes with its salt and content, which format-2
// records commit to and which are NULL for format 1 and once redacted:
// select recordCols from withContent and read them with openRecord.
const (
	recordCols  = "r.record, c.salt, c.content"
	withContent = "revisions r LEFT JOIN revision_content c ON c.seq = r.seq"
)

// openRecord reads a revision from its record, salt and content, as
// registry.OpenRecord does.
func openRecord(rec, salt []byte, content sql.RawBytes) (*registry.Revision, error) {
	var c []byte
	if content != nil {
		c = content
	}
	return registry.OpenRecord(rec, salt, c)
}

// revisions runs a query of revision records and reads them.
func (s *reader) revisions(ctx context.Context, query string, args ...any) ([]*registry.Revision, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*registry.Revision
	for rows.Next() {
		var rec, salt []byte
		var content sql.RawBytes
		if err := rows.Scan(&rec, &salt, &content); err != nil {
			return nil, err
		}
		r, err := openRecord(rec, salt, content)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision returns the revision at a log position, with its content
// unless it was redacted (Redacted), and its record, the leaf's bytes.
func (s *reader) Revision(ctx context.Context, seq int64) (*registry.Revision, []byte, error) {
	var rec, salt, content []byte
	err := s.q.QueryRowContext(ctx, "SELECT "+recordCols+" FROM "+withContent+" WHERE r.seq = $1", seq).Scan(&rec, &salt, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, registry.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	r, err := registry.OpenRecord(rec, salt, content)
	if err != nil {
		return nil, nil, err
	}
	return r, rec, nil
}

// Checkpoint returns the latest signed checkpoint, or ErrNotFound for an
// empty log.
func (s *reader) Checkpoint(ctx context.Context) ([]byte, ledger.Checkpoint, error) {
	var signed []byte
	err := s.q.QueryRowContext(ctx, "SELECT signed FROM checkpoints ORDER BY size DESC LIMIT 1").Scan(&signed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ledger.Checkpoint{}, registry.ErrNotFound
	}
	if err != nil {
		return nil, ledger.Checkpoint{}, err
	}
	c, err := ledger.Open(signed, s.key.Verifier)
	return signed, c, err
}

// InclusionProof proves that revision seq is in the tree of the given size.
func (s *reader) InclusionProof(ctx context.Context, seq, size int64) (tlog.RecordProof, error) {
	if seq < 0 || seq >= size {
		return nil, fmt.Errorf("revision %d is not in a tree of size %d", seq, size)
	}
	return ledger.ProveRecord(size, seq, &hashCache{read: func(q string, args ...any) *sql.Row { return s.q.QueryRowContext(ctx, q, args...) }})
}

// Size returns the number of revisions in the log.
func (s *DB) Size(ctx context.Context) (int64, error) { return s.logSize(ctx) }

func (s *reader) logSize(ctx context.Context) (int64, error) {
	var n int64
	err := s.q.QueryRowContext(ctx, "SELECT size FROM log_head WHERE id = 1").Scan(&n)
	return n, err
}

// RecentRevisions returns up to limit revisions before seq before, newest
// first.
func (s *reader) RecentRevisions(ctx context.Context, before int64, limit int) ([]*registry.Revision, error) {
	return s.revisions(ctx, "SELECT "+recordCols+" FROM "+withContent+" WHERE r.seq < $1 ORDER BY r.seq DESC LIMIT $2", before, limit)
}

// StateBefore returns an entity's state as its last revision before seq
// left it, nil when it had none or was retracted, and a
// *registry.RedactedError when that revision's content was redacted. A
// redaction changes no state, and is passed over.
func (s *reader) StateBefore(ctx context.Context, kind, id string, seq int64) (json.RawMessage, error) {
	var rec, salt, content []byte
	err := s.q.QueryRowContext(ctx, "SELECT "+recordCols+" FROM "+withContent+" WHERE r.kind = $1 AND r.entity_id = $2 AND r.seq < $3 AND r.op <> 'redact' ORDER BY r.seq DESC LIMIT 1", kind, id, seq).Scan(&rec, &salt, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	r, err := registry.OpenRecord(rec, salt, content)
	if err != nil {
		return nil, err
	}
	if r.Redacted {
		red, err := redactionOf(ctx, s.q, r)
		if err != nil {
			return nil, err
		}
		return nil, &registry.RedactedError{Redaction: *red}
	}
	return r.State, nil
}
