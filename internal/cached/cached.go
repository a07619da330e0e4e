// Package cached computes the whole-register results that requests show,
// at most once per register state and away from the requests (see
// internal/memo): the index report and the counts of a scenario. The API
// and the pages share one memo.Cache, so a report that one of them
// computed serves the other.
package cached

import (
	"context"
	"fmt"
	"time"

	"oversight/analysis"
	"oversight/internal/memo"
	"oversight/registry"
	"oversight/rules"
)

// Opener opens a snapshot of the register. A computation opens its own,
// since it outlives the request that started it.
type Opener func(ctx context.Context) (registry.Snapshot, error)

// IndexReport is the index with the built-in weights as of a date, for the
// register at key.
func IndexReport(ctx context.Context, m *memo.Cache, key memo.Key, open Opener, c *analysis.Classifier, asOf time.Time) (memo.Value[*analysis.Report], error) {
	return memo.Get(ctx, m, key, "index\x00"+asOf.Format(time.DateOnly), func(ctx context.Context) (*analysis.Report, error) {
		w, err := analysis.DefaultWeights()
		if err != nil {
			return nil, err
		}
		sn, err := open(ctx)
		if err != nil {
			return nil, err
		}
		defer sn.Close()
		return analysis.IndexReport(ctx, sn, c, w, asOf)
	})
}

// Scenario is analysis.Simulate for the register at key: its counts are
// computed once per state, and each page reads only its own deployments
// from rd, the request's snapshot.
func Scenario(ctx context.Context, m *memo.Cache, key memo.Key, open Opener, rd analysis.Register, c *analysis.Classifier, fw *rules.Framework, juris []string, asOf time.Time, page analysis.ItemPage) (memo.Value[*analysis.Scenario], error) {
	name := fmt.Sprintf("scenario\x00%s\x00%s\x00%q", fw.ID, asOf.Format(time.DateOnly), juris)
	counts, err := memo.Get(ctx, m, key, name, func(ctx context.Context) (*analysis.Scenario, error) {
		sn, err := open(ctx)
		if err != nil {
			return nil, err
		}
		defer sn.Close()
		return analysis.ScenarioCounts(ctx, sn, c, fw, juris, asOf)
	})
	if err != nil {
		return memo.Value[*analysis.Scenario]{}, err
	}
	sc, err := analysis.ScenarioPage(ctx, rd, c, counts.Val, fw, juris, asOf, page)
	return memo.Value[*analysis.Scenario]{Val: sc, Key: counts.Key, Stale: counts.Stale}, err
}
