package cli

import (
	"database/sql"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/metrics"
	"strings"
	"time"
)

// debugAddrEnv names the loopback address on which serve answers
// /debug/pprof/ (Go's profiles: heap, goroutines, CPU) and /debug/memory
// (where the process's memory is), for measuring a running server; unset,
// nothing listens. The address is never the public one: a profile shows
// the server's internals.
const debugAddrEnv = "OVERSIGHT_DEBUG_ADDR"

// serveDebug starts the debug listener if debugAddrEnv asks for one, and
// returns a function that stops it. pool reads the SQLite pool's figures.
func serveDebug(pool func() sql.DBStats) (stop func(), err error) {
	addr := os.Getenv(debugAddrEnv)
	if addr == "" {
		return func() {}, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", debugAddrEnv, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%s=%s: want a loopback address, such as 127.0.0.1:6060", debugAddrEnv, addr)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/memory", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, memoryReport(pool()))
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", debugAddrEnv, err)
	}
	go func() {
		if err := srv.Serve(ln); err != http.ErrServerClosed {
			slog.Error("debug listener", "err", err)
		}
	}()
	return func() { srv.Close() }, nil
}

// memoryReport says where the process's memory is, in MB: what the Go
// runtime holds (the heap's live objects and the rest it keeps mapped),
// the resident memory the kernel counts, anonymous and file-backed, and
// the difference between the anonymous memory and Go's, which is mostly
// SQLite's (modernc's allocator maps its own memory: page caches,
// statements, sorts) and the threads' stacks.
func memoryReport(pool sql.DBStats) string {
	names := []string{
		"/memory/classes/heap/objects:bytes",
		"/memory/classes/total:bytes",
		"/memory/classes/heap/released:bytes",
		"/gc/gomemlimit:bytes",
		"/gc/heap/goal:bytes",
	}
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	metrics.Read(s)
	mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
	goHeld := s[1].Value.Uint64() - s[2].Value.Uint64()
	var b strings.Builder
	fmt.Fprintf(&b, "go heap objects %.1f\ngo heap goal %.1f\ngo held %.1f\ngo memory limit %.1f\n",
		mb(s[0].Value.Uint64()), mb(s[4].Value.Uint64()), mb(goHeld), mb(s[3].Value.Uint64()))
	st := procStatus()
	for _, k := range []string{"VmRSS", "RssAnon", "RssFile", "VmHWM"} {
		fmt.Fprintf(&b, "%s %.1f\n", k, mb(st[k]))
	}
	if anon := st["RssAnon"]; anon > goHeld {
		fmt.Fprintf(&b, "anon besides go %.1f\n", mb(anon-goHeld))
	}
	fmt.Fprintf(&b, "sqlite connections open %d in use %d idle %d max %d waited %d\n",
		pool.OpenConnections, pool.InUse, pool.Idle, pool.MaxOpenConnections, pool.WaitCount)
	return b.String()
}

// procStatus reads the process's memory figures from /proc/self/status,
// in bytes; empty where there is no such file.
func procStatus() map[string]uint64 {
	m := map[string]uint64{}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return m
	}
	for line := range strings.Lines(string(b)) {
		var k string
		var kb uint64
		if n, _ := fmt.Sscanf(line, "%s %d kB", &k, &kb); n == 2 {
			m[strings.TrimSuffix(k, ":")] = kb << 10
		}
	}
	return m
}
