// Command oversight serves, imports, exports and verifies the Oversight
// register of AI surveillance in the Asia-Pacific. Run "oversight help".
//
// OVERSIGHT_CPUPROFILE=FILE writes a CPU profile of the run to FILE, for
// "go tool pprof"; OVERSIGHT_TRACE=FILE an execution trace, for "go tool
// trace" (where a goroutine waited: docs/performance.md).
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"

	"oversight/cli"
)

func main() {
	stop, err := profile(os.Getenv("OVERSIGHT_CPUPROFILE"), pprof.StartCPUProfile, pprof.StopCPUProfile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "oversight: OVERSIGHT_CPUPROFILE:", err)
		os.Exit(2)
	}
	stopTrace, err := profile(os.Getenv("OVERSIGHT_TRACE"), trace.Start, trace.Stop)
	if err != nil {
		fmt.Fprintln(os.Stderr, "oversight: OVERSIGHT_TRACE:", err)
		os.Exit(2)
	}
	code := cli.Main(os.Args[1:], os.Stdout, os.Stderr)
	stopTrace()
	stop()
	os.Exit(code)
}

// profile starts writing a profile to path with start, unless path is
// empty, and returns what ends it.
func profile(path string, start func(io.Writer) error, end func()) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { end(); f.Close() }, nil
}
