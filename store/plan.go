package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"oversight/registry"
)

// A page of deployments is read in one of two shapes, chosen by how many
// deployments each of its filters selects alone (a count that stops at
// fewMatches, read from the filter's index):
//
//   - Few: the smallest filter's deployments are listed from its index
//     (d.id IN (…)), at most fewMatches of them, each looked up and tested
//     against the other filters, and sorted. Its cost is bounded by the
//     smallest filter, however rare the others are and wherever the cursor
//     is. A filter on a column of deployments (one jurisdiction, a status,
//     a certainty) is walked instead, in id order on its index (value,
//     id), with no sort, stopping when the page is full.
//   - Many: every filter selects at least fewMatches. The deployments are
//     walked in id order from the cursor (one jurisdiction's by its index
//     on (jurisdiction, id)), each tested against every filter, and the
//     walk stops when the page is full, or when it has spent its budget
//     (walk.go), which bounds it by its rarest filter.
//
// SQLite's planner cannot choose between them itself: the register keeps
// no statistics (no ANALYZE), so it knows neither how rare a value is nor
// how large a table. Left to itself it listed a subregion's deployments
// and sorted them all for every page, or walked all 100k deployments to
// find a rare technology in a small subregion (0.5 s of CPU; see
// docs/performance.md, "Query plans"). So each statement is written so
// that one plan is possible: in the walk, the columns tested carry a
// unary + (sqlite.pin), which keeps their indexes from driving it, and
// in the few shape the IN list drives, as SQLite prefers a subquery's
// list to any index without statistics. TestPagePlans holds SQLite to
// these plans.

// A term is one filter of a page, in the forms the two shapes take it.
type term struct {
	// set writes a query of the ids of the deployments the filter
	// selects, from an index; nil when the filter has none worth
	// driving a page (a constant).
	set func(arg func(any) string) string
	// test writes the condition on deployment d (and its entity e) that
	// a deployment walked passes.
	test func(arg func(any) string) string
	// walk, when set, writes the condition whose index lists the
	// deployments the filter selects in id order (a column's (value,
	// id)): walked, they need no sort, and the page stops when full.
	walk func(arg func(any) string) string
	// known is how many deployments set selects, when known without
	// counting (a list of ids); -1 otherwise.
	known int
	// once is whether test reads the filter's whole set once a
	// statement, whatever the rows it tests (full text).
	once bool
	// count, when set, writes the queries counted in place of set, in
	// order, as they cost less: each lists some of the deployments set
	// lists (the last, all of them), so the first whose count reaches
	// the limit settles it.
	count []func(arg func(any) string) string
	// free is how the filter is written where the database's planner
	// chooses the plan (conditions).
	free freeForm
	// counted writes the condition on a row c of deployment_counts that
	// the deployments it counts pass (countedTest); nil for a filter the
	// table does not hold (words, ids, tiers). keyed is whether it is on
	// jurisdiction, the first column of the table's key, whose index can
	// list the rows that pass it.
	counted func(arg func(any) string) string
	keyed   bool
	// forms, when not nil, are the words of the register a search word
	// matches, whose lists in deployment_words the term reads
	// (wordterm.go).
	forms []string
	// word is the search word whose forms these are.
	word string
	// ordered, when set, writes a query of the ids the filter selects
	// after the id placeholder from holds, and up to upto's (upTo), in id
	// order from an index, for merging with others (intersect.go): a
	// compound UNION of lists for a word of several forms.
	ordered func(arg func(any) string, from, upto string) string
	// listed, when set, writes a query of the ids the filter selects, as
	// ordered does, from an index on (value, deployment id) of a table
	// linked to the deployments (a technology, a purpose, vendors, a
	// vendor headquarters) or of the deployments (a few years, countries
	// or a subregion's; listed.go), or a
	// word's lists (ordered itself): read in id order from the cursor, it
	// leads a page of the filter alone, or a walk of its list that tests
	// the others (listedWalk). Only ordered takes part in a merge of
	// words (mergedLists).
	listed idList
	// arms is how many index ranges listed reads, one a value (0 when
	// not yet known: lookup).
	arms int
	// lookup, when set, reads the values whose lists listed is the union
	// of (a headquarters' vendors, a subregion's jurisdictions) and
	// returns it, where a page's plan reads it (lookUp).
	lookup func(ctx context.Context) (idList, error)
}

