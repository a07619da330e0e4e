package budget

import "fmt"

// WritesGCPercent is the collector's GOGC for a process that writes a
// large batch (Writes). An import keeps about 22 MB live at 100k
// deployments; at the default of 100 the collector ran every 22 MB
// allocated. With 400 and the soft limit, an import of 100k took 4% less
// CPU and gen 9% less, for a peak 5-34 MB higher (docs/performance.md,
// "Import speed, 6 Dec (night)"). The soft limit (Split.Go) is then what
// bounds the heap.
const WritesGCPercent = 400

// writerCacheMost is the most of a write budget given to the writer's
// page cache: 128 MiB, SQLite's cache_size of 64 MiB at 8 KiB a 4 KiB
// page, what the writer has kept since imports stream (store's
// writerCache); a cache_size of 128 MiB took a streamed import to 340 MB
// for no speed measured.
const writerCacheMost = 128 << 20

// Writes divides total for a process that writes one large batch
// (oversight import or gen): its writing connection's cache, one reading
// connection beside it, and Go's heap. Unlike a server's, Go's share holds
// no caches: it is the batch in flight and the import's index of the ids
// it has seen, which grows with the file, so that the soft limit, not the
// live heap doubled, bounds it at a million deployments.
func Writes(total int64) (Split, error) {
	if total < Minimum {
		return Split{}, fmt.Errorf("memory budget %d MB: at least %d MB", total>>20, Minimum>>20)
	}
	s := Split{Total: total, Fixed: fixed, Conns: 2, ReaderCache: readerCache, ConnOther: connOther}
	// Three sevenths of the budget, at most writerCacheMost: at the
	// default of 300 MB the writer keeps its 128 MiB and Go has 114 MB.
	s.WriterCache = min(writerCacheMost, total*3/7)
	s.Go = total - s.Fixed - s.WriterCache - int64(s.Conns)*(s.ReaderCache+s.ConnOther)
	return s, nil
}
