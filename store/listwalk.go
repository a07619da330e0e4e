package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"oversight/registry"
)

// A search of a word and a filter without an ordered list (a technology),
// or of two words of several forms, is not one merge of its lists
// (intersectPlan): it walked every deployment in id order, or every
// deployment of its jurisdiction, probing each word's lists for each. At
// 100k, 441 deployments hold both city and police, so a page of 51 of
// the two walked about 11,600 deployments: 623,656 VM steps, 30 ms of
// sqlite3's CPU (bench/qplans -query 'q=city police').
//
// Only a deployment on every list can match, so such a walk reads the
// merge of the lists it can merge instead and tests the other filters on
// each deployment it reads.

// listWalk returns p walking the merge of its terms' lists (mergedLists),
// when p walks the deployments testing a word that deployment_words
// lists.
func listWalk(p plan) plan {
	if p.terms == nil {
		return p
	}
	merged := mergedLists(p.terms)
	if !slices.ContainsFunc(merged, func(i int) bool { return p.terms[i].forms != nil }) {
		return p
	}
	p.merged = merged
	return p
}

// A page of a technology, a purpose or one vendor with other filters
// listed the filter's deployments whole and sorted them where they were
// few (under fewMatches), to read 51 of them from the cursor: at 100k, a
// page of drones (3,920 deployments) took 17 ms of the server's CPU. Where
// no filter was few it walked every deployment, or every deployment of
// its jurisdiction, testing the filters on each. Such a filter's list is
// in id order in its index (value, deployment id), so the page walks
// that list from the cursor instead, a merge of one list (listPage),
// testing the others on each deployment it reads, and stops when full. So
// does a page of a word few enough to be listed beside a filter its lists
// are not merged with (q=metro&technology=cctv: metro on 2,848
// deployments at 100k, 16.7 ms of sqlite3's CPU listed and sorted).

// listedWalk returns the index in terms of the filter whose list
// (term.listed) a page walks, or -1: the filter that is
// few (best), if it has such a list; where none is few, the smallest
// term.listed of known count, unless the jurisdiction whose index the
// walk would follow (one) selects fewer than twice as many: a list's
// deployments are each looked up by id, a jurisdiction's read in its
// index's order (at 100k, a page of Huawei in Pakistan took 3.8 ms walking
// Huawei's 6,119, 2.8 ms walking Pakistan's 6,564). Not with words then,
// which are merged (listWalk), nor on PostgreSQL (pinned false), which
// plans by its statistics.
func listedWalk(terms []term, one, best int, pinned bool) int {
	if !pinned {
		return -1
	}
	if best >= 0 {
		if !terms[best].hasList() {
			return -1
		}
		return best
	}
	if slices.ContainsFunc(terms, func(t term) bool { return t.forms != nil || t.once }) {
		return -1
	}
	pick := -1
	for i, t := range terms {
		if t.hasList() && t.known >= 0 && (pick < 0 || t.known < terms[pick].known) {
			pick = i
		}
	}
	if pick >= 0 && one >= 0 && (terms[one].known < 0 || terms[one].known < 2*terms[pick].known) {
		return -1
	}
	return pick
}

// listPlan returns the plan of a page that walks terms[i]'s list merged
// with others' (withLists, of counted, terms with their counts), and
// false where terms[i] has none once its values are read (lookUp).
func (s *reader) listPlan(ctx context.Context, terms, counted []term, one, i int) (plan, bool, error) {
	ok, err := lookUp(ctx, terms, i)
	if err != nil || !ok {
		return plan{}, false, err
	}
	merged, err := lookUpAll(ctx, terms, withLists(counted, i))
	return plan{terms: listedTerms(terms, merged...), one: one, merged: merged}, true, err
}

// listedTerms is terms with each of terms[merged] read through its list
// where a merge reads ordered lists (mergeFrom): the first, and the others
// that have one of one value (a column's ordered list stays).
func listedTerms(terms []term, merged ...int) []term {
	lists := slices.Clone(terms)
	for k, i := range merged {
		if k == 0 || lists[i].listed != nil {
			lists[i].ordered = lists[i].listed
		}
	}
	return lists
}

// A walk of one filter's list tested each of the others on each
// deployment it read, each looked up by id: Huawei's list walked for the
// year 2019 read about 540 deployments for a page of 51 (4.4-5.0 ms of the
// server's CPU at 100k), where merged with 2019's list it reads the
// deployments on both (2.4-3.2 ms). So the walk merges the other filters
// whose lists are one index range each (a column's value, one
// technology, purpose or vendor, one year: oneRange) and select at most
// mergeRatio times as many: such a list costs an index entry for each of
// its deployments the merge passes, cheaper than a lookup, and where it
// removes none of the walked list's, at most mergeRatio entries for each.
const mergeRatio = 8

// withLists returns the indexes in terms of the filters a walk of
// terms[i]'s list merges: i first, at the head of the merge, where its
// union of several values applies to its own lists alone (mergeFrom), and
// the others of one range each (oneRange) that mergeRatio admits. Another
// filter of several ranges is tested, not merged: each entry of its lists
// passes a merge of them first (at 100k, a page of Huawei in South Asia
// took 3.7 ms of the server's CPU with the region's eight lists merged
// with Huawei's, 3.2 ms walking Huawei's list).
func withLists(terms []term, i int) []int {
	merged := []int{i}
	if terms[i].known < 0 {
		return merged
	}
	for j, t := range terms {
		if j != i && t.oneRange() && t.known >= 0 && t.known <= mergeRatio*terms[i].known {
			merged = append(merged, j)
		}
	}
	return merged
}

