// Command logfloor prices the floor under verify's reading of the log: the
// revisions' rows read alone, in order, as verify's query reads them (each
// record with its salt and content), and then the same with every record
// hashed into the log's tree (tlog's leaf hash, and the interior hashes
// ledger.Tree keeps). It opens the SQLite file read-only and prints each
// pass's wall and CPU (user + sys, from getrusage):
//
//	go build -o logfloor ./bench/logfloor
//	./logfloor DIR/oversight.db
package main

import (
	"database/sql"
	"fmt"
	"os"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/bench/internal/readonly"
	"oversight/ledger"
)

// The query verify's readLog runs (store/logcheck.go), without the columns
// it compares with the record.
const query = "SELECT r.seq, r.record, c.salt, c.content FROM revisions r LEFT JOIN revision_content c ON c.seq = r.seq ORDER BY r.seq"

// pass reads every row, hashing each record into a tree when hash is set,
// and returns the rows and bytes read.
func pass(db *sql.DB, hash bool) (n, size int64, err error) {
	rows, err := db.Query(query)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var tree ledger.Tree
	for rows.Next() {
		var seq int64
		var rec, salt, content []byte
		if err := rows.Scan(&seq, &rec, &salt, &content); err != nil {
			return n, size, err
		}
		n++
		size += int64(len(rec) + len(salt) + len(content))
		if hash {
			if err := tree.AddHash(tlog.RecordHash(rec)); err != nil {
				return n, size, err
			}
		}
	}
	return n, size, rows.Err()
}

func main() {
	db := readonly.Open(os.Args, 2, "logfloor FILE")
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, hash := range []bool{false, true} {
		start, cpu := time.Now(), readonly.CPUSeconds()
		n, size, err := pass(db, hash)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		what := "rows read"
		if hash {
			what = "rows read and hashed into the tree"
		}
		fmt.Printf("%s: %d rows, %d MB, %.2f s wall, %.2f s CPU\n", what, n, size>>20, time.Since(start).Seconds(), readonly.CPUSeconds()-cpu)
	}
}
