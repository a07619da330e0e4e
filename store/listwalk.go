package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"oversight/registry"
)

// A search of two words of several forms ("city police": city, cities,
// citic; police, policing), or of a word and a filter without an ordered
// list (a technology), cannot merge all its lists (intersect.go): it
// walked every deployment in id order, or every deployment of its
// jurisdiction, probing each word's lists for each. At 100k, 441
// deployments hold both of those words, so a page of 51 walked about
// 11,600 deployments: 623,656 VM steps, 30 ms of sqlite3's CPU
// (bench/qplans -query 'q=city police').
//
// Only a deployment on every list can match, so such a walk reads the
// merge of the lists it can merge instead (a compound INTERSECT in id
// order from the cursor, a word of several forms first as the union of
// its forms' lists, at most one such union) and tests the other filters
// on each deployment it reads. The merge leads the statement, which stops
// when the page is full; its budget is a walk's (walk.go), walkPerRow
// deployments a row, past which a filter few enough is listed, as in any
// walk, or the merge is read on in windows each twice the last, to the
// page's end or the lists'.

// listWalk returns p walking the merge of its terms' lists, when p walks
// the deployments testing a word that deployment_words lists: every term
// with an ordered list, but that of the words of several forms only the
// one of fewest forms, whose union reads the fewest lists.
func listWalk(p plan) plan {
	if p.terms == nil {
		return p
	}
	var merged []int
	union, word := -1, -1
	for i, t := range p.terms {
		switch {
		case t.ordered == nil:
		case len(t.forms) > 1:
			if union < 0 || len(t.forms) < len(p.terms[union].forms) {
				union = i
			}
		default:
			if t.forms != nil && word < 0 {
				word = i
			}
			merged = append(merged, i)
		}
	}
	// A word first: its union applies to its own lists, and its column
	// (deployment_id) names the merge's (listBound).
	switch {
	case union >= 0:
		merged = append([]int{union}, merged...)
	case word >= 0:
		for i, t := range merged {
			if t == word {
				merged[0], merged[i] = merged[i], merged[0]
			}
		}
	default:
		return p
	}
	p.merged = merged
	return p
}

// mergeFrom writes the query of the first n deployment ids after after
// that every one of lists holds, merged in id order: each list a term's
// ordered query, a union of a word's forms first.
func mergeFrom(lists []term, arg func(any) string, after string, n int) string {
	qs := make([]string, len(lists))
	for i, t := range lists {
		qs[i] = t.ordered(arg, after)
	}
	return strings.Join(qs, " INTERSECT ") + fmt.Sprintf(" ORDER BY 1 LIMIT %d", n)
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

// listWindow returns what the window of p's walk that reads the next n
// deployments of its merge after cursor reads: the merge, which leads the
// statement in id order (SQLite reads it as a co-routine, with no sort,
// and stops when the page is full), and the other filters' tests, with their arguments.
func (s *reader) listWindow(p plan, cursor string, n int) (string, []string, []any, error) {
	after, err := cursorKey(cursor)
	if err != nil {
		return "", nil, nil, err
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	merged, tested := p.mergedTerms()
	// CROSS JOIN: SQLite keeps the merge the outer loop.
	table := "(" + mergeFrom(merged, arg, after, n) + ") m CROSS JOIN " + deploymentsTable
	where := []string{"d.id = m.deployment_id"}
	for _, t := range tested {
		where = append(where, t.test(arg))
	}
	return table, where, args, nil
}

// listBound returns the last of the next n deployments of p's merge after
// cursor, and false if fewer follow it.
func (s *reader) listBound(ctx context.Context, p plan, cursor string, n int, trace traceFunc) (string, bool, error) {
	after, err := cursorKey(cursor)
	if err != nil {
		return "", false, err
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	merged, _ := p.mergedTerms()
	q := "SELECT max(deployment_id), count(*) FROM (" + mergeFrom(merged, arg, after, n) + ") m"
	trace.add(q, args, false)
	var last sql.NullString
	var count int
	if err := s.q.QueryRowContext(ctx, q, args...).Scan(&last, &count); err != nil {
		return "", false, err
	}
	return last.String, count == n, nil
}

// listPage reads the page of p's walk after cursor (planPage): a window of
// walkPerRow deployments a row, which stops where the page is full; past
// it, a filter few enough is listed (listedPage), or the merge is read on,
// each window twice the last.
func listPage[T any](ctx context.Context, s *reader, p plan, cursor string, limit int, trace traceFunc) (registry.Page[T], error) {
	n := s.d.walkPerRow * (limit + 1)
	pg, from, done, err := listOn[T](ctx, s, p, nil, cursor, n, limit, trace)
	if err != nil || done {
		return pg, err
	}
	if pg, ok, err := listedPage[T](ctx, s, p, len(pg.Items), n, cursor, limit, trace); ok || err != nil {
		return pg, err
	}
	for got := pg.Items; ; {
		n *= 2
		pg, from, done, err = listOn(ctx, s, p, got, from, n, limit, trace)
		if err != nil || done {
			return pg, err
		}
		got = pg.Items
	}
}

// listOn reads the window of p's walk of n deployments after from, with
// got, the rows found up to from, and says whether the page is done: full,
// or the merge read to its end; else it returns the rows found and the
// cursor of the window's last deployment.
func listOn[T any](ctx context.Context, s *reader, p plan, got []T, from string, n, limit int, trace traceFunc) (registry.Page[T], string, bool, error) {
	table, where, args, err := s.listWindow(p, from, n)
	if err != nil {
		return registry.Page[T]{}, "", false, err
	}
	// The merge starts after from: a cursor's condition beside it would
	// lead SQLite to walk the entities from there instead.
	pg, full, err := walkOn(ctx, s, table, got, where, args, "m.deployment_id", "", limit, trace)
	if err != nil || full {
		return pg, "", true, err
	}
	bound, ok, err := s.listBound(ctx, p, from, n, trace)
	if err != nil || !ok {
		return pg, "", true, err
	}
	return pg, registry.Cursor(bound), false, nil
}

// cursorKey is the key a cursor names, "" for none (the first page).
func cursorKey(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	return registry.CursorKey(cursor)
}
