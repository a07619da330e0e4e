package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
)

// countedTerms returns terms with how many deployments each selects
// (known) summed from deployment_counts, for every term the table holds,
// in one statement; terms as they are where it cannot tell: on
// PostgreSQL, or when the table has more than jointRows rows. Counting
// each filter's index up to fewMatches instead read up to 5,000 index
// rows a filter, a millisecond of a page of a jurisdiction, a
// technology and years at 100k (docs/performance.md, "A request's own
// cost"); the table had 948 rows. In a snapshot the counts are kept
// for the snapshot's log size, which every write changes, and read once
// a size: the sums over the table were half a millisecond again. They
// choose a page's plan only, never what it lists.
func (s *reader) countedTerms(ctx context.Context, terms []term) ([]term, error) {
	if s.d.pin == nil {
		return terms, nil
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var sums []string
	var which []int
	for i, t := range terms {
		if t.counted != nil && t.set != nil && t.known < 0 {
			sums = append(sums, fmt.Sprintf("coalesce(sum(CASE WHEN %s THEN n ELSE 0 END), 0)", t.counted(arg)))
			which = append(which, i)
		}
	}
	if len(which) == 0 {
		return terms, nil
	}
	q := fmt.Sprintf("SELECT count(*), %s FROM (SELECT * FROM deployment_counts LIMIT %d) c", strings.Join(sums, ", "), s.d.jointRows+1)
	var read int64
	n := make([]int64, len(which))
	dest := []any{&read}
	for i := range n {
		dest = append(dest, &n[i])
	}
	if err := s.countRow(ctx, q, args, dest); err != nil {
		return nil, err
	}
	if read > int64(s.d.jointRows) {
		return terms, nil
	}
	out := slices.Clone(terms)
	for i, t := range which {
		out[t].known = int(min(n[i], math.MaxInt32))
	}
	return out, nil
}

// countRow scans the one row of q, a statement that counts over
// deployment_counts or a filter's set (countUpTo), into dest (*int64
// each): from the memo of counts kept for the snapshot's log size, or from
// the tables, then kept there.
func (s *reader) countRow(ctx context.Context, q string, args, dest []any) error {
	tx, _ := s.q.(*countingTx)
	var memo *countMemo
	if tx != nil && s.tiers != nil {
		memo = &s.tiers.counts
	}
	key := fmt.Sprint(q, args)
	if memo != nil && memo.get(tx.size, key, dest) {
		return nil
	}
	if err := s.q.QueryRowContext(ctx, q, args...).Scan(dest...); err != nil {
		return err
	}
	if memo != nil {
		memo.put(tx.size, key, dest)
	}
	return nil
}

// A countMemo keeps counts over deployment_counts (countRow) read at one
// log size (sizeMemo), up to maxMemoCounts of them.
type countMemo struct{ sizeMemo[[]int64] }

// maxMemoCounts bounds the filters a countMemo keeps: each is a
// statement's text and a few integers.
const maxMemoCounts = 512

// get fills dest (*int64 each) with the counts kept for key at size, and
// reports whether there were any.
func (c *countMemo) get(size int64, key string, dest []any) bool {
	v, ok := c.sizeMemo.get(size, key)
	if !ok || len(v) != len(dest) {
		return false
	}
	for i, d := range dest {
		*d.(*int64) = v[i]
	}
	return true
}

// put keeps the counts in dest (*int64 each) for key at size.
func (c *countMemo) put(size int64, key string, dest []any) {
	v := make([]int64, len(dest))
	for i, d := range dest {
		v[i] = *d.(*int64)
	}
	c.sizeMemo.put(size, key, v, maxMemoCounts)
}

// countTerm counts the deployments t selects, up to limit, by its
// counts when it has them.
func (s *reader) countTerm(ctx context.Context, t term, limit int, trace traceFunc) (int, error) {
	queries := t.count
	if queries == nil {
		queries = []func(arg func(any) string) string{t.set}
	}
	var n int
	for _, q := range queries {
		var err error
		if n, err = s.countUpTo(ctx, q, limit, trace); err != nil || n >= limit {
			return n, err
		}
	}
	return n, nil
}

// countUpTo counts the ids a set's query lists, up to limit.
func (s *reader) countUpTo(ctx context.Context, set func(arg func(any) string) string, limit int, trace traceFunc) (int, error) {
	var args []any
	q := set(func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	})
	q = fmt.Sprintf("SELECT count(*) FROM (%s LIMIT %d) m", q, limit)
	trace.add(q, args, false)
	// Kept for the log size: the lists of a network or a trend table ask
	// for the same filter's count once a statement (FirstDeployments,
	// through conditions), some forty times for a network at 1M.
	var n int64
	err := s.countRow(ctx, q, args, []any{&n})
	return int(n), err
}
