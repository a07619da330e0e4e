package cli

import (
	"context"
	"log/slog"
	"time"

	"oversight/store"
)

// keepUp writes the tiers of deployments that other processes left pending
// (a bulk import, say), checking each time the log grows, and copies the
// database's write-ahead log into its file until all of it is copied
// (store.DB.CopyWAL), every ten seconds, until ctx is done. The server's
// own writes project their tiers as they write.
func keepUp(ctx context.Context, db *store.DB) {
	var last int64 = -1
	copied := false
	for {
		if size, err := db.Size(ctx); err == nil && size != last {
			if n, err := db.ProjectTiers(ctx); err != nil {
				slog.Error("projecting tiers", "err", err)
			} else if n > 0 {
				slog.Info("projected tiers", "deployments", n)
			}
			last, copied = size, false
		}
		if !copied {
			var err error
			if copied, err = db.CopyWAL(ctx); err != nil && ctx.Err() == nil {
				slog.Error("copying the write-ahead log", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(10 * time.Second):
		}
	}
}
