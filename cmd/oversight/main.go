// Command oversight serves, imports, exports and verifies the Oversight
// register of AI surveillance in the Asia-Pacific. Run "oversight help".
package main

import (
	"os"

	"oversight/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
