// Package cached computes the whole-register results that requests show,
// at most once per register state: the index report and the counts of a
// scenario. The API and the pages share one memo.Cache, so a report that
// one of them computed serves the other.
package cached

import (
	"context"
	"fmt"
	"time"

	"oversight/analysis"
	"oversight/internal/memo"
	"oversight/rules"
)

// Sized tells the register state a snapshot reads: its log size.
type Sized interface {
	Size(ctx context.Context) (int64, error)
}

// IndexReport is the index with the built-in weights as of a date, kept in
// m for the register state rd reads on the day of now.
func IndexReport(ctx context.Context, rd interface {
	analysis.IndexRegister
	Sized
}, c *analysis.Classifier, m *memo.Cache, now, asOf time.Time) (*analysis.Report, error) {
	size, err := rd.Size(ctx)
	if err != nil {
		return nil, err
	}
	return memo.Get(m, memo.KeyAt(size, now), "index\x00"+asOf.Format(time.DateOnly), func() (*analysis.Report, error) {
		w, err := analysis.DefaultWeights()
		if err != nil {
			return nil, err
		}
		return analysis.IndexReport(ctx, rd, c, w, asOf)
	})
}

// Scenario is analysis.Simulate with its counts kept in m for the register
// state rd reads on the day of now, so that the pages after the first read
// only their own deployments.
func Scenario(ctx context.Context, rd interface {
	analysis.Register
	Sized
}, c *analysis.Classifier, m *memo.Cache, now time.Time, fw *rules.Framework, juris []string, asOf time.Time, page analysis.ItemPage) (*analysis.Scenario, error) {
	size, err := rd.Size(ctx)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("scenario\x00%s\x00%s\x00%q", fw.ID, asOf.Format(time.DateOnly), juris)
	counts, err := memo.Get(m, memo.KeyAt(size, now), name, func() (*analysis.Scenario, error) {
		return analysis.ScenarioCounts(ctx, rd, c, fw, juris, asOf)
	})
	if err != nil {
		return nil, err
	}
	return analysis.ScenarioPage(ctx, rd, c, counts, fw, juris, asOf, page)
}
