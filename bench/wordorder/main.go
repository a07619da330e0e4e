// Command wordorder measures what the word lists (deployment_words) cost
// to write apart from the rest of an import: it reads a register's word
// rows and inserts them into a new file as the store's writer would (its
// settings, INSERT OR FAIL of 512 rows a statement, one transaction), in
// the order and layout asked, and prints the CPU seconds the insert took.
//
//	go run ./bench/wordorder -data DIR -layout by-deployment
//	go run ./bench/wordorder -data DIR -layout by-word        # sorted by (word, id) first
//	go run ./bench/wordorder -data DIR -layout no-index       # without the list by deployment
//	go run ./bench/wordorder -data DIR -layout integer-ids    # ids as integers (synthetic registers)
//	go run ./bench/wordorder -data DIR -layout sorted-no-index  # sorted by (word, id), no list by deployment
//	go run ./bench/wordorder -data DIR -layout index-after    # the list by deployment made by CREATE INDEX after the rows
//	go run ./bench/wordorder -data DIR -layout staged         # rows to a plain table, then sorted into the list by word, then the index
//
// The register is opened read-only; the new file is made in a temporary
// directory and removed.
package main

import (
	"cmp"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

// layouts are the ways -layout writes the rows (see the package comment).
var layouts = []string{"by-deployment", "by-word", "no-index", "integer-ids", "sorted-no-index", "index-after", "staged"}

func main() {
	dir := flag.String("data", "", "data directory of the register to read the word rows from")
	layout := flag.String("layout", "by-deployment", strings.Join(layouts, ", "))
	rows := flag.Int("rows", 0, "read at most this many rows (0: all)")
	flag.Parse()
	if *dir == "" {
		log.Fatal("usage: wordorder -data DIR [-layout L] [-rows N]")
	}
	if !slices.Contains(layouts, *layout) {
		log.Fatalf("-layout %q: want one of %s", *layout, strings.Join(layouts, ", "))
	}
	pairs, err := read(filepath.Join(*dir, "oversight.db"), *rows)
	if err != nil {
		log.Fatal(err)
	}
	if *layout == "by-word" || *layout == "sorted-no-index" {
		slices.SortFunc(pairs, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[1], b[1]), cmp.Compare(a[0], b[0])) })
	}
	tmp, err := os.MkdirTemp("", "wordorder")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	cpu, wall, err := write(filepath.Join(tmp, "w.db"), *layout, pairs)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d rows, %.2f CPU s, %.2f s wall\n", *layout, len(pairs), cpu, wall.Seconds())
}

// read returns the register's word rows as (deployment id, word), in the
// order an import writes them: by deployment.
func read(path string, most int) ([][2]string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	q := "SELECT deployment_id, word FROM deployment_words ORDER BY deployment_id, word"
	if most > 0 {
		q += " LIMIT " + strconv.Itoa(most)
	}
	rs, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var pairs [][2]string
	for rs.Next() {
		var p [2]string
		if err := rs.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		pairs = append(pairs, p)
	}
	return pairs, rs.Err()
}

// write inserts pairs into a new file at path in layout, returning the
// CPU seconds and the wall time of the transaction alone.
func write(path, layout string, pairs [][2]string) (float64, time.Duration, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	setup := []string{"PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY",
		"CREATE TABLE deployment_words (word TEXT NOT NULL, deployment_id TEXT NOT NULL, PRIMARY KEY (word, deployment_id)) WITHOUT ROWID"}
	// after runs once the rows are in, inside the transaction.
	var after []string
	switch layout {
	case "no-index", "sorted-no-index":
	case "index-after":
		after = []string{"CREATE INDEX deployment_words_deployment ON deployment_words (deployment_id)"}
	case "staged":
		setup = append(setup, "CREATE TEMP TABLE staging (deployment_id TEXT NOT NULL, word TEXT NOT NULL)")
		after = []string{"INSERT INTO deployment_words (word, deployment_id) SELECT word, deployment_id FROM staging ORDER BY word, deployment_id",
			"CREATE INDEX deployment_words_deployment ON deployment_words (deployment_id)"}
	default:
		setup = append(setup, "CREATE INDEX deployment_words_deployment ON deployment_words (deployment_id)")
	}
	for _, q := range setup {
		if _, err := db.Exec(q); err != nil {
			return 0, 0, err
		}
	}
	const per = 512
	cpu0, t0 := cpuSeconds(), time.Now()
	tx, err := db.Begin()
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	into := "deployment_words"
	if layout == "staged" {
		into = "staging"
	}
	insert := func(n int) string {
		return "INSERT OR FAIL INTO " + into + " (deployment_id, word) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", ")
	}
	st, err := tx.Prepare(insert(per))
	if err != nil {
		return 0, 0, err
	}
	vals := make([]any, 0, 2*per)
	for i, p := range pairs {
		var id any = p[0]
		if layout == "integer-ids" {
			n, err := strconv.ParseInt(p[0][strings.LastIndexByte(p[0], '-')+1:], 10, 64)
			if err != nil {
				return 0, 0, fmt.Errorf("integer-ids needs a synthetic register: %w", err)
			}
			id = n
		}
		vals = append(vals, id, p[1])
		if len(vals) == cap(vals) || i == len(pairs)-1 {
			s := st
			if len(vals) < cap(vals) {
				if s, err = tx.Prepare(insert(len(vals) / 2)); err != nil {
					return 0, 0, err
				}
			}
			if _, err := s.Exec(vals...); err != nil {
				return 0, 0, err
			}
			vals = vals[:0]
		}
	}
	for _, q := range after {
		if _, err := tx.Exec(q); err != nil {
			return 0, 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	return cpuSeconds() - cpu0, time.Since(t0), nil
}

// cpuSeconds is the process's user and system time so far.
func cpuSeconds() float64 {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}
