// Package readonly is what the bench programs that time statements on a
// SQLite file share: the file opened read-only, and the process's CPU.
package readonly

import (
	"database/sql"
	"fmt"
	"os"
	"syscall"

	_ "modernc.org/sqlite"
)

// CPUSeconds returns the process's user and system CPU so far, in seconds
// (getrusage).
func CPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// Open opens the SQLite file named by args[1] read-only, after checking
// that args holds at least min arguments; otherwise it prints usage and
// exits.
func Open(args []string, min int, usage string) *sql.DB {
	if len(args) < min {
		fmt.Fprintln(os.Stderr, "usage:", usage)
		os.Exit(2)
	}
	db, err := sql.Open("sqlite", "file:"+args[1]+"?mode=ro")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return db
}
