package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"oversight/registry"
)

// A walk (pagePlan's many shape) reads the deployments in id order from
// the cursor, testing each against every filter, until the page is full;
// one that tests a word reads the merge of lists instead (listwalk.go).
// Its cost is bounded by how rare the filters are together, which the
// counts of each alone do not tell: two jurisdictions and a vendor that
// each are common, but that no deployment has together, walked the whole
// register (1.4M VM steps at 100k, where listing the vendor's 6,119
// deployments took 0.2M; docs/performance.md, "Query plans").
//
// So a walk has a budget: it reads at most walkPerRow deployments for
// each row of the page (firstPerRow first, or as many as the counts say it
// reads for each row it finds, then walkPerRow), up to the id
// of the last of them (its bound, read from the index of ids first; the
// second window continues from the first's bound). When they do not fill the page, the
// filters are counted further, up to listMatches (and up to what the rest
// of the walk would read, at the rate its budget found rows), and the
// page is read again from the cursor by listing the smallest filter's
// deployments (pagePlan's few shape), whose cost its count bounds; or,
// when none is that few, by the walk on from the bound without a budget.
// A walk that tests text has no budget: its test reads every match from
// the full-text index once a statement (400k VM steps for a common word
// at 100k), which a second statement would read again. Each of the three
// reads the same rows in the same order under the same conditions: the
// page and its cursor are the same whichever ends it.

// A traceFunc is told of each statement a read runs, with its arguments,
// and whether it reads the page's rows (or counts or bounds them).
type traceFunc func(q string, args []any, page bool)

func (t traceFunc) add(q string, args []any, page bool) {
	if t != nil {
		t(q, args, page)
	}
}

// A Statement is one SQL statement the store runs, with its arguments.
type Statement struct {
	SQL  string
	Args []any
	// Page is whether it reads a page's rows, rather than counting or
	// bounding them.
	Page bool
}

// DeploymentsQueries returns the statements Deployments runs for f, in
// the order it runs them, for EXPLAIN and benchmarks to run the very SQL
// the store does: the page's, and those of a walk's budget (its bound,
// the counts that choose its fallback, and the fallback's page). It runs
// them, as what follows a statement depends on what it returns; the
// counts that choose the first plan (pagePlan) are not listed. Under a
// test the database cannot run (f.Match, or a tier filter while tiers
// are pending) Deployments reads pages of registry.MaxLimit rows with
// these statements and tests each row.
func (s *reader) DeploymentsQueries(ctx context.Context, f registry.DeploymentFilter) ([]Statement, error) {
	f, p, err := s.deploymentConditions(ctx, f)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if f.Match != nil || limit <= 0 || limit > registry.MaxLimit {
		limit = registry.MaxLimit
	}
	var out []Statement
	_, err = planPage[registry.Stored](ctx, s, p, f.Cursor, limit, func(q string, args []any, page bool) {
		out = append(out, Statement{q, slices.Clone(args), page})
	})
	return out, err
}

// page reads the page of deployments of plan p after cursor.
func (s *reader) page(ctx context.Context, p plan, cursor string, limit int, trace traceFunc) (registry.Page[*registry.Deployment], error) {
	return planPage[*registry.Deployment](ctx, s, p, cursor, limit, trace)
}

// planPage reads the page of deployments of plan p after cursor, each a
// T: *registry.Deployment, or registry.Stored for its state undecoded.
func planPage[T any](ctx context.Context, s *reader, p plan, cursor string, limit int, trace traceFunc) (registry.Page[T], error) {
	if limit <= 0 || limit > registry.MaxLimit {
		limit = registry.MaxLimit
	}
	if p.terms == nil {
		p, err := p.at(cursor, limit)
		if err != nil {
			return registry.Page[T]{}, err
		}
		return deploymentPage[T](ctx, s, p.where, p.args, p.key, cursor, limit, trace)
	}
	if p.merged != nil {
		return listPage[T](ctx, s, p, cursor, limit, trace)
	}
	// Each window of the budget continues from the bound of the one
	// before, with the rows it found.
	var got []T
	from, budget, walked := cursor, 0, 0
	first := min(max(s.d.firstPerRow, p.perRow), s.d.walkPerRow)
	for _, perRow := range []int{first, s.d.walkPerRow} {
		if perRow*(limit+1) == budget {
			continue
		}
		budget = perRow * (limit + 1)
		bound, ok, err := s.walkBound(ctx, p, from, budget, trace)
		if err != nil {
			return registry.Page[T]{}, err
		}
		if !ok {
			// Fewer deployments remain than the budget: the walk is
			// bounded.
			pg, _, err := walkOn(ctx, s, deploymentsTable, got, p.where, p.args, p.key, from, limit, trace)
			return pg, err
		}
		where := append(slices.Clip(p.where), fmt.Sprintf("%s <= $%d", p.key, len(p.args)+1))
		pg, full, err := walkOn(ctx, s, deploymentsTable, got, where, append(slices.Clip(p.args), bound), p.key, from, limit, trace)
		if err != nil || full {
			return pg, err
		}
		got, from, walked = pg.Items, registry.Cursor(bound), walked+budget
	}
	if pg, ok, err := listedPage[T](ctx, s, p, p.terms, len(got), walked, cursor, limit, trace); ok || err != nil {
		return pg, err
	}
	pg, _, err := walkOn(ctx, s, deploymentsTable, got, p.where, p.args, p.key, from, limit, trace)
	return pg, err
}

