package store

import (
	"context"
	"fmt"

	"oversight/registry"
)

// conditions are the SQL conditions on deployments d that select what f's
// terms select, with their arguments, for a statement whose plan the
// database chooses (facets, the counts' examples).
func (s *reader) conditions(ctx context.Context, f registry.DeploymentFilter, tiersIndexed bool) ([]string, []any, error) {
	terms, _, err := s.terms(ctx, f, tiersIndexed, unpinned)
	if err != nil {
		return nil, nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	testedWords := 0
	for _, t := range terms {
		var c string
		switch t.free {
		case freeList:
			c = "d.id IN (" + t.set(arg) + ")"
		case freeCounted:
			var listed bool
			if c, listed, err = s.chosen(ctx, t, arg); err != nil {
				return nil, nil, err
			}
			if !listed && t.forms != nil {
				testedWords++
			}
		default:
			c = t.test(arg)
		}
		where = append(where, c)
	}
	// Words each held by many deployments may be held together by few
	// ("city" and "police": 249,519 and 183,569 of a million synthetic
	// deployments, both 4,611). Each tested as the deployments are read, a
	// statement read every deployment (the facets of a search for both in
	// one country: 8 s of the server's CPU at 1M); the full-text index
	// finds the few in a few milliseconds. So where two or more are
	// tested, their joint matches are listed beside them where few
	// (docs/performance.md, "Every route at 1M").
	if joint, ok := s.jointTerm(terms); ok && testedWords > 1 {
		c, listed, err := s.chosen(ctx, joint, arg)
		if err != nil {
			return nil, nil, err
		}
		if listed {
			where = append(where, c)
		}
	}
	return where, args, nil
}

// chosen is the condition of one term alone, in the form that is fast for
// how many deployments it selects: few, and they are listed from its
// index (IN); many, and each is tested as the deployments are walked.
// listed says which.
func (s *reader) chosen(ctx context.Context, t term, arg func(any) string) (string, bool, error) {
	if t.set == nil {
		return t.test(arg), false, nil
	}
	n, err := s.countTerm(ctx, t, s.d.fewMatches, nil)
	if err != nil || n >= s.d.fewMatches {
		return t.test(arg), false, err
	}
	return "d.id IN (" + t.set(arg) + ")", true, nil
}
