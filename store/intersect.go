package store

import "slices"

// A page of one jurisdiction and a word that no deployment of the
// jurisdiction holds after the cursor (no synthetic deployment in China
// says "airport") walked the rest of the jurisdiction, a probe of the
// word's lists for each of its deployments: 89,648 for China, 0.57 s of
// the server's CPU at 1M, and neither filter few enough to be listed
// instead. Both are lists in id order, the jurisdiction's in its index
// (jurisdiction, id) and the word's in deployment_words (word,
// deployment_id), so SQLite can merge them (a compound INTERSECT ordered
// by id), reading each from the cursor in order and stopping at the
// page's last row: about a quarter of the walk's CPU in sqlite3, and no
// worse where the walk fills its page soon (docs/performance.md, "At
// capacity").
//
// A word of several forms (city: city, cities) is the union of their
// lists, merged the same way. The walk probed the word's lists for each
// deployment of the jurisdiction: 622,000-1,168,000 steps and 110-150 ms
// of sqlite3's CPU for a page of safe, police or city at 1M from a cursor
// past the jurisdiction's last match, where the merge took 37-78 ms. SQLite
// applies a compound's operators left to right, all of one precedence, so
// the union comes first ((a UNION b) INTERSECT c); a union in a subquery
// is sorted whole instead of merged, so a page of two such words keeps
// its walk. Only SQLite reads words from these lists (dialect.words), so
// PostgreSQL, whose INTERSECT binds tighter than UNION, never runs this.

// intersectPlan returns the plan of a page that merges the lists of
// terms, when every term is such a list (ordered), one of them is a
// word's, and at most one is a union of a word's forms: pages of columns
// alone keep their walks and budgets (walk.go).
func (s *reader) intersectPlan(terms []term) (plan, bool) {
	if len(terms) < 2 {
		return plan{}, false
	}
	words, unions := 0, 0
	for _, t := range terms {
		if t.ordered == nil {
			return plan{}, false
		}
		if t.forms != nil {
			words++
		}
		if len(t.forms) > 1 {
			unions++
		}
	}
	if words == 0 || unions > 1 {
		return plan{}, false
	}
	// The union first, where its operator applies to its own lists alone.
	if i := slices.IndexFunc(terms, func(t term) bool { return len(t.forms) > 1 }); i > 0 {
		terms = slices.Clone(terms)
		terms[0], terms[i] = terms[i], terms[0]
	}
	return plan{key: s.pin()("d.id"), from: func(arg func(any) string, after string, n int) string {
		return "d.id IN (" + mergeFrom(terms, arg, after, n) + ")"
	}}, true
}
