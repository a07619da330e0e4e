package store

import (
	"fmt"
	"strings"
)

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

// intersectPlan returns the plan of a page that merges the lists of
// terms, when every term is such a list (ordered) and one of them is a
// word's: pages of columns alone keep their walks and budgets (walk.go).
func (s *reader) intersectPlan(terms []term) (plan, bool) {
	if len(terms) < 2 {
		return plan{}, false
	}
	words := 0
	for _, t := range terms {
		if t.ordered == nil {
			return plan{}, false
		}
		if t.forms != nil {
			words++
		}
	}
	if words == 0 {
		return plan{}, false
	}
	return plan{key: s.pin()("d.id"), from: func(arg func(any) string, after string, n int) string {
		lists := make([]string, len(terms))
		for i, t := range terms {
			lists[i] = t.ordered(arg, after)
		}
		return "d.id IN (" + strings.Join(lists, " INTERSECT ") + fmt.Sprintf(" ORDER BY 1 LIMIT %d)", n)
	}}, true
}
