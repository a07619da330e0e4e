// Command routes asks a running server for each of a list of pages and
// API answers, every one uncached, and prints what each cost: its status,
// size, wall-clock time and the server's CPU. It finds the routes whose
// first request, or any request, is slow on a register of some size (issue
// 18: "the first request of any page after a write ≤ 1 s"), beside the
// yardsticks that time a few kinds of page many times.
//
//	go run ./bench/routes -url http://127.0.0.1:8090 -pid PID [-list FILE]
//	go run ./bench/routes -url URL -pid PID -base URL2 -basepid PID2   # two builds, side by side
//
// Each path is asked for -n times, each time with one more of its last
// segment's letters percent-encoded: the same request under a URI the
// response cache, keyed by URI, has not seen. A path's first request also
// fills what the server keeps for the register's log size (facets, whole
// tables), so the first and the others are printed apart. With -base, each
// request goes to one server then the other, the order alternating.
//
// The server's CPU is read from /proc (proccpu, in steps of 10 ms): a
// request under a step shows as 0 or 10 ms. Requests go
// only to servers on this machine.
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"oversight/bench/internal/proccpu"
)

//go:embed routes.txt
var defaultList string

// A server is one server asked, and its process, whose CPU is read.
type server struct {
	name, base string
	pid        int
}

// A cost is what one request cost.
type cost struct {
	status    string
	bytes     int
	wall, cpu time.Duration
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8090", "the server, on loopback")
	pid := flag.Int("pid", 0, "its process id")
	other := flag.String("base", "", "a second server (another build) to ask the same, on loopback")
	otherPid := flag.Int("basepid", 0, "the second server's process id")
	list := flag.String("list", "", "a file of paths, one a line (# starts a comment); the default is routes.txt")
	n := flag.Int("n", 3, "requests of each path, each under another URI")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up on a request after this long")
	flag.Parse()
	servers := []server{{"A", *base, *pid}}
	if *other != "" {
		servers = append(servers, server{"B", *other, *otherPid})
	}
	for _, s := range servers {
		u, err := url.Parse(s.base)
		if err != nil || !loopback(u.Hostname()) || s.pid <= 0 {
			log.Fatalf("%s (pid %d): want a server on loopback and its process id", s.base, s.pid)
		}
	}
	text := defaultList
	if *list != "" {
		b, err := os.ReadFile(*list)
		if err != nil {
			log.Fatal(err)
		}
		text = string(b)
	}
	client := &http.Client{Timeout: *timeout}
	fmt.Printf("%-6s %-8s %10s %12s %12s %12s  %s\n", "server", "status", "bytes", "first wall", "first CPU", "rest CPU", "path")
	for round, path := range paths(text) {
		got := make([][]cost, len(servers))
		for i, v := range variants(path, *n) {
			order := []int{0, 1}[:len(servers)]
			if (round+i)%2 == 1 {
				slices.Reverse(order)
			}
			for _, k := range order {
				c, err := ask(client, servers[k], v)
				if err != nil {
					log.Fatal(err)
				}
				got[k] = append(got[k], c)
			}
		}
		for k, s := range servers {
			cs := got[k]
			var rest time.Duration
			for _, c := range cs[1:] {
				rest += c.cpu
			}
			restCPU := "-"
			if len(cs) > 1 {
				restCPU = ms(rest / time.Duration(len(cs)-1))
			}
			fmt.Printf("%-6s %-8s %10d %12s %12s %12s  %s\n", s.name, cs[0].status, cs[0].bytes, ms(cs[0].wall), ms(cs[0].cpu), restCPU, path)
		}
	}
}

// paths lists the paths of a list: one a line, spaces around it cut,
// blank lines and lines that start with # left out.
func paths(text string) []string {
	var out []string
	for line := range strings.Lines(text) {
		if p := strings.TrimSpace(line); p != "" && !strings.HasPrefix(p, "#") {
			out = append(out, p)
		}
	}
	return out
}

// variants returns up to n forms of path, each with one more letter after
// its last slash or question mark percent-encoded; path itself when it
// has no such letter.
func variants(path string, n int) []string {
	cut := max(strings.LastIndexByte(path, '/'), strings.LastIndexByte(path, '?'))
	var out []string
	for i := cut + 1; i < len(path) && len(out) < n; i++ {
		c := path[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			out = append(out, path[:i]+fmt.Sprintf("%%%02X", c)+path[i+1:])
		}
	}
	if len(out) == 0 {
		out = []string{path}
	}
	return out
}

// ask sends one request to s and reads the whole answer.
func ask(client *http.Client, s server, path string) (cost, error) {
	before, err := proccpu.Of(s.pid)
	if err != nil {
		return cost{}, err
	}
	start := time.Now()
	resp, err := client.Get(s.base + path)
	c := cost{status: "error"}
	if err == nil {
		var n int64
		n, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		c.status, c.bytes = strconv.Itoa(resp.StatusCode), int(n)
	}
	if err != nil {
		c.status = "timeout"
	}
	c.wall = time.Since(start)
	after, err := proccpu.Of(s.pid)
	c.cpu = after - before
	return c, err
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func loopback(host string) bool { return host == "127.0.0.1" || host == "localhost" || host == "::1" }
