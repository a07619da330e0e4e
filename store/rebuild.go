package store

import (
	"context"
	"database/sql"
	"fmt"

	"oversight/registry"
)

// Rebuild recreates every projection table from the log, in one
// transaction. It writes nothing else: not the log, its tree hashes or
// checkpoints, nor the schema, so that evidence of tampering with those
// stays for verify to find. It reads the log twice, first to find each
// entity's latest revision and then to project those, so that memory
// holds a revision number per entity rather than every state. Then it
// writes the log's stored tiles again, when it has them (SetTiles).
func (s *DB) Rebuild(ctx context.Context) (int, error) {
	n := 0
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
			return err
		}
		if s.d.resetSearch != "" {
			if _, err := tx.ExecContext(ctx, s.d.resetSearch); err != nil {
				return err
			}
		}
		for _, t := range append(allTables[:len(allTables):len(allTables)], tDepTiers, tDepSpans, tTierPending, tCounts) {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.name); err != nil {
				return err
			}
		}
		for _, t := range classTables {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		latest := map[string]int64{} // by entityKey; -1 once retracted
		tombs := map[string]row{}    // the retracted, by entityKey
		if err := eachRecord(ctx, tx, func(seq int64, r *registry.Revision, err error) error {
			if err != nil {
				return fmt.Errorf("revision %d: %w", seq, err)
			}
			k := entityKey(r.Kind, r.ID)
			switch r.Op {
			case "redact": // removes an earlier revision's content; no state changes
			case "retract":
				last, ok := latest[k]
				tombs[k] = tombstone(r, last, ok && last >= 0)
				latest[k] = -1
			default:
				delete(tombs, k)
				latest[k] = r.Seq
			}
			return nil
		}); err != nil {
			return err
		}
		tw := newTxWriter(ctx, s.d, tx, s.tiers.projector())
		tw.tiersBulk = true // every deployment: ProjectTiers classifies them after
		defer tw.wait()     // on an early return; flush already waited otherwise
		for _, t := range tombs {
			if err := tw.insert(t); err != nil {
				return err
			}
		}
		if err := eachRecord(ctx, tx, func(_ int64, r *registry.Revision, _ error) error {
			// The first pass refused records that do not decode.
			if latest[entityKey(r.Kind, r.ID)] != r.Seq {
				return nil
			}
			e, err := registry.Decode(r.Kind, r.State)
			if err != nil {
				return fmt.Errorf("%s %s: %w", r.Kind, r.ID, err)
			}
			n++
			return tw.project(e, r.Seq, r.State)
		}); err != nil {
			return err
		}
		return tw.flush()
	})
	if err == nil {
		err = s.remakeTiles(ctx)
	}
	return n, err
}

// eachRecord calls fn with every revision of the log, in order, or with
// the error that kept a record from decoding. It reads a page of records
// at a time and calls fn between reads, so that fn may write in the same
// transaction: PostgreSQL serves one query at a time on a connection.
func eachRecord(ctx context.Context, tx querier, fn func(seq int64, r *registry.Revision, err error) error) error {
	return eachRecordIn(ctx, tx, 0, -1, fn)
}

// eachRecordIn is eachRecord for the revisions from seq from up to to, not
// included; a negative to reads to the end. Each comes with its content
// (registry.OpenRecord), or Redacted.
func eachRecordIn(ctx context.Context, tx querier, from, to int64, fn func(seq int64, r *registry.Revision, err error) error) error {
	const page = 1000
	for last := from - 1; to < 0 || last+1 < to; {
		q := fmt.Sprintf("SELECT r.seq, %s FROM %s WHERE r.seq > $1 ORDER BY r.seq LIMIT %d", recordCols, withContent, page)
		args := []any{last}
		if to >= 0 {
			q = fmt.Sprintf("SELECT r.seq, %s FROM %s WHERE r.seq > $1 AND r.seq < $2 ORDER BY r.seq LIMIT %d", recordCols, withContent, page)
			args = append(args, to)
		}
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		type read struct {
			seq int64
			r   *registry.Revision
			err error
		}
		var recs []read
		for rows.Next() {
			var rec, salt, content []byte
			if err := rows.Scan(&last, &rec, &salt, &content); err != nil {
				rows.Close()
				return err
			}
			r, err := registry.OpenRecord(rec, salt, content)
			recs = append(recs, read{last, r, err})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, rd := range recs {
			if err := fn(rd.seq, rd.r, rd.err); err != nil {
				return err
			}
		}
		if len(recs) < page {
			return nil
		}
	}
	return nil
}
