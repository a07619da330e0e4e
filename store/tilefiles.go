package store

import (
	"context"

	"oversight/tilestore"
)

// SetTiles says where the log's full tiles are stored as files (a server
// writes them as it serves them): Verify then compares each with the log,
// and Rebuild makes them all again.
func (s *DB) SetTiles(f *tilestore.Files) { s.tiles = f }

// Tiles returns where the log's full tiles are stored, or nil.
func (s *DB) Tiles() *tilestore.Files { return s.tiles }

// openTiles opens a snapshot as the tiles' reader.
func (s *DB) openTiles(ctx context.Context) (tilestore.Reader, error) { return s.Snapshot(ctx) }

// verifyTiles compares every stored tile with the log lg read (see
// logTiles), and returns how many it compared.
func (s *DB) verifyTiles(ctx context.Context, lg *logCheck, bad badFunc) (int, error) {
	if s.tiles == nil {
		return 0, nil
	}
	open := func(ctx context.Context) (tilestore.Reader, error) {
		sn, err := s.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		return &logTiles{sn, &lg.tree, &lg.bundles}, nil
	}
	return s.tiles.Verify(ctx, open, func(d string) { bad("tiles", "%s", d) })
}

// remakeTiles removes the stored tiles and writes every full tile of the
// log again.
func (s *DB) remakeTiles(ctx context.Context) error {
	if s.tiles == nil {
		return nil
	}
	if err := s.tiles.Clear(); err != nil {
		return err
	}
	if _, err := s.tiles.Fill(ctx, s.openTiles); err != nil {
		return err
	}
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	return s.tiles.Bind(ctx, sn)
}
