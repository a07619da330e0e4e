package cli

import (
	"context"
	"fmt"
	"log/slog"

	"oversight/store"
	"oversight/tilestore"
)

// bindTiles removes stored tiles that are not the register's log's (the
// database was replaced and the data directory kept), before any is
// served.
func bindTiles(ctx context.Context, db *store.DB) error {
	sn, err := db.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	if err := db.Tiles().Bind(ctx, sn); err != nil {
		return fmt.Errorf("the log's tiles in %s: %w", db.Tiles().Dir(), err)
	}
	return nil
}

// fillTiles stores the full tiles a register made before they were
// stored lacks, once, while the server serves: a tile asked for first is
// made and stored as it is served.
func fillTiles(ctx context.Context, db *store.DB) {
	n, err := db.Tiles().Fill(ctx, func(ctx context.Context) (tilestore.Reader, error) { return db.Snapshot(ctx) })
	if err != nil && ctx.Err() == nil {
		slog.Error("storing the log's tiles", "dir", db.Tiles().Dir(), "err", err)
	} else if n > 0 {
		slog.Info("stored the log's tiles", "tiles", n, "dir", db.Tiles().Dir())
	}
}
