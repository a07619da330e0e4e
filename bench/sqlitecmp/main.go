// Command sqlitecmp compares Oversight's uncached API with SQLite itself:
// for each query of a fixed list of filtered pages of 50 deployments, it
// times the server's answer (/api/v1/deployments?…) and sqlite3 running,
// on the same database file, a hand-written statement that returns the
// same 50 current states; it checks that both give the same deployments
// in the same order, and prints the ratio of their times.
//
// Each request is distinct, so that the server's response cache, keyed by
// the request's URI, never answers: the i-th request writes some letters
// of its parameters' values percent-encoded, which the server decodes to
// the same query. The server's time is measured twice: wall-clock at the
// client (median), and the CPU its process spent (user and system, from
// /proc, over all the requests of the query, per request). sqlite3's is
// the CPU time .timer reports (median of warm runs): the fair comparison
// is CPU against CPU, as a loaded machine stretches wall-clock times.
//
//	go run ./bench/sqlitecmp -url http://127.0.0.1:41050 -db DIR/oversight.db -pid PID
//
// bench/sqlite.sh starts the server and runs it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"oversight/bench/internal/proccpu"
)

// A query is a page of the API and the statement that returns its rows.
type query struct {
	name   string
	params string // the API's query string, without limit
	sql    string // the same 50 current states, in order
	cursor bool   // time the page after the first, from its cursor
}

func main() {
	base := flag.String("url", "http://127.0.0.1:41050", "the server, on this machine")
	dbFile := flag.String("db", "", "the server's SQLite database file")
	pid := flag.Int("pid", 0, "the server's process id, to read its CPU time")
	n := flag.Int("n", 90, "distinct requests, and sqlite3 runs, per query: the API's CPU is read in 10 ms ticks, so 90 requests give steps of 0.11 ms")
	bin := flag.String("sqlite3", "sqlite3", "the sqlite3 command")
	same := flag.Bool("same", false, "send the same URI every time, for a server without a response cache (the bare one), so that -n may pass the distinct forms a query has")
	only := flag.String("only", "", "time only the queries whose name holds this text")
	bare := flag.String("bare", "", "serve the bare floor server on this address instead of timing (bare.go)")
	most := flag.Duration("for", time.Minute, "send a query's requests for at most this long, and time those sent: the bare server's plan for a page can take many seconds a request, and 300 of them held a core for hours")
	flag.Parse()
	if *bare != "" && *dbFile != "" {
		serveBare(*bare, *dbFile)
		return
	}
	if *dbFile == "" || *pid == 0 {
		log.Fatal("usage: sqlitecmp -url URL -db FILE -pid PID")
	}
	fmt.Printf("%-44s %10s %10s %10s %8s %8s\n", "query (page of 50)", "API wall", "API CPU", "sqlite3", "CPU/CPU", "wall/CPU")
	var ratios []float64
	for _, q := range queries {
		if !strings.Contains(q.name, *only) {
			continue
		}
		params := q.params + "&limit=50"
		stmt := q.sql
		if q.cursor {
			first, err := get(*base, params)
			if err != nil {
				log.Fatalf("%s: %v", q.name, err)
			}
			if first.Next == "" {
				log.Fatalf("%s: no page after the first", q.name)
			}
			params += "&cursor=" + first.Next
			stmt = after(stmt, first.Items[len(first.Items)-1].ID)
		}
		// Once, for the ids to compare and to warm the server up.
		page, err := get(*base, params)
		if err != nil {
			log.Fatalf("%s: %v", q.name, err)
		}
		ids, sqlTime, err := runSQLite(*bin, *dbFile, stmt, *n)
		if err != nil {
			log.Fatalf("%s: sqlite3: %v", q.name, err)
		}
		if !slices.Equal(ids, page.ids()) {
			log.Fatalf("%s: sqlite3 gave %d deployments %v…, the API %d %v…", q.name, len(ids), head(ids), len(page.Items), head(page.ids()))
		}
		var walls []float64
		cpu0, start := cpuOf(*pid), time.Now()
		for i := 1; i <= *n && (i == 1 || time.Since(start) < *most); i++ {
			t := time.Now()
			uri := params
			if !*same {
				uri = distinct(params, i)
			}
			if _, err := get(*base, uri); err != nil {
				log.Fatalf("%s: %v", q.name, err)
			}
			walls = append(walls, time.Since(t).Seconds())
		}
		apiCPU := (cpuOf(*pid) - cpu0) / float64(len(walls))
		wall := median(walls)
		ratios = append(ratios, apiCPU/sqlTime)
		fmt.Printf("%-44s %9.2fms %9.2fms %9.3fms %7.1fx %7.1fx", q.name, wall*1e3, apiCPU*1e3, sqlTime*1e3, apiCPU/sqlTime, wall/sqlTime)
		if len(walls) < *n {
			fmt.Printf("  (%d of %d requests, -for %v)", len(walls), *n, *most)
		}
		fmt.Println()
	}
	fmt.Printf("median CPU/CPU ratio %.1fx, largest %.1fx\n", median(ratios), slices.Max(ratios))
}

