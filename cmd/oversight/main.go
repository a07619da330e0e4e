// Command oversight serves, imports, exports and verifies the Oversight
// register of AI surveillance in the Asia-Pacific. Run "oversight help".
//
// OVERSIGHT_CPUPROFILE=FILE writes a CPU profile of the run to FILE, for
// "go tool pprof" (docs/performance.md).
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"oversight/cli"
)

func main() {
	if path := os.Getenv("OVERSIGHT_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "oversight: OVERSIGHT_CPUPROFILE:", err)
			os.Exit(2)
		}
		code := cli.Main(os.Args[1:], os.Stdout, os.Stderr)
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(code)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
