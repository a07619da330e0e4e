package web

import (
	"context"
	"sync"

	"oversight/analysis"
)

// factSync keeps the classifier bound to the register's fact documents,
// which another process (oversight import, retract) may change: whenever
// the log's size, read as the response cache reads it, differs from the
// one last synced, the classifier reads the revisions of the register's
// fact documents and decodes those that changed (analysis.SyncFacts).
type factSync struct {
	mu   sync.Mutex
	size int64 // the log size last synced at; -1 before the first
	cls  *analysis.Classifier
	reg  analysis.FactReader
}

// sync binds the classifier to the facts of a register of the given size,
// unless it is bound to them already. A failure leaves the facts it had,
// and the next request tries again.
func (f *factSync) sync(ctx context.Context, size int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if size == f.size {
		return nil
	}
	if err := f.cls.SyncFacts(ctx, f.reg); err != nil {
		return err
	}
	f.size = size
	return nil
}