// A freeForm is how a term is written among conditions: tested on each
// deployment, listed from its index, or either, chosen by counting its set
// (chosen).
type freeForm int

const (
	freeTest freeForm = iota
	freeList
	freeCounted
)

// A plan is the statement of a page of deployments in parts: its
// conditions, their arguments, and the column it is ordered and cut by.
type plan struct {
	where []string
	args  []any
	key   string
	// terms and one, when the page walks the deployments testing some
	// filter: the filters, which the walk falls back on when its budget
	// is spent (walk.go); nil otherwise.
	terms []term
	one   int
	// merged, when set, are the indexes in terms of the filters whose
	// lists the walk reads merged, instead of every deployment
	// (listwalk.go).
	merged []int
	// perRow, when known, is how many deployments the walk reads for
	// each row it finds (the walked filter's count over the joint count
	// of every filter, from deployment_counts): its first window reads as
	// many a row (walk.go).
	perRow int
	// from, when set, writes the condition that lists the first n
	// deployments after the cursor's key, in id order, from an index
	// that gives them so (one word's lists: words.go); the page reads
	// them and no more.
	from func(arg func(any) string, after string, n int) string
}

// pagePlan returns the plan of a page of deployments for f.
func (s *reader) pagePlan(ctx context.Context, f registry.DeploymentFilter, tiersIndexed bool) (plan, error) {
	joint, err := s.jointCount(ctx, f)
	if err != nil || joint == 0 {
		return emptyPlan(s.pin()), err
	}
	terms, one, err := s.terms(ctx, f, tiersIndexed, s.pin())
	if err != nil {
		return plan{}, err
	}
	if len(terms) == 1 && terms[0].forms != nil {
		// One word alone: its lists in id order, read from the cursor.
		return s.formsPlan(terms[0].forms), nil
	}
	if p, ok := s.intersectPlan(terms); ok {
		return p, nil
	}
	if len(terms) == 1 && terms[0].walk != nil {
		// One filter whose index lists its deployments in id order: the
		// page reads them from the cursor, few or many, as either shape
		// would, and no count is needed to choose (a count up to
		// fewMatches was most of the CPU of such a page at 100k).
		return s.shape(terms, one, 0), nil
	}
	if len(terms) == 1 && terms[0].hasList() && s.d.pin != nil {
		if p, ok, err := s.alonePlan(ctx, terms, joint); ok || err != nil {
			return p, err
		}
	}
	few := s.d.fewMatches
	if len(terms) == 1 && terms[0].once {
		// Text alone: its matches are as dense in the walk as in the
		// register, which its count tells.
		few = min(few, s.d.fewWords)
	}
	counted, err := s.countedTerms(ctx, terms)
	if err != nil {
		return plan{}, err
	}
	best, err := s.smallest(ctx, counted, few, nil)
	if err != nil {
		return plan{}, err
	}
	if best < 0 {
		one = walkedColumn(counted, one)
	}
	if i := listedWalk(counted, one, best, s.d.pin != nil); i >= 0 {
		if p, ok, err := s.listPlan(ctx, terms, counted, one, i); ok || err != nil {
			return p, err
		}
	}
	p := listWalk(s.shape(terms, one, best))
	if p.terms != nil && p.merged == nil && one >= 0 && joint > 0 && counted[one].known > 0 {
		p.perRow = perRow(int64(counted[one].known), joint)
	}
	return p, nil
}

// perRow is how many deployments a walk reads for each row it finds, half
// again over the mean: it walks a filter's walked deployments, of which
// joint pass every filter.
func perRow(walked, joint int64) int {
	return int(min((3*walked+2*joint-1)/(2*joint), math.MaxInt32))
}

// smallest returns the index of the term that selects the fewest
// deployments, if fewer than limit, or -1: each term counted up to the
// smallest count so far. trace, if set, is told of each count.
func (s *reader) smallest(ctx context.Context, terms []term, limit int, trace traceFunc) (int, error) {
	best, bestN := -1, limit
	for i, t := range terms {
		if t.set == nil {
			continue
		}
		n := t.known
		if n < 0 {
			var err error
			if n, err = s.countTerm(ctx, t, bestN, trace); err != nil {
				return -1, err
			}
		}
		if n < bestN {
			best, bestN = i, n
		}
	}
	return best, nil
}

