// Command versus loads Oversight and PocketBase, serving the same
// deployments, with the same kinds of uncached query, and prints each
// one's rate, latency and the ratio between them.
//
//	go run ./bench/versus -oversight http://127.0.0.1:8090 -pocketbase http://127.0.0.1:8091
//	go run ./bench/versus -oversight http://127.0.0.1:8090 -base http://127.0.0.1:8092 # two builds
//
// Every request is a query that server has not been asked before (a new
// cursor, year range, country or word), so Oversight's response cache
// answers none of them; PocketBase has no response cache. The servers are
// loaded one at a time, in turn, kind by kind, run after run (the order of
// the two swapped from one run to the next), so that other work on the
// machine weighs on both alike; the figures are the medians of the runs.
// Before timing, it checks that both answer the same ids to the same
// queries (full text apart: Oversight matches word prefixes in its index,
// PocketBase substrings).
//
// Requests go only to the two servers, which must be on this machine.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	ov := flag.String("oversight", "http://127.0.0.1:8090", "the Oversight server, on loopback")
	pb := flag.String("pocketbase", "http://127.0.0.1:8091", "the PocketBase server, on loopback")
	base := flag.String("base", "", "another Oversight server (another build, say) to compare with instead of PocketBase")
	n := flag.Int("deployments", 100000, "how many synthetic deployments both hold (ids synthetic-00000000…)")
	runs := flag.Int("runs", 5, "runs of each kind on each server")
	dur := flag.Duration("for", 5*time.Second, "how long one run loads one server")
	conns := flag.Int("conns", 16, "clients sending one request after another")
	timeout := flag.Duration("timeout", 10*time.Second, "a request not answered by then counts as a timeout")
	only := flag.String("kinds", "", "comma-separated kinds to run (default: all)")
	pids := flag.String("pids", "", "the two servers' process ids, comma-separated, to print the CPU time they spent a request")
	flag.Parse()
	servers := []*server{newServer("Oversight", *ov, oversightURL, "prefix", *timeout), newServer("PocketBase", *pb, pocketbaseURL, "substring", *timeout)}
	if *base != "" {
		servers[1] = newServer("base", *base, oversightURL, "prefix", *timeout)
	}
	if *pids != "" {
		if _, err := fmt.Sscanf(*pids, "%d,%d", &servers[0].pid, &servers[1].pid); err != nil {
			log.Fatalf("-pids %s: want two process ids, comma-separated", *pids)
		}
	}
	for _, s := range servers {
		u, err := url.Parse(s.base)
		if err != nil || !loopback(u.Hostname()) {
			log.Fatalf("%s: must be a server on loopback", s.base)
		}
	}
	selected := kinds
	if *only != "" {
		selected = nil
		for _, name := range strings.Split(*only, ",") {
			i := slices.IndexFunc(kinds, func(k kind) bool { return k.name == name })
			if i < 0 {
				log.Fatalf("-kinds: no kind %q", name)
			}
			selected = append(selected, kinds[i])
		}
	}
	fmt.Printf("load average at start: %s\n", loadavg())
	g := &generator{n: *n, seen: map[string]bool{}}
	r := rand.New(rand.NewPCG(18, 5))
	for _, k := range selected {
		if err := same(servers, g, k, r); err != nil {
			log.Fatal(err)
		}
	}
	res := map[string][2]*series{}
	for _, k := range selected {
		res[k.name] = [2]*series{{}, {}}
	}
	for run := range *runs {
		for _, k := range selected {
			for j := range 2 {
				i := (run + j) % 2 // the first server first in even runs, the second in odd
				res[k.name][i].add(load(servers[i], g, k, *conns, *dur, uint64(run)))
			}
		}
		fmt.Fprintf(os.Stderr, "run %d of %d done, load average %s\n", run+1, *runs, loadavg())
	}
	fmt.Printf("load average at end: %s\n", loadavg())
	fmt.Printf("%d clients, %d runs of %s on each server for each kind; req/s is the median of the runs (each run's in parentheses),\n", *conns, *runs, *dur)
	fmt.Printf("p50 and p99 over all their requests, CPU the server's CPU time per request (median of the runs; with -pids)\n\n")
	a, b := servers[0].name, servers[1].name
	fmt.Printf("| uncached query, page of 50 | %s req/s | p50 ms | p99 ms | CPU ms | %s req/s | p50 ms | p99 ms | CPU ms | %[1]s / %[2]s |\n", a, b)
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	for _, k := range selected {
		o, p := res[k.name][0], res[k.name][1]
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f× |\n", k.title,
			o.rates(), ms(o.quantile(0.5)), ms(o.quantile(0.99)), o.cpuPer(),
			p.rates(), ms(p.quantile(0.5)), ms(p.quantile(0.99)), p.cpuPer(), o.median()/p.median())
	}
	for _, k := range selected {
		for i, s := range servers {
			if e := res[k.name][i].failures(); e != "" {
				fmt.Printf("%s, %s: %s\n", s.name, k.name, e)
			}
		}
	}
}

// load runs conns clients against one server for d, each sending queries
// of kind k that server was never asked, and returns what they saw.
func load(s *server, g *generator, k kind, conns int, d time.Duration, seed uint64) *run {
	out := &run{}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start, cpu := time.Now(), cpuTime(s.pid)
	var wg sync.WaitGroup
	for c := range conns {
		r := rand.New(rand.NewPCG(seed, uint64(c)))
		wg.Go(func() {
			for ctx.Err() == nil {
				q := g.next(s.name, k, r)
				t := time.Now()
				_, err := s.get(q, false)
				out.record(time.Since(t), err)
			}
		})
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	if s.pid != 0 {
		out.cpu = cpuTime(s.pid) - cpu
	}
	return out
}

// same asks both servers a few queries of kind k and fails unless they
// answer the same ids (or, for full text, unless both answer some).
func same(servers []*server, g *generator, k kind, r *rand.Rand) error {
	for range 5 {
		q := g.next("check", k, r)
		var got [2][]string
		for i, s := range servers {
			ids, err := s.get(q, true)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", s.name, k.name, err)
			}
			got[i] = ids
		}
		if k.name == "text" && servers[0].words != servers[1].words {
			if len(got[0]) == 0 || len(got[1]) == 0 {
				return fmt.Errorf("%s: %+v: %s answered %d ids, %s %d", k.name, q, servers[0].name, len(got[0]), servers[1].name, len(got[1]))
			}
			continue
		}
		if !slices.Equal(got[0], got[1]) {
			return fmt.Errorf("%s: %+v: the servers differ:\n%s: %v\n%s: %v", k.name, q, servers[0].name, got[0], servers[1].name, got[1])
		}
	}
	return nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func loopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}
