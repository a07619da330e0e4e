package rules

import (
	"slices"
	"time"
)

// Changes returns the days on which the framework's result for some fact
// document may change: the framework's and each rule's effective_from and
// effective_to, sorted and without repeats. Between two such days (and
// before the first, and from the last on) every document keeps the result
// it has, so a result computed once per interval holds for every day in
// it. ok is false when some expression reads as_of: then a result may
// change on any day, and nothing can be computed ahead.
func (fw *Framework) Changes() (days []time.Time, ok bool) {
	c := fw.compiled
	if c == nil || c.readsAsOf {
		return nil, false
	}
	add := func(s string) {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			days = append(days, t)
		}
	}
	add(fw.EffectiveFrom)
	add(fw.EffectiveTo)
	for _, cr := range c.rules {
		for _, t := range []time.Time{cr.from, cr.to} {
			if !t.IsZero() {
				days = append(days, t)
			}
		}
	}
	slices.SortFunc(days, time.Time.Compare)
	return slices.CompactFunc(days, time.Time.Equal), true
}