// shape writes the plan of a page that lists the deployments of
// terms[best] from its index, or walks them all when best is -1.
func (s *reader) shape(terms []term, one, best int) plan {
	var p plan
	arg := func(v any) string {
		p.args = append(p.args, v)
		return fmt.Sprintf("$%d", len(p.args))
	}
	if best >= 0 && terms[best].walk != nil {
		p.where = append(p.where, terms[best].walk(arg))
		for i, t := range terms {
			if i != best {
				p.where = append(p.where, t.test(arg))
			}
		}
		p.key = "d.id"
		return p
	}
	if best >= 0 {
		p.where = append(p.where, "d.id IN ("+terms[best].set(arg)+")")
		for i, t := range terms {
			if i != best {
				p.where = append(p.where, t.test(arg))
			}
		}
		// Pinned: a cursor's d.id > … would otherwise drive the walk
		// from the cursor to the end, testing each row against the list.
		p.key = s.pin()("d.id")
		return p
	}
	p.key = "e.id"
	for i, t := range terms {
		if i == one {
			// Its index (jurisdiction, id) walks the deployments in id
			// order.
			p.where = append(p.where, t.walk(arg))
			p.key = "d.id"
			continue
		}
		p.where = append(p.where, t.test(arg))
	}
	tested := len(terms)
	if one >= 0 {
		tested--
	}
	if tested > 0 && s.d.pin != nil && !slices.ContainsFunc(terms, func(t term) bool { return t.once }) {
		// A walk that tests a filter is given a budget (walk.go);
		// PostgreSQL plans by its statistics, and is left to them.
		p.terms, p.one = terms, one
	}
	return p
}

// pin is the dialect's pin, or none.
func (s *reader) pin() func(string) string {
	if s.d.pin == nil {
		// PostgreSQL plans by its statistics.
		return unpinned
	}
	return s.d.pin
}

// unpinned leaves a column to the planner.
func unpinned(column string) string { return column }

