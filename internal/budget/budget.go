// Package budget divides the memory a server may use among the parts that
// hold it, from one figure: the resident memory (RSS) the process should
// stay within, 300 MB unless the operator says otherwise (serve --memory,
// or OVERSIGHT_MEMORY).
//
// A server's memory is of three kinds, and each part of the budget bounds
// one of them:
//
//   - mapped files and the runtime's fixed cost: the binary's text, the
//     threads' stacks, SQLite's WAL index. The budget sets Fixed aside for
//     them; no setting moves them.
//   - SQLite's memory, which modernc's allocator maps outside Go's heap:
//     every connection's page cache (each has its own) and its schema and
//     statements. Conns bounds the connections, ReaderCache each reading
//     one's cache, WriterCache the cache of the one that writes.
//   - Go's heap. Go is the rest, given to the runtime as its soft limit
//     (debug.SetMemoryLimit), so that the collector runs harder near it
//     rather than letting the heap grow to twice what is live (GOGC). The
//     caches of whole responses and full tiles, the bulk of what stays
//     live, are each a share of it, so that what is left holds the
//     requests in flight.
//
// The shares were set from where the memory went at 1M deployments under
// twice the server's capacity (docs/performance.md, Overload).
package budget

import (
	"fmt"
	"strconv"
	"strings"
)

// Default is the budget when none is given: issue 12's bound on a server
// of a million deployments under overload.
const Default = 300 << 20

// Env names the environment variable that sets the budget when the
// --memory flag does not.
const Env = "OVERSIGHT_MEMORY"

// Minimum is the smallest budget accepted: below it the fixed costs alone
// would not fit.
const Minimum = 128 << 20

// Split is what each part of a server may hold, in bytes.
type Split struct {
	Total int64

	// Fixed is set aside for the binary's mapped text, stacks and the
	// runtime's own structures.
	Fixed int64

	// SQLite: connections open at most (the writer's included), the page
	// cache of each reading connection and of the writing one, and what
	// every connection holds besides its cache (schema, statements).
	Conns       int
	ReaderCache int64
	WriterCache int64
	ConnOther   int64

	// Go is the Go runtime's soft memory limit; ResponseCache and
	// TileCache bound the bytes of those caches, which live in it.
	Go            int64
	ResponseCache int64
	TileCache     int64
}

// What a server holds whatever its budget, measured at 1M deployments
// under overload (docs/performance.md): 31 MB of mapped binary and ten
// threads; and, for each SQLite connection beyond its page cache, about
// 5 MB (9 MB a connection in all, 74 MB for 8): its schema, statements,
// sorts and full-text merges, and what modernc's allocator keeps mapped
// after they are freed.
const (
	fixed       = 40 << 20
	readerCache = 4 << 20 // SQLite's default 2,000 KiB, at 8 KiB a 4 KiB page
	connOther   = 5 << 20
)

// Of divides total among the parts, for a server whose requests read
// through at most readers connections at once.
func Of(total int64, readers int) (Split, error) {
	if total < Minimum {
		return Split{}, fmt.Errorf("memory budget %d MB: at least %d MB", total>>20, Minimum>>20)
	}
	s := Split{Total: total, Fixed: fixed, ReaderCache: readerCache, ConnOther: connOther}
	// The requests' readers, as many again for what runs beside them
	// (whole-register computations, the log size, sessions), and the
	// writer; on a machine of many cores, no more than a quarter of the
	// budget holds: more requests then wait for a connection.
	perConn := s.ReaderCache + s.ConnOther
	s.Conns = max(min(2*readers+1, int(total/4/perConn)), 4)
	// An eighth of the budget for the writer: its cache keeps a batch
	// of tiers or an accepted record's pages from spilling to the log
	// mid-transaction (store.go); 37 MB of 300.
	s.WriterCache = total / 8
	s.Go = total - s.Fixed - s.WriterCache - int64(s.Conns)*perConn
	// A sixth of Go's share for whole responses, a twelfth for full
	// tiles: the rest holds the memos and the requests in flight, with
	// room for the collector to work without running all the time.
	s.ResponseCache = s.Go / 6
	s.TileCache = s.Go / 12
	return s, nil
}

// Parse reads a budget: a number of bytes with an optional unit, KB, MB or
// GB (powers of 1024, as KiB, MiB and GiB are also written); a number
// alone is in MB.
func Parse(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	unit := int64(1 << 20)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, unit = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.n
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<50)/unit {
		return 0, fmt.Errorf("memory budget %q: want a positive size such as 300MB or 1GB", v)
	}
	return n * unit, nil
}

// String gives the split in MB, for the server's log.
func (s Split) String() string {
	mb := func(n int64) string { return strconv.FormatInt(n>>20, 10) }
	return fmt.Sprintf("memory budget %s MB: fixed %s, SQLite %d connections (%s MB writer cache, %s MB per reader), Go %s (responses %s, tiles %s)",
		mb(s.Total), mb(s.Fixed), s.Conns, mb(s.WriterCache), mb(s.ReaderCache), mb(s.Go), mb(s.ResponseCache), mb(s.TileCache))
}
