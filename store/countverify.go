package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// A countCheck is deployment_counts as one snapshot read it.
type countCheck struct {
	size int64
	rows map[countKey]int
}

// readCounts reads deployment_counts whole: it has a row per combination
// of attributes the register holds, not per deployment.
func (s *DB) readCounts(ctx context.Context, c *countCheck) error {
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	c.size, c.rows = sn.size, map[countKey]int{}
	var bad error
	err = eachRow(ctx, sn.q, tCounts, "", func(vals []any) {
		year, err1 := strconv.ParseInt(cell(vals[1]), 10, 64)
		n, err2 := strconv.Atoi(cell(vals[8]))
		if err1 != nil || err2 != nil {
			bad = err1
			if bad == nil {
				bad = err2
			}
			return
		}
		k := countKey{cell(vals[0]), year, cell(vals[2]), cell(vals[3]), cell(vals[4]), cell(vals[5]), cell(vals[6]), cell(vals[7])}
		c.rows[k] = n
	})
	if err != nil {
		return err
	}
	return bad
}

// compareCounts names each row of deployment_counts that differs from the
// counts of the current states (want): a count changed, a row missing, or
// a row the states do not account for, 0 included.
func compareCounts(want, got map[countKey]int, bad badFunc) {
	keys := make([]countKey, 0, len(want)+len(got))
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b countKey) int { return strings.Compare(a.text(), b.text()) })
	shown := 0
	for _, k := range keys {
		w, inWant := want[k]
		g, inGot := got[k]
		if inWant == inGot && w == g {
			continue
		}
		switch {
		case shown == most:
			bad(tCounts.name, "and more differences")
		case shown > most:
		case !inGot:
			bad(tCounts.name, "missing row %s: the current states give %d deployments", k.text(), w)
		case !inWant:
			bad(tCounts.name, "row %s (n=%d) that no current state accounts for", k.text(), g)
		default:
			bad(tCounts.name, "row %s: n=%d, the current states give %d", k.text(), g, w)
		}
		shown++
	}
}
