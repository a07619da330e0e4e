package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
)

// integrityConns is how many connections run the parts of SQLite's
// integrity check at once, beside verify's other readers. The parts are
// CPU-bound: more than the machine's two cores only take turns.
const integrityConns = 2

// sqliteIntegrity runs SQLite's integrity_check on a WAL file in parts,
// side by side on connections of their own, and returns what they found,
// at most most messages, in a fixed order. Unless apart, the parts run one
// after another on sn: on a short log a connection of its own for each
// costs more than the checking.
//
// One PRAGMA integrity_check runs on one connection: at 1M revisions it
// alone took longer than the rest of verify together. Its parts are:
//
//   - each table's b-tree, its indexes against it and, for an FTS5 table,
//     its inverted index against its content: PRAGMA integrity_check(T),
//     which SQLite calls a partial check;
//   - the file as a whole: every page belongs to exactly one b-tree or the
//     freelist, the freelist is well formed, and the header's vacuum
//     fields agree. The partial checks leave this out; pageAccount does it.
//
// Each part reads a snapshot of its own: the file may change between
// them, but each part is whole in its snapshot, and verify starts again
// when the log moved.
func (s *DB) sqliteIntegrity(ctx context.Context, sn *Snapshot, apart bool) ([]string, error) {
	var auto int64
	if err := sn.q.QueryRowContext(ctx, "PRAGMA auto_vacuum").Scan(&auto); err != nil {
		return nil, err
	}
	if auto != 0 {
		// Pointer-map pages belong to no b-tree, which pageAccount does
		// not know of; such a file is checked whole.
		return integrityRows(ctx, sn.q, fmt.Sprintf("PRAGMA integrity_check(%d)", most))
	}
	tables, err := integrityTables(ctx, sn.q)
	if err != nil {
		return nil, err
	}
	found := make([][]string, len(tables)+1)
	g, gctx := errgroup.WithContext(ctx)
	if apart {
		g.SetLimit(integrityConns)
	} else {
		g.SetLimit(1) // one connection runs one statement at a time
	}
	part := func(i int, check func(ctx context.Context, sn *Snapshot) ([]string, error)) {
		if !apart {
			g.Go(func() (err error) {
				found[i], err = check(gctx, sn)
				return err
			})
			return
		}
		g.Go(func() error {
			sn, err := s.Snapshot(gctx)
			if err != nil {
				return err
			}
			defer sn.Close()
			found[i], err = check(gctx, sn)
			return err
		})
	}
	part(0, pageAccount)
	for i, t := range tables {
		part(i+1, func(ctx context.Context, sn *Snapshot) ([]string, error) {
			if t == tDepFTS.name {
				if err := reloadFTS(ctx, sn); err != nil {
					return nil, err
				}
			}
			return integrityRows(ctx, sn.q, "PRAGMA integrity_check("+quoteIdent(t)+")")
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	all := slices.Concat(found...)
	return all[:min(len(all), most)], nil
}

// integrityTables lists the tables the partial checks cover, the largest
// kinds first so that the two connections finish together: the search
// index, then tables by their number of indexes. sqlite_schema is one of
// them: its check reads the schema's own b-tree.
func integrityTables(ctx context.Context, q querier) ([]string, error) {
	names, err := queryStrings(ctx, q, `
SELECT t.name FROM sqlite_schema AS t
WHERE t.type = 'table'
ORDER BY t.sql LIKE 'CREATE VIRTUAL TABLE%' DESC,
    (SELECT count(*) FROM sqlite_schema AS i WHERE i.type = 'index' AND i.tbl_name = t.name) DESC, t.name`)
	return append(names, "sqlite_schema"), err
}

// reloadFTS opens a cursor on the search index. FTS5 reloads the index
// structure it caches per connection when a cursor opens on the table,
// not when integrity_check reads it: a connection of the pool that read
// the index before another rewrote it would check the old structure
// against the new content.
func reloadFTS(ctx context.Context, sn *Snapshot) error {
	var one int64
	return sn.q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT rowid FROM "+tDepFTS.name+" LIMIT 1)").Scan(&one)
}

// integrityRows runs an integrity_check pragma and returns its messages
// other than "ok".
func integrityRows(ctx context.Context, q querier, pragma string) ([]string, error) {
	msgs, err := queryStrings(ctx, q, pragma)
	return slices.DeleteFunc(msgs, func(m string) bool { return m == "ok" }), err
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// pendingByte is the offset of the byte SQLite locks files with; the page
// holding it is never used (SQLite's PENDING_BYTE).
const pendingByte = 0x40000000

// pageAccount is the part of integrity_check that a partial check leaves
// out, for a file without auto-vacuum: the freelist, walked from the
// header, and the pages of every b-tree (dbstat) together hold every page
// of the file but the pending-byte page, each exactly once; and the
// header does not claim incremental vacuum. The messages are SQLite's.
func pageAccount(ctx context.Context, sn *Snapshot) ([]string, error) {
	var found []string
	say := func(format string, args ...any) {
		if len(found) < most {
			found = append(found, fmt.Sprintf(format, args...))
		}
	}
	var pages, size int64
	if err := sn.q.QueryRowContext(ctx, "SELECT (SELECT page_count FROM pragma_page_count()), (SELECT page_size FROM pragma_page_size())").Scan(&pages, &size); err != nil {
		return nil, err
	}
	if pages == 0 {
		return nil, nil
	}
	used := make([]bool, pages+1)
	mark := func(p int64, what string) bool {
		switch {
		case p < 1 || p > pages:
			say("%s: invalid page number %d", what, p)
			return false
		case used[p]:
			say("%s: 2nd reference to page %d", what, p)
			return false
		}
		used[p] = true
		return true
	}
	if p := pendingByte/size + 1; p <= pages {
		used[p] = true
	}
	first, err := readPage(ctx, sn, 1)
	if err != nil {
		return nil, err
	}
	if len(first) < 100 {
		say("page 1 is %d bytes, not a database header", len(first))
		return found, nil
	}
	if binary.BigEndian.Uint32(first[64:]) != 0 {
		say("incremental_vacuum enabled with a max rootpage of zero")
	}
	if err := walkFreelist(ctx, sn, first, size, mark, say); err != nil {
		return nil, err
	}
	rows, err := sn.q.QueryContext(ctx, "SELECT name, pageno FROM dbstat")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var p int64
		if err := rows.Scan(&name, &p); err != nil {
			return nil, err
		}
		mark(p, name)
	}
	if err := rows.Err(); err != nil {
		// dbstat stops at a b-tree too damaged to walk, which that
		// table's own check names; the pages after it are not counted.
		say("the pages could not all be counted: %v", err)
		return found, nil
	}
	for p := int64(1); p <= pages; p++ {
		if !used[p] {
			say("Page %d: never used", p)
		}
	}
	return found, nil
}

// walkFreelist marks the pages of the freelist whose first trunk page and
// length the header (page 1) gives, as SQLite's checkList does.
func walkFreelist(ctx context.Context, sn *Snapshot, header []byte, size int64, mark func(int64, string) bool, say func(string, ...any)) error {
	trunk := int64(binary.BigEndian.Uint32(header[32:]))
	left := int64(binary.BigEndian.Uint32(header[36:]))
	for trunk != 0 && left > 0 {
		if !mark(trunk, "Freelist") {
			return nil
		}
		left--
		data, err := readPage(ctx, sn, trunk)
		if err != nil {
			return err
		}
		n := int64(binary.BigEndian.Uint32(data[4:]))
		if n > size/4-2 {
			say("Freelist: freelist leaf count too big on page %d", trunk)
			return nil
		}
		for i := range n {
			mark(int64(binary.BigEndian.Uint32(data[8+4*i:])), "Freelist")
		}
		left -= n
		trunk = int64(binary.BigEndian.Uint32(data[0:]))
	}
	if left != 0 || trunk != 0 {
		say("Freelist: size is %d but should be %d", binary.BigEndian.Uint32(header[36:]), int64(binary.BigEndian.Uint32(header[36:]))-left)
	}
	return nil
}

// readPage reads one page of the file as the snapshot sees it (the
// write-ahead log's copy where there is one).
func readPage(ctx context.Context, sn *Snapshot, p int64) ([]byte, error) {
	var data []byte
	err := sn.q.QueryRowContext(ctx, "SELECT data FROM sqlite_dbpage WHERE pgno = ?", p).Scan(&data)
	if err == nil && len(data) < 8 {
		err = fmt.Errorf("page %d of the file is %d bytes", p, len(data))
	}
	return data, err
}