// A page is the part of the API's answer compared.
type page struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	Next string `json:"next"`
}

func (p page) ids() []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.ID)
	}
	return out
}

func head(ids []string) []string { return ids[:min(3, len(ids))] }

func get(base, params string) (page, error) {
	var p page
	resp, err := http.Get(base + "/api/v1/deployments?" + params)
	if err != nil {
		return p, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return p, err
	}
	if resp.StatusCode != 200 {
		return p, fmt.Errorf("%s: %s: %.200s", params, resp.Status, body)
	}
	return p, json.Unmarshal(body, &p)
}

// distinct writes params with some of their letters and digits
// percent-encoded, as the bits of i say: the same query (the server
// decodes names and values alike), under another URI.
func distinct(params string, i int) string {
	at := encodable(params)
	if len(at) < 62 && i >= 1<<len(at) {
		log.Fatalf("%q: too few letters and digits for %d distinct requests", params, i)
	}
	var b strings.Builder
	last := 0
	for bit, j := range at {
		if i>>bit&1 == 1 {
			fmt.Fprintf(&b, "%s%%%02X", params[last:j], params[j])
			last = j + 1
		}
	}
	b.WriteString(params[last:])
	return b.String()
}

// encodable are the offsets in params of the ASCII letters and digits
// distinct may encode: all but the digits of an escape already there. The
// digits count too, so that the plain list's "&limit=50" has 128 forms.
func encodable(params string) []int {
	var at []int
	for j := 0; j < len(params); j++ {
		switch c := params[j]; {
		case c == '%':
			j += 2
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
			at = append(at, j)
		}
	}
	return at
}

// runSQLite runs stmt in sqlite3 on file, read only: once for its ids,
// then n times timed, and returns the ids and the median CPU time.
func runSQLite(bin, file, stmt string, n int) ([]string, float64, error) {
	idStmt := "SELECT json_extract(state, '$.id') FROM (" + stmt + ");\n"
	script := idStmt + ".output /dev/null\n.timer on\n" + strings.Repeat(stmt+";\n", n+1)
	cmd := exec.Command(bin, "-readonly", "-bail", file)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, 0, fmt.Errorf("%v: %s", err, out)
	}
	var ids []string
	var times []float64
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 8 && f[0] == "Run" {
			u, _ := strconv.ParseFloat(f[5], 64)
			s, _ := strconv.ParseFloat(f[7], 64)
			times = append(times, u+s)
			continue
		}
		if line != "" {
			ids = append(ids, line)
		}
	}
	if len(times) < 2 {
		return nil, 0, fmt.Errorf("no times in %q", out)
	}
	return ids, median(times[1:]), nil // the first run warms the cache
}

// cpuOf is the CPU time of process pid, in seconds (proccpu).
func cpuOf(pid int) float64 {
	d, err := proccpu.Of(pid)
	if err != nil {
		log.Fatal(err)
	}
	return d.Seconds()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
