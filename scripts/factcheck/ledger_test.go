package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"oversight/registry"
)

func TestParseLedger(t *testing.T) {
	rows, err := ParseLedger(strings.NewReader(header + "\r\na\tp1\tread\t\nb\tq\tno-copy\ttwo searches\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{{2, "a", "p1", Read, ""}, {3, "b", "q", NoCopy, "two searches"}}
	if len(rows) != len(want) || rows[0] != want[0] || rows[1] != want[1] {
		t.Errorf("got %+v, want %+v", rows, want)
	}
}

func TestParseLedgerRefuses(t *testing.T) {
	long := strings.Repeat("x", maxLineBytes+1)
	for in, want := range map[string]string{
		"":                           "line 1: no header",
		"id\tkey\tstatus\tnote\n":    "line 1: header",
		header + "\na\tp\tread\n":    "line 2: 3 tab-separated fields, want 4",
		header + "\n\tp\tread\t\n":   "line 2: deployment is empty",
		header + "\na\t\tread\t\n":   "line 2: source is empty",
		header + "\na\tp\tfound\t\n": `line 2: status "found"`,
		header + "\na\tp\tread\t\na\tp\tno-copy\t\n": "line 3: deployment \"a\" source \"p\" already on line 2",
		header + "\n" + long + "\n":                  "line 2: bufio.Scanner: token too long (limit 4096 bytes a line)",
		header + "\n" + "\n":                         "line 2: 1 tab-separated fields",
	} {
		_, err := ParseLedger(strings.NewReader(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: got %v, want %s…", registry.Clip(in), err, want)
		}
	}
	big := header + "\n" + strings.Repeat("a\tp\tread\t"+strings.Repeat("n", 100)+"\n", maxLedgerBytes/100)
	if _, err := ParseLedger(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Errorf("a ledger over 1 MiB: got %v", err)
	}
}

func FuzzParseLedger(f *testing.F) {
	f.Add(header + "\na\tp1\tread\t\nb\tq\tno-copy\tnote\n")
	f.Add(header + "\na\tp\tnot-searched\t\xff\n")
	f.Add("deployment\tsource\n")
	f.Add(header + "\na\tp\tread\t\na\tp\tread\t\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseLedger(strings.NewReader(in))
		if err != nil {
			if len(err.Error()) > 1024 {
				t.Errorf("error of %d bytes", len(err.Error()))
			}
			if !utf8.ValidString(err.Error()) && utf8.ValidString(in) {
				t.Errorf("invalid UTF-8 in the error for valid input")
			}
			return
		}
		seen := map[[2]string]bool{}
		for _, r := range rows {
			if r.Deployment == "" || r.Source == "" || (r.Status != Read && r.Status != NoCopy && r.Status != NotSearched) {
				t.Errorf("accepted %+v", r)
			}
			k := [2]string{r.Deployment, r.Source}
			if seen[k] {
				t.Errorf("accepted %v twice", k)
			}
			seen[k] = true
		}
	})
}
