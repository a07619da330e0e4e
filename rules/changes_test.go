package rules_test

import (
	"reflect"
	"testing"
	"time"
)

// TestResultsKeepBetweenChanges holds Changes to its contract: between two
// of a framework's change days (and before the first, and from the last
// on) every document keeps its result. The tier projection rests on it,
// and so does the store's check of that projection, which evaluates a
// framework on its own change days only. Each interval is sampled at its
// first day, its middle and its last, for every curated fact document. The
// note alone may differ: it names the day asked about.
func TestResultsKeepBetweenChanges(t *testing.T) {
	t.Parallel()
	fws, facts := builtinDocs(t)
	n := 0
	for _, fw := range fws {
		days, ok := fw.Changes()
		if !ok {
			continue // its results may change on any day: nothing is computed ahead
		}
		// The intervals' bounds, with one far before the first change and
		// one far after the last.
		bounds := append([]time.Time{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}, days...)
		bounds = append(bounds, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
		for i := 0; i+1 < len(bounds); i++ {
			first, last := bounds[i], bounds[i+1].AddDate(0, 0, -1)
			middle := first.Add(last.Sub(first) / 2).Truncate(24 * time.Hour)
			for id, f := range facts {
				want := fw.Evaluate(f, first)
				want.Note = ""
				for _, day := range []time.Time{middle, last} {
					n++
					got := fw.Evaluate(f, day)
					got.Note = ""
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s, %s: on %s %s (%s), on %s %s (%s), with no change day between",
							fw.ID, id, first.Format(time.DateOnly), want.Tier, want.Applicability,
							day.Format(time.DateOnly), got.Tier, got.Applicability)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no framework with change days")
	}
	t.Logf("%d classifications compared", n)
}
