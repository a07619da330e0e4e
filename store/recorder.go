package store

import (
	"context"
	"database/sql"
	"slices"

	"oversight/registry"
)

// FacetsQueries returns the statements Facets runs for f, in the
// order it runs them, for benchmarks to run the very SQL the store does:
// the counts that choose a filter's form (Page false) and each facet's
// (Page true). It runs them, through a reader that records each.
func (s *reader) FacetsQueries(ctx context.Context, f registry.DeploymentFilter) ([]Statement, error) {
	rec := &recorder{q: s.q}
	r := *s
	r.q = rec
	_, err := r.Facets(ctx, f)
	return rec.out, err
}

// A recorder is a querier that records the statements run through it: a
// row's as a count, rows' as a page.
type recorder struct {
	q   querier
	out []Statement
}

func (r *recorder) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	r.out = append(r.out, Statement{query, slices.Clone(args), true})
	return r.q.QueryContext(ctx, query, args...)
}

func (r *recorder) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	r.out = append(r.out, Statement{query, slices.Clone(args), false})
	return r.q.QueryRowContext(ctx, query, args...)
}
