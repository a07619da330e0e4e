package rules

import "sort"

// Reads lists the fact paths the framework's rules read, directly, through
// derived expressions or in exception conditions, in path order: the facts
// a questionnaire must ask about for the framework to decide.
func (fw *Framework) Reads() []string {
	seen := map[string]bool{}
	add := func(e *expr) {
		if e == nil {
			return
		}
		for _, l := range e.facts {
			seen[l.Path] = true
		}
	}
	c := fw.compiled
	for _, d := range c.derived {
		add(d)
	}
	for _, r := range c.rules {
		add(r.when)
		for _, e := range r.conds {
			add(e)
		}
		for _, l := range r.requires {
			seen[l.Path] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