// walkedColumn returns the index in terms of the filter on a column of
// deployments (term.walk) whose index a walk follows where no filter is
// few: of those of known count, the one that selects fewest, or else one,
// the jurisdiction's. At 1M, a page of Chinese vendors' suspended
// deployments walked every deployment (15 ms of the server's CPU), where
// the status's index holds a seventieth of them.
func walkedColumn(terms []term, one int) int {
	for i, t := range terms {
		if t.walk != nil && t.known >= 0 && (one < 0 || terms[one].known < 0 || t.known < terms[one].known) {
			one = i
		}
	}
	return one
}

// listedPage reads the page after cursor by listing the smallest of p's
// filters (of candidates, p.terms with some set to none), when its walk
// has spent its budget, walking walked deployments to find found rows,
// and listing costs less than the rest of the walk at that rate (a row
// listed and sorted costs about three walked, measured at 100k); ok is
// false when none is that few. The page's rows may lie anywhere after the
// budget's bound.
func listedPage[T any](ctx context.Context, s *reader, p plan, candidates []term, found, walked int, cursor string, limit int, trace traceFunc) (registry.Page[T], bool, error) {
	most := s.d.listMatches
	if found > 0 {
		most = min(most, (limit+1-found)*walked/found/3)
	}
	best, err := s.smallest(ctx, candidates, most, trace)
	if err != nil || best < 0 {
		return registry.Page[T]{}, false, err
	}
	p = s.shape(p.terms, p.one, best)
	pg, err := deploymentPage[T](ctx, s, p.where, p.args, p.key, cursor, limit, trace)
	return pg, true, err
}

// walkOn reads the rows of a page of limit that follow got, the rows
// found up to from, and says whether the page is full (a row follows it).
// Its statement reads table (deploymentPageFrom).
func walkOn[T any](ctx context.Context, s *reader, table string, got []T, where []string, args []any, key, from string, limit int, trace traceFunc) (registry.Page[T], bool, error) {
	need := limit - len(got)
	// With none needed, one row says whether the page ends at got.
	pg, err := deploymentPageFrom[T](ctx, s, table, where, args, key, from, max(need, 1), trace)
	if err != nil {
		return pg, false, err
	}
	if need == 0 {
		if len(pg.Items) == 0 {
			return registry.Page[T]{Items: got}, false, nil
		}
		next := registry.Cursor(itemID(got[len(got)-1]))
		return registry.Page[T]{Items: got, Next: next}, true, nil
	}
	pg.Items = append(slices.Clip(got), pg.Items...)
	return pg, pg.Next != "", nil
}

// itemID is the id of a deployment a page holds, decoded or not.
func itemID(item any) string {
	if st, ok := item.(registry.Stored); ok {
		return st.ID
	}
	return item.(*registry.Deployment).ID
}

// walkBound returns the id of the budget-th deployment the walk of p reads
// after cursor, and false if there are fewer.
func (s *reader) walkBound(ctx context.Context, p plan, cursor string, budget int, trace traceFunc) (string, bool, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if p.one >= 0 {
		where = append(where, p.terms[p.one].walk(arg))
	}
	if cursor != "" {
		after, err := registry.CursorKey(cursor)
		if err != nil {
			return "", false, err
		}
		where = append(where, "d.id > "+arg(after))
	}
	q := "SELECT d.id FROM deployments d"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY d.id LIMIT 1 OFFSET %d", max(budget-1, 0))
	trace.add(q, args, false)
	var id string
	switch err := s.q.QueryRowContext(ctx, q, args...).Scan(&id); {
	case err == sql.ErrNoRows:
		return "", false, nil
	case err != nil:
		return "", false, err
	}
	return id, true, nil
}

// deploymentPage reads a page of deployments (pageOf) and tells trace of
// its statement.
func deploymentPage[T any](ctx context.Context, s *reader, where []string, args []any, key, cursor string, limit int, trace traceFunc) (registry.Page[T], error) {
	return deploymentPageFrom[T](ctx, s, deploymentsTable, where, args, key, cursor, limit, trace)
}

// deploymentsTable is what a page's statement reads, but a walk of merged
// lists (listwalk.go).
const deploymentsTable = "deployments d"

// deploymentPageFrom is deploymentPage from table, deployments d joined
// to what leads it.
func deploymentPageFrom[T any](ctx context.Context, s *reader, table string, where []string, args []any, key, cursor string, limit int, trace traceFunc) (registry.Page[T], error) {
	where, args = slices.Clip(where), slices.Clip(args)
	if trace != nil {
		q, a, err := pageQuery("deployment", table, key, where, args, cursor, limit)
		if err != nil {
			return registry.Page[T]{}, err
		}
		trace(q, a, true)
	}
	return pageOf[T](ctx, s, "deployment", table, key, where, args, cursor, limit)
}
