package frameworks

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

var update = flag.Bool("update", false, "rewrite mutation-scores.yaml with the scores measured now")

// scoresFile records each framework's mutation score: the floor the test
// holds it to, so that a score cannot drop without an edit to this file
// that a reviewer sees.
const scoresFile = "mutation-scores.yaml"

type recordedScore struct {
	Mutants int `yaml:"mutants"`
	Killed  int `yaml:"killed"`
}

func (r recordedScore) score() float64 {
	if r.Mutants == 0 {
		return 1
	}
	return float64(r.Killed) / float64(r.Mutants)
}

// TestMutationScores runs the mutation test on every built-in framework
// and fails if a framework's score is below the one recorded for it, or no
// score is recorded. Run with -update to record the scores measured now.
func TestMutationScores(t *testing.T) {
	start := time.Now()
	fws, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]recordedScore{}
	for _, fw := range fws {
		if !fw.Encoded() {
			continue // no rules, nothing to mutate (TestGolden checks it says why)
		}
		rep, err := fw.Mutate(FS())
		if err != nil {
			t.Errorf("%s: %v", fw.ID, err)
			continue
		}
		got[fw.ID] = recordedScore{Mutants: rep.Valid(), Killed: rep.Killed()}
		for _, m := range rep.Mutants {
			if m.Invalid != "" {
				t.Errorf("%s: %s %s: mutant %s does not compile: %s", fw.ID, m.Rule, m.Site, m.Op, m.Invalid)
			}
		}
		if testing.Verbose() {
			for _, m := range rep.Survivors() {
				t.Logf("%s: survivor: %s %s: %s: %s", fw.ID, m.Rule, m.Site, m.Op, m.At)
			}
		}
	}
	t.Logf("%d frameworks mutated in %v", len(fws), time.Since(start).Round(time.Millisecond))
	if *update {
		writeScores(t, got)
		return
	}
	data, err := os.ReadFile(scoresFile)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]recordedScore
	if err := yaml.UnmarshalWithOptions(data, &want, yaml.Strict()); err != nil {
		t.Fatalf("%s: %v", scoresFile, err)
	}
	ids := make([]string, 0, len(got))
	for id := range got {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		g := got[id]
		w, ok := want[id]
		switch {
		case !ok:
			t.Errorf("%s: mutation score %.1f%% (%d of %d) is not recorded in %s: go test ./frameworks -run TestMutationScores -update",
				id, 100*g.score(), g.Killed, g.Mutants, scoresFile)
		case g.score() < w.score():
			t.Errorf("%s: mutation score fell to %.1f%% (%d of %d killed) from the %.1f%% (%d of %d) recorded in %s; "+
				"add golden cases that kill the survivors (oversight frameworks mutate %s lists them)",
				id, 100*g.score(), g.Killed, g.Mutants, 100*w.score(), w.Killed, w.Mutants, scoresFile, id)
		case g != w:
			t.Logf("%s: mutation score %.1f%% (%d of %d), recorded %.1f%% (%d of %d): record it with -update",
				id, 100*g.score(), g.Killed, g.Mutants, 100*w.score(), w.Killed, w.Mutants)
		}
	}
	for id := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("%s: a score is recorded in %s for a framework that is not built in", id, scoresFile)
		}
	}
}

func writeScores(t *testing.T, got map[string]recordedScore) {
	ids := make([]string, 0, len(got))
	for id := range got {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b bytes.Buffer
	b.WriteString("# Mutation scores of the built-in frameworks: of the single mutants of each\n")
	b.WriteString("# framework's rules (oversight frameworks mutate), how many its golden cases kill.\n")
	b.WriteString("# TestMutationScores fails if a framework's score falls below the one here.\n")
	b.WriteString("# Written by: go test ./frameworks -run TestMutationScores -update\n")
	for _, id := range ids {
		g := got[id]
		fmt.Fprintf(&b, "%s: {mutants: %d, killed: %d} # %.1f%%\n", id, g.Mutants, g.Killed, 100*g.score())
	}
	if err := os.WriteFile(scoresFile, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
