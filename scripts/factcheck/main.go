// Command factcheck counts what the facts checks found, from their
// ledgers: for each ledger named (docs/factcheck/sample-<seed>.tsv, one row
// per deployment and source key with what happened to the source's stored
// page), it reads the built-in register through the project's loader and
// prints how many of the sampled deployments' facts are confirmed, rest
// only on pages with no stored copy, or were not searched.
//
//	go run ./scripts/factcheck docs/factcheck/sample-30.tsv [more ledgers]
//
// A fact is what the checks of 6 Dec 2026 counted (see Facts): the
// operator; each capability and each purpose; each vendor role; the
// scale; each dated event; the status, when it names sources; each
// financing entry; and each source's title, publisher, published date and
// excerpt where given. A fact is confirmed when at least one source it
// cites was read; it rests on no-copy pages when none was read and at
// least one had no stored copy; otherwise it was not searched (a source
// with no row counts as not searched, and the number of such sources is
// printed). A row naming a deployment or a source the register does not
// have is an error, and the command exits non-zero.
//
// A row may name a jurisdiction profile by its code (CN, PK) in the
// deployment column instead; a profile's facts are each membership, its
// regime, each safeguard that states something, and its sources' titles,
// publishers, dates and excerpts (see ProfileFacts).
package main

import (
	"fmt"
	"io"
	"os"

	"oversight/data"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/factcheck LEDGER.tsv...")
		os.Exit(2)
	}
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "factcheck:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, ledgers []string) error {
	set, err := data.Load()
	if err != nil {
		return err
	}
	for _, name := range ledgers {
		rows, err := readLedger(name)
		if err != nil {
			return err
		}
		t, err := Count(set, rows)
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		report(w, name, t)
	}
	return nil
}

func report(w io.Writer, name string, t Tally) {
	fmt.Fprintf(w, "%s: %d deployments, %d jurisdiction profiles\n", name, t.Deployments, t.Profiles)
	fmt.Fprintf(w, "  facts                                  %4d\n", t.Facts)
	fmt.Fprintf(w, "  confirmed (a citing page read)         %4d\n", t.Confirmed)
	fmt.Fprintf(w, "  resting only on pages with no copy     %4d\n", t.NoCopy)
	fmt.Fprintf(w, "  not searched                           %4d\n", t.NotSearched)
	if t.Unsourced > 0 {
		fmt.Fprintf(w, "  stated with no source (not counted)    %4d\n", t.Unsourced)
	}
	if t.Unlisted > 0 {
		fmt.Fprintf(w, "  sources with no row (not searched)     %4d\n", t.Unlisted)
	}
}

// readLedger parses the named ledger file, its errors prefixed with the name.
func readLedger(name string) ([]Row, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := ParseLedger(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return rows, nil
}
