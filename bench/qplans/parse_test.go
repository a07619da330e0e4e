package main

import (
	"slices"
	"testing"
)

// TestParse reads sqlite3's output for a statement: its plan, the counts
// of .stats, and the CPU of each .timer line.
func TestParse(t *testing.T) {
	out := "@plan\nQUERY PLAN\n|--SEARCH e USING INDEX sqlite_autoindex_entities_1 (kind=?)\n`--SEARCH d USING COVERING INDEX sqlite_autoindex_deployments_1 (id=?)\n" +
		"@stats\n{\"id\":\"x\",\"a\":\"Virtual Machine Steps: 9\"}\nFullscan Steps:                      3\nSort Operations:                     1\nVirtual Machine Steps:               521\n" +
		"Page cache hits:                     151\nPage cache misses:                   65\nRun Time: real 0.001 user 0.000400 sys 0.000100\n"
	var r result
	r.parse([]byte(out))
	wantPlan := []string{"SEARCH e USING INDEX sqlite_autoindex_entities_1 (kind=?)", "SEARCH d USING COVERING INDEX sqlite_autoindex_deployments_1 (id=?)"}
	if !slices.Equal(r.plan, wantPlan) || r.steps != 521 || r.fullscan != 3 || r.sorts != 1 || r.pages != 216 || len(r.times) != 1 || r.times[0] < 0.000499 || r.times[0] > 0.000501 {
		t.Errorf("parse: %+v", r)
	}
}

// FuzzParse feeds parse any output: it never panics.
func FuzzParse(f *testing.F) {
	f.Add("@plan\nQUERY PLAN\n`--SCAN d\n@stats\nVirtual Machine Steps: 5\nRun Time: real 0.1 user 0.2 sys 0.3\n")
	f.Add("Run Time: real x user y sys z\nFullscan Steps:\n:")
	f.Fuzz(func(t *testing.T, out string) {
		var r result
		r.parse([]byte(out))
	})
}
