package store

import (
	"context"
	"fmt"
	"strings"
)

// A filter whose deployments an index lists in id order, one value at a
// time, is read as the union of its values' lists (term.listed), which
// SQLite merges in id order with no sort: a technology, a purpose or
// vendors from their linked tables' indexes (value, deployment_id), and
// two filters that select a handful of values:
//
//   - A range of a few years, each year's list from the index
//     deployments_year (year, id). Listed whole and sorted, a page of
//     2012-2013 (2,798 deployments at 100k) took 9.3 ms of sqlite3's CPU.
//   - A vendor headquarters, the lists of the vendors the register places
//     there. Japan's three vendors hold 3,271 deployments at 100k: listed
//     and sorted, a page took 10.6 ms of sqlite3's CPU.
//   - Several jurisdictions, or a subregion's, each from the index
//     deployments_jurisdiction (jurisdiction, id).

// An idList writes a query of the ids of the deployments a filter
// selects after the id placeholder from holds, and up to upto's, in id
// order (term.listed).
type idList = func(arg func(any) string, from, upto string) string

// maxListArms is how many lists of vendors or jurisdictions a filter is
// read as at most, and maxYearArms how many years' lists a range: a wider
// range or more values are common enough that a walk of the deployments
// finds its page as soon (at 100k, a page of 2010-2025, 96% of the
// register, took 1.9 ms of the server's CPU read from 16 lists, 1.6 ms
// walked; China's 17 vendors, 2.75 ms read from their lists, 3.1 ms
// walked).
const (
	maxListArms = 24
	maxYearArms = 8
)

// unionList writes the query term.listed writes: the ids of the
// deployments that have any of vs in column col of table (whose
// deployment id is idCol), after from and up to upto ("" for none), one
// arm a value. A deployment may be on a list twice (a vendor in two
// roles): DISTINCT, as UNION, keeps a page of n to n deployments.
func unionList[V any](table, idCol, col string, vs []V) idList {
	return func(arg func(any) string, from, upto string) string {
		arms := make([]string, len(vs))
		for i, v := range vs {
			arms[i] = fmt.Sprintf("SELECT DISTINCT %[2]s AS deployment_id FROM %[1]s WHERE %[3]s = %[4]s AND %[2]s > %[5]s", table, idCol, col, arg(v), from) + upTo(idCol, upto)
		}
		return strings.Join(arms, " UNION ")
	}
}

// yearsList is term.listed of the years from through to, each from
// deployments_year, and how many years, or nil when the range is open or
// holds more than maxYearArms years.
func yearsList(from, to int) (idList, int) {
	years := fewYears(from, to)
	if years == nil {
		return nil, 0
	}
	return unionList("deployments", "id", "year", years), len(years)
}

// fewYears returns the years from through to, or nil when the range is
// open or holds more than maxYearArms years.
func fewYears(from, to int) []int {
	if from == 0 || to == 0 || to < from || to-from >= maxYearArms {
		return nil
	}
	years := make([]int, 0, to-from+1)
	for y := from; y <= to; y++ {
		years = append(years, y)
	}
	return years
}

// hasList is whether t has a list in id order (term.listed), or may have
// once its values are read (term.lookup).
func (t term) hasList() bool { return t.listed != nil || t.lookup != nil }

// A page of one filter read from its lists merges them from the cursor,
// each an index range (a co-routine of SQLite's) read to the page's last
// row: cheap where the filter is rare, but where it holds much of the
// register a walk of every deployment, which finds a row every few,
// costs less than a merge of several lists. At 1M a page of South Asia's
// eight jurisdictions, 40% of the register, took 2.6 ms of the server's
// CPU from their lists, 1.6 ms walked; at 100k, a page of 2010-2025 (96%),
// 1.9 ms from its 16 lists against 1.6 ms walked, and a page of the
// Pacific's jurisdictions (6%) 2.2 ms against 2.9.

// alonePlan returns the plan of a page of terms[0] alone, a filter of
// lists, that reads them merged in id order from the cursor, as a word's
// (formsPlan); false where the filter is dense or has no list once its
// values are read, and terms[0] is then to be walked.
func (s *reader) alonePlan(ctx context.Context, terms []term, joint int64) (plan, bool, error) {
	dense, err := s.dense(ctx, terms[0], joint)
	if err != nil || dense {
		terms[0].listed, terms[0].lookup = nil, nil
		return plan{}, false, err
	}
	ok, err := lookUp(ctx, terms, 0)
	if err != nil || !ok {
		return plan{}, false, err
	}
	return s.mergePlan(listedTerms(terms, 0)), true, nil
}

// dense reports whether t, a filter alone that selects joint deployments
// (-1: not known), is a union of several lists (term.arms) that selects
// at least a denseShare-th of the register (limits; its size from
// deployment_counts, as joint is).
func (s *reader) dense(ctx context.Context, t term, joint int64) (bool, error) {
	if t.arms == 1 || joint < 0 || s.d.denseShare <= 0 {
		return false, nil
	}
	n, err := s.countsSum(ctx, "", "", nil)
	if err != nil || n < 0 {
		return false, err
	}
	return joint*int64(s.d.denseShare) >= n, nil
}

// lookUp gives terms[i] its list, reading its values if need be
// (term.lookup), and returns whether it has one: a headquarters of more
// vendors than maxListArms has none.
func lookUp(ctx context.Context, terms []term, i int) (bool, error) {
	if terms[i].listed == nil && terms[i].lookup != nil {
		var err error
		if terms[i].listed, err = terms[i].lookup(ctx); err != nil {
			return false, err
		}
	}
	return terms[i].listed != nil, nil
}

// lookUpAll is merged without the filters that have no list once their
// values are read (lookUp).
func lookUpAll(ctx context.Context, terms []term, merged []int) ([]int, error) {
	out := merged[:0:0]
	for _, j := range merged {
		ok, err := lookUp(ctx, terms, j)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, j)
		}
	}
	return out, nil
}

// headquartersList is term.listed of the deployments of any vendor
// headquartered in country hq, or nil when the register places none
// there (no deployment is selected) or more than maxListArms.
func (s *reader) headquartersList(ctx context.Context, hq string) (idList, error) {
	return s.valuesList(ctx, "SELECT id FROM vendors WHERE headquarters = $1 ORDER BY id", hq, "deployment_vendors", "deployment_id", "vendor_id")
}

// subregionList is term.listed of the deployments of the jurisdictions
// the register places in subregion sub, each jurisdiction's list from
// deployments_jurisdiction (jurisdiction, id), or nil as
// headquartersList.
func (s *reader) subregionList(ctx context.Context, sub string) (idList, error) {
	return s.valuesList(ctx, "SELECT code FROM jurisdictions WHERE subregion = $1 ORDER BY code", sub, "deployments", "id", "jurisdiction")
}

// valuesList is the union of the lists (unionList) of the values query
// reads with its one argument v, or nil when it reads none or more than
// maxListArms, or on PostgreSQL, which reads no lists (pagePlan).
func (s *reader) valuesList(ctx context.Context, query string, v any, table, idCol, col string) (idList, error) {
	if s.d.pin == nil {
		return nil, nil
	}
	vs, err := queryStrings(ctx, s.q, fmt.Sprintf("%s LIMIT %d", query, maxListArms+1), v)
	if err != nil || len(vs) == 0 || len(vs) > maxListArms {
		return nil, err
	}
	return unionList(table, idCol, col, vs), nil
}
