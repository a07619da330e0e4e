package proccpu

import (
	"os"
	"testing"
	"time"
)

// TestOf reads this process's CPU time before and after spending some,
// and a stat line whose command holds spaces and parentheses.
func TestOf(t *testing.T) {
	before, err := Of(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
	}
	after, err := Of(os.Getpid())
	if err != nil || after < before {
		t.Fatalf("%v then %v (%v)", before, after, err)
	}
	d, err := parse([]byte("42 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 1 0"))
	if err != nil || d != 1750*time.Millisecond {
		t.Errorf("parse: %v (%v), want 1.75s", d, err)
	}
	if _, err := Of(-1); err == nil {
		t.Error("a process that cannot be: no error")
	}
}

// FuzzParse feeds parse any text: it returns a time or an error, never
// panics, and never a negative time.
func FuzzParse(f *testing.F) {
	f.Add([]byte("42 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 1 0"))
	f.Add([]byte(")"))
	f.Add([]byte("1 (x) S 1 2 3 4 5 6 7 8 9 10 -5 9223372036854775807"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, err := parse(b); err == nil && d < 0 {
			t.Errorf("%q: %v", b, d)
		}
	})
}
