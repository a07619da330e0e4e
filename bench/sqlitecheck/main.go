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
	"database/sql"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: sqlitecheck FILE STATEMENT...")
		os.Exit(2)
	}
	db, err := sql.Open("sqlite", "file:"+os.Args[1]+"?mode=ro")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	var wg sync.WaitGroup
	start, cpu := time.Now(), cpuSeconds()
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
	fmt.Printf("all: %.2f s wall, %.2f s CPU\n", time.Since(start).Seconds(), cpuSeconds()-cpu)
}
