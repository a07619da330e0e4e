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
	for _, t := range terms {
		var c string
		switch t.free {
		case freeList:
			c = "d.id IN (" + t.set(arg) + ")"
		case freeCounted:
			if c, err = s.chosen(ctx, t, arg); err != nil {
				return nil, nil, err
			}
		default:
			c = t.test(arg)
		}
		where = append(where, c)
	}
	return where, args, nil
}

// chosen is the condition of one term alone, in the form that is fast for
// how many deployments it selects: few, and they are listed from its
// index (IN); many, and each is tested as the deployments are walked.
func (s *reader) chosen(ctx context.Context, t term, arg func(any) string) (string, error) {
	if t.set == nil {
		return t.test(arg), nil
	}
	n, err := s.countTerm(ctx, t, s.d.fewMatches, nil)
	if err != nil || n >= s.d.fewMatches {
		return t.test(arg), err
	}
	return "d.id IN (" + t.set(arg) + ")", nil
}
