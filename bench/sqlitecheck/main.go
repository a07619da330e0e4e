// Command sqlitecheck times statements on a SQLite file opened read-only,
// each on a connection of its own and all at once, and prints each one's
// wall time, then the CPU time of the whole process (user + sys, from
// getrusage). docs/performance.md uses it to price the parts of SQLite's
// integrity check at 1M revisions:
//
//	go build -o sqlitecheck ./bench/sqlitecheck
//	./sqlitecheck DIR/oversight.db "PRAGMA quick_check"
//	./sqlitecheck DIR/oversight.db "PRAGMA integrity_check(deployments)"
//
// A statement's rows other than "ok" are printed.
package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"oversight/bench/internal/readonly"
)

func main() {
	db := readonly.Open(os.Args, 3, "sqlitecheck FILE STATEMENT...")
	defer db.Close()
	var wg sync.WaitGroup
	start, cpu := time.Now(), readonly.CPUSeconds()
	for _, q := range os.Args[2:] {
		wg.Go(func() {
			t := time.Now()
			rows, err := db.Query(q)
			if err != nil {
				fmt.Printf("%s: %v\n", q, err)
				return
			}
			defer rows.Close()
			for rows.Next() {
				var msg string
				if err := rows.Scan(&msg); err != nil {
					fmt.Printf("%s: %v\n", q, err)
					return
				}
				if msg != "ok" {
					fmt.Printf("%s: %s\n", q, msg)
				}
			}
			if err := rows.Err(); err != nil {
				fmt.Printf("%s: %v\n", q, err)
			}
			fmt.Printf("%s: %.2f s wall\n", q, time.Since(t).Seconds())
		})
	}
	wg.Wait()
	fmt.Printf("all: %.2f s wall, %.2f s CPU\n", time.Since(start).Seconds(), readonly.CPUSeconds()-cpu)
}