// terms are the filters of f (but its Match, which no database can run,
// and its Tier unless the tier projection can answer it: tiersUsable),
// their tests' columns written through pin; one is the index of the term
// of f's one jurisdiction, which the walk follows, or -1. Each filter is
// translated here alone, for pages (pagePlan) and for conditions.
func (s *reader) terms(ctx context.Context, f registry.DeploymentFilter, tiersIndexed bool, pin func(string) string) (terms []term, one int, err error) {
	one = -1
	add := func(set, test func(arg func(any) string) string) {
		terms = append(terms, term{set: set, test: test, known: -1})
	}
	// The last term added is counted by cond on a row of
	// deployment_counts, whose columns are named as the deployments'.
	counted := func(keyed bool, cond func(arg func(any) string) string) {
		terms[len(terms)-1].counted, terms[len(terms)-1].keyed = cond, keyed
	}
	column := func(col string, v any) {
		add(func(arg func(any) string) string { return "SELECT id FROM deployments WHERE " + col + " = " + arg(v) },
			func(arg func(any) string) string { return pin("d."+col) + " = " + arg(v) })
		terms[len(terms)-1].walk = func(arg func(any) string) string { return "d." + col + " = " + arg(v) }
		terms[len(terms)-1].ordered = func(arg func(any) string, from, upto string) string {
			return "SELECT id AS deployment_id FROM deployments WHERE " + col + " = " + arg(v) + " AND id > " + from + upTo("id", upto)
		}
		counted(col == "jurisdiction", func(arg func(any) string) string { return "c." + col + " = " + arg(v) })
	}
	switch len(f.Jurisdictions) {
	case 0:
	case 1:
		one = len(terms)
		column("jurisdiction", f.Jurisdictions[0])
	default:
		list := func(arg func(any) string) string { return placeholders(arg, f.Jurisdictions) }
		add(func(arg func(any) string) string {
			return "SELECT id FROM deployments WHERE jurisdiction IN " + list(arg)
		},
			func(arg func(any) string) string { return pin("d.jurisdiction") + " IN " + list(arg) })
		counted(true, func(arg func(any) string) string { return "c.jurisdiction IN " + list(arg) })
		if len(f.Jurisdictions) <= maxListArms {
			terms[len(terms)-1].listed, terms[len(terms)-1].arms = unionList("deployments", "id", "jurisdiction", f.Jurisdictions), len(f.Jurisdictions)
		}
	}
	if f.Subregion != "" {
		codes := func(arg func(any) string) string {
			return "(SELECT code FROM jurisdictions WHERE subregion = " + arg(f.Subregion) + ")"
		}
		add(func(arg func(any) string) string {
			return "SELECT id FROM deployments WHERE jurisdiction IN " + codes(arg)
		},
			func(arg func(any) string) string { return pin("d.jurisdiction") + " IN " + codes(arg) })
		counted(true, func(arg func(any) string) string { return "c.jurisdiction IN " + codes(arg) })
		terms[len(terms)-1].lookup = func(ctx context.Context) (idList, error) { return s.subregionList(ctx, f.Subregion) }
	}
	// A filter on rows linked to the deployment (l): listed from the
	// index on its value, or tested by the deployment's key.
	linked := func(from, cond string, v any, free freeForm) {
		add(func(arg func(any) string) string {
			return "SELECT l.deployment_id FROM " + from + " WHERE " + cond + " = " + arg(v)
		}, func(arg func(any) string) string {
			return "EXISTS (SELECT 1 FROM " + from + " WHERE l.deployment_id = d.id AND " + cond + " = " + arg(v) + ")"
		})
		terms[len(terms)-1].free = free
	}
	// listed gives the term last added its list in id order from the
	// index (col, deployment_id) of table, for any of vs (listed.go).
	listed := func(table, col string, vs ...string) {
		terms[len(terms)-1].listed, terms[len(terms)-1].arms = unionList(table, "deployment_id", col, vs), len(vs)
	}
	// linkedAny is linked for any of several values; one is linked's.
	linkedAny := func(from, cond string, vs []string, free freeForm) {
		if len(vs) == 1 {
			linked(from, cond, vs[0], free)
			return
		}
		add(func(arg func(any) string) string {
			return "SELECT l.deployment_id FROM " + from + " WHERE " + cond + " IN " + placeholders(arg, vs)
		}, func(arg func(any) string) string {
			return "EXISTS (SELECT 1 FROM " + from + " WHERE l.deployment_id = d.id AND " + cond + " IN " + placeholders(arg, vs) + ")"
		})
		terms[len(terms)-1].free = free
	}
	// The counts hold capabilities, vendors and purposes as lists joined
	// by spaces, each vendor as vendor:role (counts.go).
	if len(f.Vendors) > 0 {
		linkedAny("deployment_vendors l", "l.vendor_id", f.Vendors, freeCounted)
		listed("deployment_vendors", "vendor_id", f.Vendors...)
		counted(false, func(arg func(any) string) string {
			ors := make([]string, len(f.Vendors))
			for i, v := range f.Vendors {
				ors[i] = s.d.instr("' ' || c.vendors", arg(" "+v+":")) + " > 0"
			}
			return "(" + strings.Join(ors, " OR ") + ")"
		})
	}
	if f.VendorHQ != "" {
		linked("deployment_vendors l JOIN vendors v ON v.id = l.vendor_id", "v.headquarters", f.VendorHQ, freeCounted)
		counted(false, func(arg func(any) string) string {
			return s.d.anyVendor("c.vendors", "SELECT id FROM vendors WHERE headquarters = "+arg(f.VendorHQ))
		})
		terms[len(terms)-1].lookup = func(ctx context.Context) (idList, error) { return s.headquartersList(ctx, f.VendorHQ) }
	}
	if f.Capability != "" {
		// Tested row by row among conditions: a capability is common
		// (cctv is on 8 in 10 synthetic deployments), and IN would first
		// list every deployment that has it. At 1M deployments a page
		// filtered by jurisdiction, capability and year took 0.9 s with
		// IN and 1 ms with EXISTS (docs/performance.md).
		linked("deployment_capabilities l", "l.capability", f.Capability, freeTest)
		listed("deployment_capabilities", "capability", f.Capability)
		counted(false, func(arg func(any) string) string {
			return s.d.instr("' ' || c.capabilities || ' '", arg(" "+f.Capability+" ")) + " > 0"
		})
	}
	if f.Purpose != "" {
		// Listed or tested, as its count chooses: a purpose is rarer
		// than a capability, and some are on a handful of deployments.
		linked("deployment_purposes l", "l.purpose", f.Purpose, freeCounted)
		listed("deployment_purposes", "purpose", f.Purpose)
		counted(false, func(arg func(any) string) string {
			return s.d.instr("' ' || c.purposes || ' '", arg(" "+f.Purpose+" ")) + " > 0"
		})
	}
	if f.Status != "" {
		column("status", f.Status)
	}
	if f.Certainty != "" {
		column("certainty", f.Certainty)
	}
	if f.YearFrom != 0 || f.YearTo != 0 {
		years := func(col string, arg func(any) string) string {
			var c []string
			if f.YearFrom != 0 {
				c = append(c, col+" >= "+arg(f.YearFrom))
			}
			if f.YearTo != 0 {
				c = append(c, col+" <= "+arg(f.YearTo))
			}
			return strings.Join(c, " AND ")
		}
		add(func(arg func(any) string) string { return "SELECT id FROM deployments WHERE " + years("year", arg) },
			func(arg func(any) string) string { return years(pin("d.year"), arg) })
		// An undated deployment has year NULL, and 0 in the counts.
		counted(false, func(arg func(any) string) string { return years("nullif(c.year, 0)", arg) })
		terms[len(terms)-1].listed, terms[len(terms)-1].arms = yearsList(f.YearFrom, f.YearTo)
	}
	if f.IDs != nil {
		ids, err := json.Marshal(f.IDs)
		if err != nil {
			return nil, -1, err
		}
		in := func(col string) func(arg func(any) string) string {
			return func(arg func(any) string) string { return s.d.inJSON(col, arg(string(ids))) }
		}
		terms = append(terms, term{set: func(arg func(any) string) string {
			return "SELECT id FROM deployments WHERE " + in("id")(arg)
		}, test: in(pin("d.id")), known: len(f.IDs)})
	}
	if f.Tier != nil && tiersIndexed {
		terms = append(terms, s.tierTerm(f.Tier))
	}
	if words := registry.SearchWords(f.Q); len(words) > 0 {
		wt, ok, err := s.wordTerms(ctx, words)
		if err != nil {
			return nil, -1, err
		}
		if !ok {
			wt = []term{s.searchTerm(words)}
		}
		terms = append(terms, wt...)
	}
	return terms, one, nil
}

