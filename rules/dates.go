package rules

import (
	"slices"
	"sync"
	"time"
)

// changeDays holds a compiled framework's change days, worked out on first
// use: stores ask for them for every deployment they project.
type changeDays struct {
	once sync.Once
	days []time.Time
	ok   bool
}

// Changes returns the days on which the framework's result for some fact
// document may change: the framework's and each rule's effective_from and
// effective_to, and each signatory's signing day (its applicability
// changes then), sorted and without repeats. Between two such days (and
// before the first, and from the last on) every document keeps the result
// it has, so a result computed once per interval holds for every day in
// it. ok is false when some expression reads as_of: then a result may
// change on any day, and nothing can be computed ahead. The slice is
// shared: callers must not change it.
func (fw *Framework) Changes() (days []time.Time, ok bool) {
	c := fw.compiled
	if c == nil {
		return nil, false
	}
	c.changes.once.Do(func() {
		if c.readsAsOf {
			return
		}
		add := func(s string) {
			if t, err := time.Parse(time.DateOnly, s); err == nil {
				c.changes.days = append(c.changes.days, t)
			}
		}
		add(fw.EffectiveFrom)
		add(fw.EffectiveTo)
		for _, day := range fw.SignedOn {
			add(day)
		}
		for _, cr := range c.rules {
			for _, t := range []time.Time{cr.from, cr.to} {
				if !t.IsZero() {
					c.changes.days = append(c.changes.days, t)
				}
			}
		}
		slices.SortFunc(c.changes.days, time.Time.Compare)
		c.changes.days = slices.CompactFunc(c.changes.days, time.Time.Equal)
		c.changes.ok = true
	})
	return c.changes.days, c.changes.ok
}
