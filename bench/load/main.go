// Command load drives an Oversight server with a mix of cached and
// uncached requests and prints what it answered.
//
// With -rate 0 it measures capacity: -conns clients send requests one
// after another for -for, and it prints the rate they were served at. With
// -rate R it sends R requests a second on a fixed schedule whatever the
// server does (open loop: a slow server does not slow the load down, as
// real users do not wait for each other), and prints the answers by status,
// the latency of the requests the server accepted (p50, p95, p99, max: all of
// them, the uncached kinds together, and each kind, marked cached or
// uncached), and the server's peak resident memory when -pid names it.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -rate 0 -for 10s
//	go run ./bench/load -url http://127.0.0.1:8080 -rate 400 -for 60s -pid 1234
//
// Requests go only to -url, which must be on this machine.
package main

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the server, on loopback")
	rate := flag.Float64("rate", 0, "requests per second (0: measure capacity with -conns clients)")
	conns := flag.Int("conns", 16, "clients when measuring capacity")
	dur := flag.Duration("for", 10*time.Second, "how long to send")
	n := flag.Int("deployments", 1000, "how many synthetic deployments the register holds (ids synthetic-00000000…)")
	cached := flag.Float64("cached", 0.5, "share of requests for URLs asked again and again")
	pid := flag.Int("pid", 0, "the server's process id, to read its peak resident memory")
	timeout := flag.Duration("timeout", 10*time.Second, "a request not answered by then counts as a timeout")
	slow := flag.Duration("slow", 0, "print each request that takes longer than this or times out, with when it was sent (0: none)")
	only := flag.String("only", "", "send only requests of this kind, as the results name it (\"search page\", say), drawn from the same mix")
	seed := flag.Uint64("seed", 1, "the requests' random sequence: a run with another seed asks for URLs a run before did not (its answers are not in the response cache)")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil || !loopback(u.Hostname()) {
		log.Fatalf("-url %s: must be a server on loopback", *base)
	}
	client := &http.Client{Timeout: *timeout, Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 1024}}
	if *only != "" && !slices.Contains(kinds(), *only) {
		log.Fatalf("-only %q: not a kind of request; one of %q", *only, kinds())
	}
	if *only == cachedKind && *cached <= 0 || *only != "" && *only != cachedKind && *cached >= 1 {
		log.Fatalf("-only %q with -cached %g: the mix holds no such request", *only, *cached)
	}
	mix := &mix{n: *n, cached: *cached, only: *only}
	res := results{slow: *slow}
	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	start := time.Now()
	res.start = start
	var wg sync.WaitGroup
	if *rate <= 0 {
		for c := range *conns {
			r := rand.New(rand.NewPCG(*seed, uint64(c)))
			wg.Go(func() {
				for ctx.Err() == nil {
					res.do(client, *base, mix.next(r))
				}
			})
		}
		wg.Wait()
		el := time.Since(start).Seconds()
		// The requests answered, not those shed: a 503 costs the server
		// little, so a server that sheds sooner would seem to serve more.
		fmt.Printf("capacity: %.0f req/s accepted with %d clients (%d requests, %d accepted, in %.1f s)\n",
			float64(len(res.lat))/el, *conns, res.total.Load(), len(res.lat), el)
		res.print()
		return
	}
	r := rand.New(rand.NewPCG(*seed, 1<<32))
	interval := time.Duration(float64(time.Second) / *rate)
	next := time.Now()
	for ctx.Err() == nil {
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
		path := mix.next(r)
		wg.Go(func() { res.do(client, *base, path) })
		next = next.Add(interval)
	}
	sent := res.total.Load()
	wg.Wait()
	el := time.Since(start).Seconds()
	fmt.Printf("offered: %.0f req/s for %s (%d requests; all answered after %.1f s)\n", *rate, *dur, sent, el)
	res.print()
	if *pid != 0 {
		fmt.Printf("server peak RSS: %s\n", peakRSS(*pid))
	}
}

func loopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// mix makes the request paths: a share of them from a small set asked
// again and again (the response cache answers those), the rest distinct
// (filters, cursors, records, searches no one asked for before).
type mix struct {
	n      int
	cached float64
	only   string // a kind (kindOf) to keep, the others drawn and dropped
}