// oneRange is whether t's list in a merge reads one range of an index: a
// column's value (term.ordered), or a list of one value (term.listed).
func (t term) oneRange() bool {
	if t.forms != nil || t.once {
		return false
	}
	if t.listed != nil || t.lookup != nil {
		return t.arms == 1
	}
	return t.ordered != nil
}

// mergedTerms returns the terms of p's merge, and the others.
func (p plan) mergedTerms() (merged, tested []term) {
	in := make([]bool, len(p.terms))
	for _, i := range p.merged {
		merged, in[i] = append(merged, p.terms[i]), true
	}
	for i, t := range p.terms {
		if !in[i] {
			tested = append(tested, t)
		}
	}
	return merged, tested
}

// listWindow returns what a window of a list walk reads, at most n
// deployments after after and up to upto ("" for none): the merge of
// merged, which leads the statement in id order (SQLite reads it as a
// co-routine, with no sort, and stops when the page is full), the
// entities last, so that each deployment is tested before its entity,
// the largest row, is read (CROSS JOIN keeps that order), and the tests
// of the others; with their arguments.
func listWindow(merged, tested []term, after, upto string, n int) (string, []string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	table := "(" + mergeFrom(merged, arg, after, upto, n) + ") m CROSS JOIN " + deploymentsTable +
		" CROSS JOIN entities e ON e.kind = 'deployment' AND e.id = d.id"
	where := []string{"d.id = m.deployment_id"}
	for _, t := range tested {
		where = append(where, t.test(arg))
	}
	return table, where, args
}

// listBound returns the last of the n ids the query list writes lists, and
// false if it lists fewer.
func (s *reader) listBound(ctx context.Context, list func(arg func(any) string) string, n int, trace traceFunc) (string, bool, error) {
	var args []any
	q := "SELECT max(deployment_id), count(*) FROM (" + list(func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}) + ") w"
	trace.add(q, args, false)
	var last sql.NullString
	var count int
	if err := s.q.QueryRowContext(ctx, q, args...).Scan(&last, &count); err != nil {
		return "", false, err
	}
	return last.String, count == n, nil
}

// listPage reads the page of p's walk after cursor (planPage), in windows.
// A merge of one compound leads its statement, which stops where the page
// is full: its windows are walkPerRow of its deployments a row, then twice
// the last, each bound read only when the page is not full. A merge of
// several compounds (split) sorts each compound's window whole: its
// windows are each up to the last of the next deployments of the word
// that heads it, firstPerRow a row and then four times the last, however
// rare the merge is in them. Once the windows have read walkPerRow a row,
// a filter outside the merge few enough is listed instead, as in any walk
// (listedPage), or the words merged, read together from the full-text
// index (jointTerm).
func listPage[T any](ctx context.Context, s *reader, p plan, cursor string, limit int, trace traceFunc) (registry.Page[T], error) {
	after, err := cursorKey(cursor)
	if err != nil {
		return registry.Page[T]{}, err
	}
	merged, tested := p.mergedTerms()
	several, grow := split(merged), 4
	budget := s.d.walkPerRow * (limit + 1)
	n := s.d.firstPerRow * (limit + 1)
	if !several {
		n, grow = budget, 2
	}
	// The next n ids of the head word's lists (of a merge of several
	// compounds, which has one), and of the merge.
	headList := func(arg func(any) string) string { return formsFrom(arg, merged[head(merged)].forms, after, n) }
	mergeList := func(arg func(any) string) string { return mergeFrom(merged, arg, after, "", n) }
	var got []T
	for walked := 0; ; n *= grow {
		bound, more, upto := "", true, ""
		if several {
			if bound, more, err = s.listBound(ctx, headList, n, trace); err != nil {
				return registry.Page[T]{}, err
			}
			if more {
				upto = bound
			}
		}
		table, where, args := listWindow(merged, tested, after, upto, n)
		// The merge starts after after: a cursor's condition beside it
		// would lead SQLite to walk the entities from there instead.
		pg, full, err := walkOn(ctx, s, table, got, where, args, "m.deployment_id", "", limit, trace)
		if err != nil || full || !more {
			return pg, err
		}
		if !several {
			if bound, more, err = s.listBound(ctx, mergeList, n, trace); err != nil || !more {
				return pg, err
			}
		}
		spent := walked < budget && walked+n >= budget
		got, after, walked = pg.Items, bound, walked+n
		if spent {
			q, candidates := p, unmerged(p)
			if joint, ok, err := s.jointListed(ctx, p.terms, merged, walked, trace); err != nil {
				return registry.Page[T]{}, err
			} else if ok {
				q.terms = append(slices.Clone(p.terms), joint)
				candidates = append(candidates, joint)
			}
			if pg, ok, err := listedPage[T](ctx, s, q, candidates, len(got), walked, cursor, limit, trace); ok || err != nil {
				return pg, err
			}
		}
	}
}

// unmerged is p's terms, those of its merge with no set to list: the merge
// reads their lists already, in order, where a list of one is sorted.
func unmerged(p plan) []term {
	terms := slices.Clone(p.terms)
	for _, i := range p.merged {
		terms[i].set = nil
	}
	return terms
}
