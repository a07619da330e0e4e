// Package review prepares what a reviewer sees of a submission before
// deciding on it: how its record differs from the register's, how its
// classification changes under each framework, what an import would say
// of it against the register as it is now, and which records it may
// duplicate. The API and the pages show the same View.
package review

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"oversight/analysis"
	"oversight/contrib"
	"oversight/registry"
	"oversight/rules"
)

// A View is a submission as a reviewer sees it.
type View struct {
	Submission *contrib.Submission `json:"submission"`
	// Current is the register's record the submission concerns, if any.
	Current *registry.Deployment `json:"current,omitempty"`
	// Changes lists the fields the proposed record changes, by path.
	Changes []Change `json:"changes"`
	// Tiers gives the classification before and after, per framework;
	// before is empty for a new record, after for a submission without
	// one.
	Tiers []TierChange `json:"tiers"`
	// Errors are what an import of the record would report now: the
	// register may have changed since the submission was checked.
	Errors registry.Errors `json:"errors,omitempty"`
	// Duplicates are records that may be the same deployment.
	Duplicates []Candidate `json:"duplicates"`
}

// A TierChange is one framework's tier before and after.
type TierChange struct {
	Framework string     `json:"framework"`
	Before    rules.Tier `json:"before,omitempty"`
	After     rules.Tier `json:"after,omitempty"`
	Changed   bool       `json:"changed"`
}

// Prepare builds the view of sub from a snapshot of the register,
// classifying as of asOf.
func Prepare(ctx context.Context, rd registry.Reader, cls *analysis.Classifier, sub *contrib.Submission, asOf time.Time) (*View, error) {
	v := &View{Submission: sub}
	if sub.Target != "" {
		e, err := rd.Get(ctx, "deployment", sub.Target)
		if err != nil && !errors.Is(err, registry.ErrNotFound) {
			return nil, err
		}
		if d, ok := e.(*registry.Deployment); ok {
			v.Current = d
		}
	}
	var err error
	if v.Changes, err = Diff(v.Current, sub.Record); err != nil {
		return nil, err
	}
	v.Tiers = tierChanges(cls, v.Current, sub.Record, asOf)
	if sub.Record != nil {
		if v.Errors, err = importErrors(ctx, rd, sub); err != nil {
			return nil, err
		}
	}
	if v.Duplicates, err = Duplicates(ctx, rd, sub); err != nil {
		return nil, err
	}
	return v, nil
}

func tierChanges(cls *analysis.Classifier, before, after *registry.Deployment, asOf time.Time) []TierChange {
	var b, a map[string]rules.Tier
	if before != nil {
		b = cls.TiersOf(before, asOf)
	}
	if after != nil {
		a = cls.TiersOf(after, asOf)
	}
	var out []TierChange
	for _, fw := range cls.FrameworkIDs() {
		tc := TierChange{Framework: fw, Before: b[fw], After: a[fw]}
		tc.Changed = tc.Before != tc.After && after != nil
		out = append(out, tc)
	}
	return out
}

// importErrors checks the record as an import would, against rd.
func importErrors(ctx context.Context, rd registry.Reader, sub *contrib.Submission) (registry.Errors, error) {
	var lookErr error
	set := &registry.Set{Deployments: []*registry.Deployment{sub.Record}}
	res := set.Check(func(kind, id string) bool {
		_, err := rd.Get(ctx, kind, id)
		if err != nil && !errors.Is(err, registry.ErrNotFound) {
			lookErr = err
		}
		return err == nil
	})
	var out registry.Errors
	for _, re := range res {
		fe := *re.Err
		fe.Path = "record." + fe.Path
		out = append(out, &fe)
	}
	if sub.Kind == contrib.New && sub.State.Open() {
		if _, err := rd.Get(ctx, "deployment", sub.Record.ID); err == nil {
			out = append(out, &registry.FieldError{Path: "record.id", Msg: "the register has a deployment with this id now"})
		}
	}
	slices.SortStableFunc(out, func(a, b *registry.FieldError) int { return strings.Compare(a.Path, b.Path) })
	return out, lookErr
}
