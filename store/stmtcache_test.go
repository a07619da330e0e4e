package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// keptConn opens a pool that keeps statements on a new database of n rows
// and returns one connection of it.
func keptConn(t *testing.T, n int) (*sql.Conn, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := openKeeping("sqlite", "file:"+filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (i INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (?)", i); err != nil {
			t.Fatal(err)
		}
	}
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, db
}

// kept returns how many statements c keeps, and the text of each.
func kept(t *testing.T, c *sql.Conn) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := c.Raw(func(dc any) error {
		sc := dc.(*stmtConn)
		sc.mu.Lock()
		defer sc.mu.Unlock()
		for q := range sc.stmts {
			out[q] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sumBelow(t *testing.T, c *sql.Conn, q string, below int) int {
	t.Helper()
	var s int
	if err := c.QueryRowContext(context.Background(), q, below).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStmtConnKeepsAndRebinds(t *testing.T) {
	c, _ := keptConn(t, 10)
	const q = "SELECT coalesce(sum(i), 0) FROM t WHERE i < ?"
	for below, want := range map[int]int{3: 3, 5: 10, 0: 0, 10: 45} {
		if got := sumBelow(t, c, q, below); got != want {
			t.Errorf("sum below %d: %d, want %d", below, got, want)
		}
	}
	var st *keptStmt
	c.Raw(func(dc any) error { st = dc.(*stmtConn).stmts[q]; return nil })
	if st == nil || st.busy {
		t.Fatalf("statement kept %v, want one, not busy", st)
	}
	sumBelow(t, c, q, 4)
	var again *keptStmt
	c.Raw(func(dc any) error { again = dc.(*stmtConn).stmts[q]; return nil })
	if again != st {
		t.Error("the statement was prepared again")
	}
}

// A query of the same text while the rows of the first are open runs on
// a statement of its own, and both read every row.
func TestStmtConnSameTextNested(t *testing.T) {
	c, _ := keptConn(t, 5)
	ctx := context.Background()
	const q = "SELECT i FROM t WHERE i >= ? ORDER BY i"
	outer, err := c.QueryContext(ctx, q, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var i int
		if err := outer.Scan(&i); err != nil {
			t.Fatal(err)
		}
		inner, err := c.QueryContext(ctx, q, i)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for inner.Next() {
			n++
		}
		if err := inner.Close(); err != nil || n != 5-i {
			t.Errorf("inner query from %d: %d rows, %v; want %d", i, n, err, 5-i)
		}
		got = append(got, fmt.Sprint(i))
	}
	outer.Close()
	if fmt.Sprint(got) != "[0 1 2 3 4]" {
		t.Errorf("rows %v", got)
	}
}

// Past maxStmts, the least recently used statement is dropped and every
// query still answers.
func TestStmtConnDropsOldest(t *testing.T) {
	c, _ := keptConn(t, 3)
	first := "SELECT count(*) FROM t WHERE i < ? -- 0"
	sumBelow(t, c, first, 2)
	for i := 1; i <= maxStmts; i++ {
		q := fmt.Sprintf("SELECT count(*) FROM t WHERE i < ? -- %d", i)
		if got := sumBelow(t, c, q, 2); got != 2 {
			t.Fatalf("%s: %d", q, got)
		}
	}
	k := kept(t, c)
	if len(k) != maxStmts || k[first] {
		t.Errorf("kept %d statements, the first among them: %v; want %d, not the first", len(k), k[first], maxStmts)
	}
	if got := sumBelow(t, c, first, 3); got != 3 {
		t.Errorf("the dropped query prepared again: %d, want 3", got)
	}
}

// A statement that fails to prepare is neither kept nor run.
func TestStmtConnBadQuery(t *testing.T) {
	c, _ := keptConn(t, 1)
	if _, err := c.QueryContext(context.Background(), "SELECT nothing FROM nowhere"); err == nil {
		t.Fatal("a query of a missing table ran")
	}
	if k := kept(t, c); len(k) != 0 {
		t.Errorf("kept %v", k)
	}
}

// A statement whose run fails, or whose rows are closed by a context
// ended midway, stays kept and answers the next run: the driver resets it
// on the error, so nothing of the failed run is left bound or open.
func TestStmtConnAfterError(t *testing.T) {
	c, _ := keptConn(t, 100)
	bg := context.Background()
	const abs = "SELECT abs(?)"
	var n int64
	if err := c.QueryRowContext(bg, abs, int64(math.MinInt64)).Scan(&n); err == nil {
		t.Fatal("abs of the least int64 ran")
	}
	if err := c.QueryRowContext(bg, abs, -5).Scan(&n); err != nil || n != 5 {
		t.Errorf("after a failed run: %d, %v; want 5", n, err)
	}
	const all = "SELECT i FROM t ORDER BY i"
	ctx, cancel := context.WithCancel(bg)
	rows, err := c.QueryContext(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	cancel()
	for rows.Next() {
	}
	rows.Close()
	got := 0
	rows, err = c.QueryContext(bg, all)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		got++
	}
	if err := rows.Close(); err != nil || got != 100 {
		t.Errorf("after a cancelled run: %d rows, %v; want 100", got, err)
	}
	c.Raw(func(dc any) error {
		for _, q := range []string{abs, all} {
			if ks := dc.(*stmtConn).stmts[q]; ks == nil || ks.busy {
				t.Errorf("%s: kept %v, want kept and free", q, ks)
			}
		}
		return nil
	})
}

// A query longer than maxStmtText runs, and is not kept.
func TestStmtConnLongTextNotKept(t *testing.T) {
	c, _ := keptConn(t, 4)
	long := "SELECT count(*) FROM t WHERE i < ? -- " + strings.Repeat("x", maxStmtText)
	if got := sumBelow(t, c, long, 3); got != 3 {
		t.Fatalf("the long query: %d, want 3", got)
	}
	short := "SELECT count(*) FROM t WHERE i < ?"
	sumBelow(t, c, short, 2)
	if k := kept(t, c); len(k) != 1 || !k[short] {
		t.Errorf("kept %d statements (the short one: %v), want the short one alone", len(k), k[short])
	}
}
