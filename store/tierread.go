package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"oversight/registry"
)

// tierTerm is the term of a tier filter: the deployments are listed by the
// index on (code, days), or each tested by its key.
func (s *reader) tierTerm(f *registry.TierFilter) term {
	constant := func(c string) term {
		return term{test: func(func(any) string) string { return c }, known: -1, free: freeCounted}
	}
	if b, _ := s.tiers.projector().TierBounds(f.Framework); f.Day < b.From || f.Day >= b.Until {
		// Out of force: every deployment has the same tier, and no row.
		if slices.Contains(f.Tiers, b.Outside) {
			return constant("1 = 1")
		}
		return constant("1 = 0")
	}
	p := s.tiers.projector()
	var codes []string
	var keys []string // the keys that hold on the day, each less its deployment
	for _, t := range f.Tiers {
		if code, ok := p.code(f.Framework, t); ok {
			codes = append(codes, strconv.Itoa(code))
			for _, d := range p.spansOn(f.Framework, dayNum(f.Day)) {
				keys = append(keys, fmt.Sprintf("t.code = %d AND t.from_day = %d AND t.until_day = %d", code, d[0], d[1]))
			}
		}
	}
	if len(codes) == 0 {
		return constant("1 = 0")
	}
	// The codes are integers made here, written into the statement so
	// that the planner sees them.
	set := func(arg func(any) string) string {
		return fmt.Sprintf("SELECT t.deployment_id FROM deployment_tiers t WHERE t.code IN (%s) AND t.from_day <= %s AND %[2]s < t.until_day",
			strings.Join(codes, ", "), arg(dayNum(f.Day)))
	}
	// A deployment is tested by the keys its span on the day may have,
	// each looked up whole: the table is ordered by code and days, so a
	// test by code and day alone would read every span of the code
	// begun by then. Past maxTierKeys, its deployments are listed once
	// a statement instead.
	test := func(arg func(any) string) string {
		if len(keys) > maxTierKeys {
			return "d.id IN (" + set(arg) + ")"
		}
		ors := make([]string, len(keys))
		for i, k := range keys {
			ors[i] = "EXISTS (SELECT 1 FROM deployment_tiers t WHERE " + k + " AND t.deployment_id = d.id)"
		}
		return "(" + strings.Join(ors, " OR ") + ")"
	}
	return term{set: set, test: test, known: -1, free: freeCounted}
}

// maxTierKeys is how many keys a tier filter's test looks up, at most, for
// each deployment it tests.
const maxTierKeys = 32

// tierMatch is the test of a tier filter that the table cannot answer yet:
// the projector classifies each deployment read, with its facts.
func (s *reader) tierMatch(ctx context.Context, f *registry.TierFilter) (func(*registry.Deployment) (bool, error), error) {
	p := s.tiers.projector()
	if p == nil {
		return nil, errors.New("a tier filter needs the store's tier projector (ProjectTiers)")
	}
	b, ok := p.TierBounds(f.Framework)
	if !ok {
		return nil, fmt.Errorf("tiers under %s cannot be projected", f.Framework)
	}
	return func(d *registry.Deployment) (bool, error) {
		fs, err := factsFor(ctx, s.q, s.d, []*registry.Deployment{d})
		if err != nil {
			return false, err
		}
		for _, sp := range p.TierSpans(d, fs[0]) {
			if sp.Framework == f.Framework && sp.From <= f.Day && f.Day < sp.Until {
				return slices.Contains(f.Tiers, sp.Tier), nil
			}
		}
		return slices.Contains(f.Tiers, b.Outside), nil
	}, nil
}

// TiersOn returns the tiers of the deployments ids on a day, by deployment
// and framework, from the projection; ok is false while the projection is
// not ready, and the caller must classify.
func (s *reader) TiersOn(ctx context.Context, ids []string, day string) (tiers map[string]map[string]string, ok bool, err error) {
	t, ok, err := s.TierTable(ctx, ids, day)
	if !ok || err != nil {
		return nil, ok, err
	}
	out := make(map[string]map[string]string, len(ids))
	for _, id := range ids {
		if m := t.Map(id); m != nil {
			out[id] = m
		}
	}
	return out, true, nil
}

// ProjectedTierVersion is the version (registry.TierProjector) of the
// tiers TierTable answers with, when it answers: the store's projector's;
// "" without one.
func (s *reader) ProjectedTierVersion() string {
	p := s.tiers.projector()
	if p == nil {
		return ""
	}
	return p.TierVersion()
}

// TierTable is TiersOn as a table (registry.TierTable): a row for each
// deployment of ids that has stored spans, or a framework out of force on
// day, with no map made.
func (s *reader) TierTable(ctx context.Context, ids []string, day string) (t *registry.TierTable, ok bool, err error) {
	p, err := s.projected(ctx)
	if p == nil || err != nil {
		return nil, false, err
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, false, err
	}
	// One row a deployment, its spans packed (tierspans.go): a page of
	// 50 has about 1,800 spans, and reading them a row each took twice
	// the time of the query (docs/performance.md, "Oversight against
	// PocketBase").
	rows, err := s.q.QueryContext(ctx, "SELECT deployment_id, spans FROM deployment_spans WHERE "+s.d.inJSON("deployment_id", "$1"), string(list))
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	on := dayNum(day)
	t = registry.NewTierTable(p.fws, p.tiers, len(ids))
	var packed sql.RawBytes // read in place: unpacked before the next row
	var spans []span
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &packed); err != nil {
			return nil, false, err
		}
		if spans, err = unpackSpans(spans[:0], packed); err != nil {
			return nil, false, fmt.Errorf("deployment_spans: %s: %w", id, err)
		}
		row := t.Add(id)
		for _, sp := range spans {
			if sp.from > on || on >= sp.until {
				continue
			}
			fw, tier, ok := p.split(sp.code)
			if !ok {
				return nil, false, fmt.Errorf("deployment_spans: %s has code %d, which no framework and tier make", id, sp.code)
			}
			row.SetCode(fw, tier)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	// Frameworks out of force that day have no rows: each deployment has
	// the same tier under them.
	for i, fw := range p.fws {
		if b, _ := p.TierBounds(fw); day < b.From || day >= b.Until {
			for _, id := range ids {
				t.Add(id).Set(i, b.Outside)
			}
		}
	}
	return t, true, nil
}