// entitySeq is the column of a deployment's entity e that the test of a
// full-text query reads (searchTerm): a statement whose conditions name it
// joins the entities (withSearch).
const entitySeq = "e.seq"

// searchTerm is the term of a full-text query of words, each matched as a
// prefix. Among conditions it is listed: its test reads the entity e of a
// page's statement, which theirs do not join (a common word's facets
// failed on it).
func (s *reader) searchTerm(words []string) term {
	q := s.d.query(words, true)
	// Counted by the index's rowid, which needs nothing of its content,
	// and by the words whole first: most of a prefix's matches are the
	// word itself, and FTS5 merges a prefix's terms before it returns a
	// row where it has no prefix index of that length (a count up to
	// 5,000 of "city" at 100k: 0.4 ms whole, 4 ms as a prefix).
	rowids := func(q string) func(arg func(any) string) string {
		return func(arg func(any) string) string {
			return "SELECT rowid FROM deployments_fts WHERE " + s.d.match(arg(q))
		}
	}
	return term{set: func(arg func(any) string) string {
		return "SELECT id FROM deployments_fts WHERE " + s.d.match(arg(q))
	}, test: func(arg func(any) string) string {
		// The set of matching revisions, the index's rowid, read without
		// its rows: testing each row against the index itself costs a
		// seek in its every segment (0.9 s for a page of 51 at 100k).
		return entitySeq + " IN (" + rowids(q)(arg) + ")"
	}, count: []func(arg func(any) string) string{rowids(s.d.query(words, false)), rowids(q)},
		known: -1, once: true, free: freeList}
}
