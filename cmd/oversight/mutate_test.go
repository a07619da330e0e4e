package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFrameworksMutate runs the mutation test from the command line: on a
// built-in framework by id, as JSON, and on a framework directory whose
// golden cases were cut down, which must score lower and fail --min.
func TestFrameworksMutate(t *testing.T) {
	t.Parallel()
	out := mustRun(t, "frameworks", "mutate", "eu-ai-act")
	if !strings.Contains(out, "FRAMEWORK") || !strings.Contains(out, "eu-ai-act") || !strings.Contains(out, "mutants in") {
		t.Errorf("mutate eu-ai-act:\n%s", out)
	}
	var reps []struct {
		Framework string
		Cases     int
		Mutants   []struct {
			Rule, Site, Op, Expr string
			Killed               bool
		}
	}
	js := mustRun(t, "frameworks", "mutate", "--json", "th-pdpa")
	if err := json.Unmarshal([]byte(js), &reps); err != nil || len(reps) != 1 || reps[0].Framework != "th-pdpa" || len(reps[0].Mutants) == 0 {
		t.Fatalf("mutate --json: %v\n%s", err, js)
	}

	// With one golden case left, more mutants survive.
	dir := filepath.Join(t.TempDir(), "th-pdpa")
	copyDir(t, "../../frameworks/th-pdpa", dir)
	name := filepath.Join(dir, "tests", "cases.yaml")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	first := strings.Index(s, "\n  - name:")
	second := strings.Index(s[first+1:], "\n  - name:")
	if first < 0 || second < 0 {
		t.Fatal("cannot cut the cases")
	}
	os.WriteFile(name, []byte(s[:first+1+second+1]), 0o644)
	out, errs, err := run(t, "frameworks", "mutate", "--min", "0.95", dir)
	if err == nil || !strings.Contains(errs, "below 95.0%") || !strings.Contains(out, "th-pdpa survivors:") {
		t.Errorf("a framework with one golden case passed --min 0.95: %v\n%s%s", err, out, errs)
	}
	if _, errs, err := run(t, "frameworks", "mutate", "no-such-framework"); err == nil || !strings.Contains(errs, "neither a built-in framework id") {
		t.Errorf("unknown id: %v %s", err, errs)
	}
}