var (
	hot = []string{"/", "/countries/IN", "/search", "/api/v1/deployments", "/api/v1/jurisdictions", "/frameworks/",
		"/api/v1/deployments?jurisdiction=PK", "/api/v1/vendors/huawei", "/countries/MM", "/api/v1/network"}
	codes = []string{"IN", "PK", "CN", "KZ", "MM", "TH", "MY", "ID", "PH", "VN", "KH", "LA", "SG", "KR", "JP", "AU", "NZ", "BD", "LK", "UZ", "KG"}
	techs = []string{"face_detection", "remote_biometric_identification", "lpr_anpr", "cctv", "crowd_analytics"}
	words = []string{"safe", "city", "police", "camera", "metro", "harbour", "border", "airport"}
)

func (m *mix) next(r *rand.Rand) string {
	for {
		if p := m.draw(r); m.only == "" || kindOf(p) == m.only {
			return p
		}
	}
}

// draw is one request of the mix.
func (m *mix) draw(r *rand.Rand) string {
	if r.Float64() < m.cached {
		return hot[r.IntN(len(hot))]
	}
	id := fmt.Sprintf("synthetic-%08d", r.IntN(m.n))
	switch r.IntN(8) {
	case 0:
		return "/deployments/" + id
	case 1:
		return "/api/v1/deployments/" + id
	case 2:
		return fmt.Sprintf("/api/v1/deployments?jurisdiction=%s&technology=%s&year_from=%d&limit=50",
			codes[r.IntN(len(codes))], techs[r.IntN(len(techs))], 2010+r.IntN(10))
	case 3:
		return "/api/v1/deployments?limit=50&cursor=" + base64.RawURLEncoding.EncodeToString([]byte(id))
	case 4:
		return fmt.Sprintf("/search?q=%s&jurisdiction=%s&cursor=%s", words[r.IntN(len(words))], codes[r.IntN(len(codes))],
			base64.RawURLEncoding.EncodeToString([]byte(id)))
	case 5:
		return fmt.Sprintf("/api/v1/deployments?q=%s%d&limit=20", words[r.IntN(len(words))], r.IntN(10))
	case 6:
		return fmt.Sprintf("/api/v1/deployments/%s/classification?as_of=20%02d-0%d-1%d", id, 20+r.IntN(7), 1+r.IntN(9), r.IntN(10))
	default:
		return fmt.Sprintf("/api/v1/index?as_of=20%02d-01-01", 20+r.IntN(7))
	}
}

// results counts answers by status and keeps the latencies of the
// accepted ones.
type results struct {
	total, timeouts, errs atomic.Int64
	mu                    sync.Mutex
	status                map[int]int
	noRetryAfter          int // 503s without Retry-After
	lat                   []time.Duration
	kinds                 map[string]*kindStats
	start                 time.Time     // when the load began
	slow                  time.Duration // print requests slower than this
}

