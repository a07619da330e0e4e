package store

import (
	"context"
	"fmt"
	"testing"
)

// TestCountedTerms checks each count summed from deployment_counts against
// the deployments its filter's own index lists, for every filter and pair
// of filters, in a snapshot (whose counts are kept for its log size) and
// through the pool.
func TestCountedTerms(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := projected(t, 12)
	sn, err := db.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	cases, names := filterPairs(someTier(t, db))
	counted := 0
	for i, f := range cases {
		for _, rd := range []*reader{&db.reader, &sn.reader, &sn.reader} { // the snapshot's second time from its memo
			terms, _, err := rd.terms(ctx, f, true, rd.pin())
			if err != nil {
				t.Fatal(err)
			}
			got, err := rd.countedTerms(ctx, terms)
			if err != nil {
				t.Fatal(err)
			}
			for j, tm := range got {
				if tm.counted == nil || tm.set == nil {
					if tm.known != terms[j].known {
						t.Errorf("%s: term %d, which the counts do not hold, has known %d", names[i], j, tm.known)
					}
					continue
				}
				counted++
				var args []any
				q := tm.set(func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) })
				var want int
				if err := rd.q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT DISTINCT * FROM ("+q+"))", args...).Scan(&want); err != nil {
					t.Fatal(err)
				}
				if tm.known != want {
					t.Errorf("%s: term %d counted %d, its index lists %d", names[i], j, tm.known, want)
				}
			}
		}
	}
	if counted == 0 {
		t.Fatal("no term was counted from the table")
	}
	// Past jointRows rows, nothing is known.
	defer func(rows int) { db.d.jointRows = rows }(db.d.jointRows)
	db.d.jointRows = 0
	terms, _, err := db.terms(ctx, cases[0], true, db.pin())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.countedTerms(ctx, terms); err != nil || got[0].known != -1 {
		t.Errorf("with jointRows 0: %v, known %d, want -1", err, got[0].known)
	}
}

func TestCountMemo(t *testing.T) {
	var m countMemo
	a, b := int64(3), int64(4)
	m.put(7, "q", []any{&a, &b})
	var x, y int64
	if !m.get(7, "q", []any{&x, &y}) || x != 3 || y != 4 {
		t.Errorf("get at the same size: %d %d", x, y)
	}
	if m.get(8, "q", []any{&x, &y}) || m.get(7, "other", []any{&x, &y}) || m.get(7, "q", []any{&x}) {
		t.Error("get answered for another size, key or shape")
	}
	m.put(8, "r", []any{&a})
	if m.get(7, "q", []any{&x, &y}) {
		t.Error("counts of an older size kept past a newer one")
	}
	for i := range maxMemoCounts + 1 {
		m.put(8, fmt.Sprint(i), []any{&a})
	}
	if n := len(m.m); n > maxMemoCounts {
		t.Errorf("%d counts kept, the bound is %d", n, maxMemoCounts)
	}
}
