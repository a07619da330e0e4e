package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
)

// SQLite's driver (modernc.org/sqlite) prepares every query it is given
// and finalizes the statement when its rows close: it keeps none. On an
// uncached page of 50 that parse and plan was an eighth of the server's
// CPU (docs/performance.md, "A request's own cost"), more than the 0.03 ms
// SQLite takes to run the page's statement. database/sql's own *sql.Stmt
// would keep them, but a Stmt is first prepared on a connection taken from
// the pool, which a snapshot holding one of a bounded pool's connections
// could wait for forever.
//
// So each connection keeps its statements itself: a stmtConn prepares a
// query the first time its text is run on that connection, keeps the
// statement, and runs it again, reset by the driver when its rows close,
// each time the same text comes. It keeps at most maxStmts, dropping the
// least recently used; the text of a query is the key, and its arguments
// are bound anew each run. A statement whose rows are still open is not
// run again until they close: a query of the same text meanwhile is
// prepared for once, as before.

// maxStmts is how many statements a connection keeps. The queries of a
// page and its snapshot are a handful of texts; a statement takes some
// kilobytes of SQLite's memory, so the bound keeps a pool's statements
// to a few megabytes however many texts the filters make.
const maxStmts = 48

// maxStmtText is the longest query text a connection keeps a statement
// for; a longer one is prepared for each run, as the driver does. The
// filters' lists are bounded, so the store's texts stay under 2 KB (1.8 KB
// for the longest lists the bad-input tests send); the bound makes the
// keys' and statements' memory a pool's own limit, not the filters'.
const maxStmtText = 4096

// stmtConnector opens connections of a driver through stmtConn.
type stmtConnector struct {
	d   driver.Driver
	dsn string
}

// openKeeping opens a pool of the driver registered as name whose
// connections keep their prepared statements (stmtConn).
func openKeeping(name, dsn string) (*sql.DB, error) {
	db, err := sql.Open(name, "") // opens no connection; only for its driver
	if err != nil {
		return nil, err
	}
	d := db.Driver()
	db.Close()
	return sql.OpenDB(stmtConnector{d, dsn}), nil
}

func (c stmtConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dc, err := c.d.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, err := newStmtConn(dc)
	if err != nil {
		dc.Close()
		return nil, err
	}
	return sc, nil
}

func (c stmtConnector) Driver() driver.Driver { return c.d }

// The optional interfaces of a driver's connection that stmtConn passes
// through; newStmtConn requires every one of them.
type fullConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// A stmtConn is a driver connection that keeps the statements of the
// queries run on it, up to maxStmts. database/sql uses a connection from
// one goroutine at a time; mu guards the statements all the same, as a
// connection's rows are closed by whoever holds them.
type stmtConn struct {
	fullConn
	mu    sync.Mutex
	stmts map[string]*keptStmt
	clock uint64 // counts uses, for the least recently used
}

// A keptStmt is a statement a connection keeps.
type keptStmt struct {
	st      driver.Stmt
	q       driver.StmtQueryContext
	used    uint64 // the connection's clock at its last use
	busy    bool   // its rows are open
	dropped bool   // no longer kept: closed when its rows close
}

func newStmtConn(dc driver.Conn) (*stmtConn, error) {
	fc, ok := dc.(fullConn)
	if !ok {
		return nil, errors.New("store: the database driver's connections lack an interface that keeping statements needs")
	}
	return &stmtConn{fullConn: fc, stmts: make(map[string]*keptStmt)}, nil
}

// QueryContext runs query with args through the statement kept for its
// text, preparing and keeping it first if need be.
func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ks, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if ks == nil { // its statement is busy, or not kept
		return c.fullConn.QueryContext(ctx, query, args)
	}
	rows, err := ks.q.QueryContext(ctx, args)
	if err != nil {
		c.give(ks)
		return nil, err
	}
	return &keptRows{Rows: rows, c: c, ks: ks}, nil
}

// take returns the statement kept for query, marked busy: prepared now if
// none was kept, nil if the one kept is busy or the text is too long to
// keep.
func (c *stmtConn) take(ctx context.Context, query string) (*keptStmt, error) {
	if len(query) > maxStmtText {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clock++
	if ks := c.stmts[query]; ks != nil {
		if ks.busy {
			return nil, nil
		}
		ks.busy, ks.used = true, c.clock
		return ks, nil
	}
	st, err := c.fullConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	q, ok := st.(driver.StmtQueryContext)
	if !ok {
		st.Close()
		return nil, errors.New("store: the database driver's statements lack QueryContext")
	}
	if len(c.stmts) >= maxStmts {
		c.dropOldest()
	}
	ks := &keptStmt{st: st, q: q, used: c.clock, busy: true}
	c.stmts[query] = ks
	return ks, nil
}

// dropOldest stops keeping the least recently used statement, closing it
// unless its rows are open (then give closes it).
func (c *stmtConn) dropOldest() {
	var oldest string
	var o *keptStmt
	for q, ks := range c.stmts {
		if o == nil || ks.used < o.used {
			oldest, o = q, ks
		}
	}
	delete(c.stmts, oldest)
	o.dropped = true
	if !o.busy {
		o.st.Close()
	}
}

// give marks ks free again, once its rows are closed.
func (c *stmtConn) give(ks *keptStmt) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ks.busy = false
	if ks.dropped {
		return ks.st.Close()
	}
	return nil
}

// Close closes the statements kept, then the connection.
func (c *stmtConn) Close() error {
	c.mu.Lock()
	var errs []error
	for q, ks := range c.stmts {
		delete(c.stmts, q)
		ks.dropped = true
		if !ks.busy {
			errs = append(errs, ks.st.Close())
		}
	}
	c.mu.Unlock()
	return errors.Join(append(errs, c.fullConn.Close())...)
}

// keptRows are the rows of a kept statement, which Close gives back.
type keptRows struct {
	driver.Rows
	c  *stmtConn
	ks *keptStmt
}

func (r *keptRows) Close() error {
	err := r.Rows.Close() // resets the statement
	if r.ks != nil {
		err = errors.Join(err, r.c.give(r.ks))
		r.ks = nil
	}
	return err
}
