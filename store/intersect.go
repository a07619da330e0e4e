package store

import (
	"cmp"
	"fmt"
	"slices"
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
//
// A word of several forms (city: city, cities) is the union of their
// lists, merged the same way (mergeFrom). The walk probed the word's lists
// for each deployment of the jurisdiction: 622,000-1,168,000 steps and
// 110-150 ms of sqlite3's CPU for a page of safe, police or city at 1M
// from a cursor past the jurisdiction's last match, where the merge took
// 37-78 ms. Only SQLite reads words from these lists (dialect.words), so
// PostgreSQL, whose INTERSECT binds tighter than UNION, never runs this.

// intersectPlan returns the plan of a page that merges the lists of
// terms, when every term is such a list, one of them is a word's, and at
// most one a word of several forms: pages of columns alone keep their
// walks and budgets (walk.go), and a merge of two such words its windows
// (listwalk.go).
func (s *reader) intersectPlan(terms []term) (plan, bool) {
	if len(terms) < 2 || len(mergedLists(terms)) < len(terms) || split(terms) ||
		!slices.ContainsFunc(terms, func(t term) bool { return t.forms != nil }) {
		return plan{}, false
	}
	return s.mergePlan(terms), true
}

// mergePlan is the plan of a page that reads the merge of lists from the
// cursor (mergeFrom) in one statement, as many ids as the page needs.
func (s *reader) mergePlan(lists []term) plan {
	return plan{key: s.pin()("d.id"), from: func(arg func(any) string, after string, n int) string {
		return "d.id IN (" + mergeFrom(lists, arg, after, "", n) + ")"
	}}
}

// A merge, of a page (intersectPlan) or of a walk (listwalk.go), is
// written so that SQLite merges its lists, a compound INTERSECT ordered by
// id. SQLite applies a compound's operators left to right, all of one
// precedence, so one word of several forms, the union of its forms'
// lists, goes first: ((a UNION b) INTERSECT c). A second such union
// cannot follow it, and one in a subquery is sorted whole; so the merge
// of two (city police: city, cities, citic; police, policing) is written
// as the union of one compound for each form of the second, each of the
// first's union and that form's list, each bounded and sorted for the
// union around it: (city ∪ cities ∪ citic) ∩ police, and the same with
// policing. A third multiplies the compounds by its forms, up to maxArms.
//
// A compound of a rare form (policing: 456 deployments at 100k) reads
// the first word's lists as far as that form's list reaches, most of them
// where few deployments hold both, so such a merge is read in windows,
// each up to an id of the first word's lists (listwalk.go).

// maxArms is how many compounds a merge of several words of several
// forms is written as at most: the product of the forms of each such word
// but the one of most forms.
const maxArms = 8

// mergedLists returns the indexes in terms of the filters a merge reads:
// every one with an ordered list, but of the words of several forms only
// the one of most forms (the first such), which is read in each compound,
// and those the compounds have room for (maxArms), fewest forms first.
func mergedLists(terms []term) []int {
	var in, unions []int
	for i, t := range terms {
		switch {
		case t.ordered == nil:
		case len(t.forms) > 1:
			unions = append(unions, i)
		default:
			in = append(in, i)
		}
	}
	if len(unions) == 0 {
		return in
	}
	// Most forms first, the first such in the query at the head.
	slices.SortStableFunc(unions, func(i, j int) int { return cmp.Compare(len(terms[j].forms), len(terms[i].forms)) })
	in = append(in, unions[0])
	arms := 1
	for k := len(unions) - 1; k > 0; k-- {
		i := unions[k]
		if arms*len(terms[i].forms) > maxArms {
			break
		}
		arms *= len(terms[i].forms)
		in = append(in, i)
	}
	slices.Sort(in)
	return in
}

// split reports whether the merge of lists is written as several
// compounds: more than one of them is a word of several forms.
func split(lists []term) bool {
	unions := 0
	for _, t := range lists {
		if len(t.forms) > 1 {
			unions++
		}
	}
	return unions > 1
}

// mergeOrder returns lists in the order a merge writes them: the first
// word of most forms at the head, where its union applies to its own
// lists alone, the others as the filters come.
func mergeOrder(lists []term) []term {
	lists = slices.Clone(lists)
	if h := head(lists); h > 0 {
		lists[0], lists[h] = lists[h], lists[0]
	}
	return lists
}

// head returns the index in lists of the first word of most forms, -1
// when none is a word.
func head(lists []term) int {
	h := -1
	for i, t := range lists {
		if t.forms != nil && (h < 0 || len(t.forms) > len(lists[h].forms)) {
			h = i
		}
	}
	return h
}

// upTo is the condition that col is at most the id placeholder upto
// holds, none when upto is "".
func upTo(col, upto string) string {
	if upto == "" {
		return ""
	}
	return " AND " + col + " <= " + upto
}

// mergeFrom writes the query of the first n deployment ids after after,
// and up to upto when it is not "", that every one of lists holds, merged
// in id order. Its column is deployment_id, as each list's is.
func mergeFrom(lists []term, arg func(any) string, after, upto string, n int) string {
	limit := fmt.Sprintf(" ORDER BY 1 LIMIT %d", n)
	from, up := arg(after), ""
	if upto != "" {
		up = arg(upto)
	}
	qs := make([]string, 0, len(lists))
	var forms [][]string // each form's list of each word of several forms after the head
	for i, t := range mergeOrder(lists) {
		if i == 0 || len(t.forms) <= 1 {
			qs = append(qs, t.ordered(arg, from, up))
			continue
		}
		fs := make([]string, len(t.forms))
		for j, f := range t.forms {
			fs[j] = formList(arg, f, from, up)
		}
		forms = append(forms, fs)
	}
	if len(forms) == 0 {
		return strings.Join(qs, " INTERSECT ") + limit
	}
	// A compound for each choice of one form of each split word.
	var arms []string
	chosen := make([]string, len(forms))
	var choose func(k int)
	choose = func(k int) {
		if k == len(forms) {
			compound := append(append(slices.Clip(qs[:1]), chosen...), qs[1:]...)
			arms = append(arms, "SELECT deployment_id FROM ("+strings.Join(compound, " INTERSECT ")+limit+")")
			return
		}
		for _, f := range forms[k] {
			chosen[k] = f
			choose(k + 1)
		}
	}
	choose(0)
	return strings.Join(arms, " UNION ") + limit
}
