package store

import "context"

// SQLite copies its write-ahead log back into the database file at the
// commit of a transaction (wal_autocheckpoint), but only the frames no
// reader still needs; the rest wait for the next commit. After the last
// batch of a long write, read beside all along (the tiers of 1M
// deployments projected again: a log of 12.5 GB), no commit came, and
// every read went on looking each page up in the log's index
// (walFindFrame): 11% of the server's CPU at capacity ten minutes after.
// A reader that starts once the whole log is copied reads the file alone.

// CopyWAL copies into the database file what its write-ahead log holds
// that no reader still needs, without waiting for any reader, and says
// whether all of it is copied. A database without such a log (PostgreSQL
// keeps its own) has nothing to copy.
func (s *DB) CopyWAL(ctx context.Context) (bool, error) {
	if s.d.checkpoint == "" {
		return true, nil
	}
	var busy, frames, copied int64
	if err := s.db.QueryRowContext(ctx, s.d.checkpoint).Scan(&busy, &frames, &copied); err != nil {
		return false, err
	}
	// frames is -1 when the database is not in WAL mode.
	return busy == 0 && copied >= frames, nil
}