func (res *results) do(c *http.Client, base, path string) {
	res.total.Add(1)
	kind := kindOf(path)
	t := time.Now()
	resp, err := c.Get(base + path)
	if res.slow > 0 && (err != nil || time.Since(t) > res.slow) {
		defer func() {
			fmt.Fprintf(os.Stderr, "slow: sent at %.2f s, %s after: %s (%v)\n", t.Sub(res.start).Seconds(), time.Since(t).Round(time.Millisecond), path, err)
		}()
	}
	if err != nil {
		if os.IsTimeout(err) || strings.Contains(err.Error(), "Timeout") {
			res.timeouts.Add(1)
			res.mu.Lock()
			res.kind(kind).timeouts++
			res.mu.Unlock()
		} else {
			res.errs.Add(1)
		}
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(t)
	res.mu.Lock()
	defer res.mu.Unlock()
	if res.status == nil {
		res.status = map[int]int{}
	}
	res.status[resp.StatusCode]++
	if resp.StatusCode == 503 && resp.Header.Get("Retry-After") == "" {
		res.noRetryAfter++
	}
	k := res.kind(kind)
	if resp.StatusCode < 500 {
		res.lat = append(res.lat, d)
		k.lat = append(k.lat, d)
	} else {
		k.refused++
	}
}

// kindStats are the answers to one kind of request.
type kindStats struct {
	lat               []time.Duration
	refused, timeouts int
}

func (res *results) kind(name string) *kindStats {
	if res.kinds == nil {
		res.kinds = map[string]*kindStats{}
	}
	k := res.kinds[name]
	if k == nil {
		k = &kindStats{}
		res.kinds[name] = k
	}
	return k
}

// cachedKind is the kind of the requests for the hot URLs, which the
// response cache answers; every other kind is a URL asked for the first
// time, answered from the register.
const cachedKind = "asked again"

// kindOf names the kind of request a path of the mix is, for the
// breakdown of latencies.
func kindOf(path string) string {
	if slices.Contains(hot, path) {
		return cachedKind
	}
	for _, k := range prefixKinds {
		if strings.HasPrefix(path, k.prefix) {
			return k.name
		}
	}
	if strings.HasSuffix(strings.SplitN(path, "?", 2)[0], "/classification") {
		return "classification at a date"
	}
	return "API deployment"
}

// prefixKinds names the kinds of request told apart by how their path
// starts.
var prefixKinds = []struct{ prefix, name string }{
	{"/deployments/", "deployment page"},
	{"/api/v1/deployments?jurisdiction=", "API list, filtered"},
	{"/api/v1/deployments?limit=50&cursor=", "API list, a cursor"},
	{"/api/v1/deployments?q=", "API search"},
	{"/search?", "search page"},
	{"/api/v1/index?", "index at a date"},
}

// kinds lists every kind kindOf names.
func kinds() []string {
	out := []string{cachedKind, "classification at a date", "API deployment"}
	for _, k := range prefixKinds {
		out = append(out, k.name)
	}
	return out
}

func (res *results) print() {
	res.mu.Lock()
	defer res.mu.Unlock()
	var codes []int
	for c := range res.status {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var parts []string
	other5xx := 0
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d: %d", c, res.status[c]))
		if c >= 500 && c != 503 {
			other5xx += res.status[c]
		}
	}
	fmt.Printf("answers: %s; timeouts: %d; connection errors: %d\n", strings.Join(parts, ", "), res.timeouts.Load(), res.errs.Load())
	fmt.Printf("5xx other than 503: %d; 503 without Retry-After: %d\n", other5xx, res.noRetryAfter)
	if len(res.lat) > 0 {
		slices.Sort(res.lat)
		fmt.Printf("accepted: %d; latency p50 %s, p95 %s, p99 %s, max %s\n", len(res.lat), quantile(res.lat, 0.5).Round(time.Microsecond),
			quantile(res.lat, 0.95).Round(time.Microsecond), quantile(res.lat, 0.99).Round(time.Microsecond), res.lat[len(res.lat)-1].Round(time.Millisecond))
	}
	var uncached []time.Duration
	for name, k := range res.kinds {
		if name != cachedKind {
			uncached = append(uncached, k.lat...)
		}
	}
	if len(uncached) > 0 {
		slices.Sort(uncached)
		fmt.Printf("uncached accepted: %d; latency p50 %s, p95 %s, p99 %s, max %s\n", len(uncached), quantile(uncached, 0.5).Round(time.Microsecond),
			quantile(uncached, 0.95).Round(time.Microsecond), quantile(uncached, 0.99).Round(time.Microsecond), uncached[len(uncached)-1].Round(time.Millisecond))
	}
	for _, name := range slices.Sorted(maps.Keys(res.kinds)) {
		k := res.kinds[name]
		mark := "uncached"
		if name == cachedKind {
			mark = "cached"
		}
		line := fmt.Sprintf("  %-26s %-8s accepted %5d, 5xx %5d, timeouts %3d", name, mark, len(k.lat), k.refused, k.timeouts)
		if len(k.lat) > 0 {
			slices.Sort(k.lat)
			line += fmt.Sprintf(", p50 %s, p95 %s, p99 %s", quantile(k.lat, 0.5).Round(time.Millisecond),
				quantile(k.lat, 0.95).Round(time.Millisecond), quantile(k.lat, 0.99).Round(time.Millisecond))
		}
		fmt.Println(line)
	}
}

// quantile is the q-th quantile of sorted, which is not empty: the value
// below which a share q of them fall.
func quantile(sorted []time.Duration, q float64) time.Duration {
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// peakRSS reads a process's peak resident memory from /proc.
func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}
