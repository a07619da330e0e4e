package store

import (
	"context"
	"database/sql"
)

// AddCosignature keeps a witness's cosignature of the checkpoint of a log
// size, replacing an earlier one of that witness for that size.
func (s *DB) AddCosignature(ctx context.Context, size int64, witness, line string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM cosignatures WHERE size = $1 AND witness = $2", size, witness); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO cosignatures (size, witness, line) VALUES ($1, $2, $3)", size, witness, line)
		return err
	})
}

// Cosignatures returns the witnesses' signature lines of the checkpoint of
// a log size, by witness name.
func (s *reader) Cosignatures(ctx context.Context, size int64) ([]string, error) {
	return queryStrings(ctx, s.q, "SELECT line FROM cosignatures WHERE size = $1 ORDER BY witness", size)
}
