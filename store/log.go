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
	return s.revisions(ctx, "SELECT record FROM revisions WHERE kind = $1 AND entity_id = $2 ORDER BY seq", kind, id)
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
		var rec []byte
		if err := rows.Scan(&rec); err != nil {
			return nil, err
		}
		r, err := registry.ParseRecord(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision returns the revision at a log position and its canonical record.
func (s *reader) Revision(ctx context.Context, seq int64) (*registry.Revision, []byte, error) {
	var rec []byte
	err := s.q.QueryRowContext(ctx, "SELECT record FROM revisions WHERE seq = $1", seq).Scan(&rec)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, registry.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	var r registry.Revision
	if err := json.Unmarshal(rec, &r); err != nil {
		return nil, nil, err
	}
	return &r, rec, nil
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
	return s.revisions(ctx, "SELECT record FROM revisions WHERE seq < $1 ORDER BY seq DESC LIMIT $2", before, limit)
}

// StateBefore returns an entity's state as its last revision before seq
// left it, nil when it had none or was retracted.
func (s *reader) StateBefore(ctx context.Context, kind, id string, seq int64) (json.RawMessage, error) {
	var rec []byte
	err := s.q.QueryRowContext(ctx, "SELECT record FROM revisions WHERE kind = $1 AND entity_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT 1", kind, id, seq).Scan(&rec)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	r, err := registry.ParseRecord(rec)
	if err != nil {
		return nil, err
	}
	return r.State, nil
}
