package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"oversight/registry"
)

// A ledger is read whole, so its size is bounded before it is read; the
// largest sample's ledger is a few kilobytes.
const (
	maxLedgerBytes = 1 << 20
	maxLineBytes   = 4096
	maxRows        = 10000
)

// header is a ledger's first line, as the methodology describes it.
const header = "deployment\tsource\tstatus\tnote"

// What happened to a source's stored page when it was looked up.
const (
	Read        = "read"         // found, and every fact citing it compared with it
	NoCopy      = "no-copy"      // searched for, no stored copy found
	NotSearched = "not-searched" // not looked up
)

// A Row is one (deployment, source) a check looked up, or chose not to.
type Row struct {
	Line       int // 1-based line in the ledger, for errors
	Deployment string
	Source     string
	Status     string // Read, NoCopy or NotSearched
	Note       string
}

// ParseLedger reads a tab-separated ledger: the header line, then one row
// per deployment and source key with exactly four fields (the note may be
// empty). It refuses a ledger over 1 MiB, a line over 4096 bytes, more
// than 10000 rows, an unknown status, an empty id or key and a pair
// listed twice, naming the line and the field. It does not check that the
// deployments and sources exist; Count does, against the register.
func ParseLedger(r io.Reader) ([]Row, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxLedgerBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxLedgerBytes {
		return nil, fmt.Errorf("ledger is over the limit of %d bytes", maxLedgerBytes)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 512), maxLineBytes)
	var rows []Row
	seen := map[[2]string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			if line != header {
				return nil, fmt.Errorf("line 1: header %q, want %q", registry.Clip(line), header)
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: %d tab-separated fields, want 4 (deployment, source, status, note)", n, len(f))
		}
		row := Row{Line: n, Deployment: f[0], Source: f[1], Status: f[2], Note: f[3]}
		switch {
		case row.Deployment == "":
			return nil, fmt.Errorf("line %d: deployment is empty", n)
		case row.Source == "":
			return nil, fmt.Errorf("line %d: source is empty", n)
		case row.Status != Read && row.Status != NoCopy && row.Status != NotSearched:
			return nil, fmt.Errorf("line %d: status %q, want %s, %s or %s", n, registry.Clip(row.Status), Read, NoCopy, NotSearched)
		}
		k := [2]string{row.Deployment, row.Source}
		if first, ok := seen[k]; ok {
			return nil, fmt.Errorf("line %d: deployment %q source %q already on line %d", n, registry.Clip(row.Deployment), registry.Clip(row.Source), first)
		}
		seen[k] = n
		if len(rows) == maxRows {
			return nil, fmt.Errorf("line %d: over the limit of %d rows", n, maxRows)
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %v (limit %d bytes a line)", n+1, err, maxLineBytes)
	}
	if n == 0 {
		return nil, fmt.Errorf("line 1: no header, want %q", header)
	}
	return rows, nil
}
