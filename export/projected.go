package export

import (
	"context"
	"fmt"

	"oversight/registry"
)

// Projected is a Register that keeps deployments' tiers on every day (a
// store's tier projection), as one classifier gives them. An export whose
// Tiers are that classifier's reads a JSON export's "classification" from
// it, a batch of deployments at a time, instead of decoding and
// classifying every deployment a second time: that walk was two thirds of
// an export of the whole register (docs/performance.md, "The
// classification read from the projection").
type Projected interface {
	// TierTable returns the tiers of the deployments ids on day; ok is
	// false when the projection does not hold them yet.
	TierTable(ctx context.Context, ids []string, day string) (t *registry.TierTable, ok bool, err error)
	// ProjectedTierVersion is the version (registry.TierProjector) of
	// the tiers TierTable answers with, "" while it answers none.
	ProjectedTierVersion() string
}

// versioned is Tiers that name the version of the classifier they come
// from (registry.TierProjector's TierVersion), or "" when their tiers may
// differ from a projection's of that version (analysis.Table: a classifier
// that does not read the register's fact documents).
type versioned interface {
	TierVersion() string
}

// projectedBatch is how many deployments' tiers one TierTable reads.
const projectedBatch = 512

// projection returns r as Projected when it keeps the tiers that tiers
// give: the same classifier's version, which covers its frameworks and
// curated facts, named by the tiers.
func projection(r Register, tiers Tiers) (Projected, bool) {
	p, ok := r.(Projected)
	v, vok := tiers.(versioned)
	if !ok || !vok {
		return nil, false
	}
	want := v.TierVersion()
	return p, want != "" && p.ProjectedTierVersion() == want
}

// projectedRows calls fn with the id and tiers (in tiers.FrameworkIDs'
// order) of each deployment f selects, in the order sr lists them. A
// deployment the projection holds whole is read from it; any other (one
// written since and not yet projected) is decoded and classified, as
// before.
func projectedRows(ctx context.Context, sr StateRegister, p Projected, f registry.DeploymentFilter, tiers Tiers, fn func(id string, of []string) error) error {
	fws := tiers.FrameworkIDs()
	day := tiers.AsOf()
	of := make([]string, len(fws))
	batch := make([]registry.Stored, 0, projectedBatch)
	ids := make([]string, 0, projectedBatch)
	flush := func() error {
		ids = ids[:0]
		for _, st := range batch {
			ids = append(ids, st.ID)
		}
		t, ok, err := p.TierTable(ctx, ids, day)
		if err != nil {
			return err
		}
		cols := t.Columns(fws)
		for _, st := range batch {
			if row, has := t.Row(st.ID); ok && has && cols != nil && row.Has(cols) {
				for i, c := range cols {
					of[i], _ = row.Tier(c)
				}
				if err := fn(st.ID, of); err != nil {
					return err
				}
				continue
			}
			e, err := registry.Decode("deployment", st.State)
			if err != nil {
				return fmt.Errorf("deployment %s: %w", st.ID, err)
			}
			classified, _, err := tiers.Of(e.(*registry.Deployment))
			if err != nil {
				return err
			}
			if err := fn(st.ID, classified); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	err := sr.EachDeploymentState(ctx, f, func(st registry.Stored) error {
		batch = append(batch, st)
		if len(batch) < projectedBatch {
			return nil
		}
		return flush()
	})
	if err != nil || len(batch) == 0 {
		return err
	}
	return flush()
}
