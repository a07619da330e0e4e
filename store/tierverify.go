package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"oversight/registry"
)

// VerifyTiers classifies every deployment again and compares its tiers with
// the table's, naming each deployment and framework that differ, and any
// row of a deployment the register does not hold; and its class likewise,
// and class_counts with the classes counted again (classverify.go). The table is derived from
// the log and the frameworks together, so Verify, which checks what follows
// from the log alone, leaves it out; this check costs a classification of
// the whole register. Deployments still pending are skipped. A table of
// another version than the projector's is not compared: ProjectTiers
// rewrites it (note says so).
func (s *DB) VerifyTiers(ctx context.Context) (checked int, mismatches []Mismatch, note string, err error) {
	p := s.tiers.projector()
	if p == nil {
		return 0, nil, "", errors.New("no tier projector (SetTierProjector)")
	}
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return 0, nil, "", err
	}
	defer sn.Close()
	if have, err := tierVersion(ctx, sn.q); err != nil || have != p.TierVersion() {
		return 0, nil, "the stored tiers are of another version of the frameworks, or none; the server projects them again", err
	}
	bad := func(format string, args ...any) {
		if len(mismatches) < maxTierMismatches {
			mismatches = append(mismatches, Mismatch{What: tDepTiers.name, Detail: fmt.Sprintf(format, args...)})
		}
	}
	var orphans int
	if err := sn.q.QueryRowContext(ctx, "SELECT count(*) FROM deployment_tiers t WHERE NOT EXISTS (SELECT 1 FROM deployments d WHERE d.id = t.deployment_id)").Scan(&orphans); err != nil {
		return 0, nil, "", err
	}
	if orphans > 0 {
		bad("%d rows of deployments the register does not hold", orphans)
	}
	var batch []*registry.Deployment
	compare := func() error {
		ids := make([]string, len(batch))
		for i, d := range batch {
			ids[i] = d.ID
		}
		stored, pending, err := sn.storedSpans(ctx, p, ids)
		if err != nil {
			return err
		}
		fs, err := factsFor(ctx, sn.q, sn.d, batch)
		if err != nil {
			return err
		}
		classes := map[string][]any{}
		for i, d := range spansOf(p, batch, fs) {
			id := batch[i].ID
			if pending[id] {
				continue
			}
			checked++
			want := map[string][]string{}
			for _, r := range d {
				if r.t == tDepClasses {
					classes[id] = r.vals
				}
				if r.t != tDepTiers {
					continue
				}
				fw, tier, _ := p.decode(r.vals[1].(int))
				want[fw] = append(want[fw], spanText(tier, r.vals[2].(int), r.vals[3].(int)))
			}
			for _, fw := range p.fws {
				if got := stored[id][fw]; !slices.Equal(got, want[fw]) {
					bad("deployment %s under %s: the frameworks give %v, the table holds %v", id, fw, want[fw], got)
				}
			}
			if got, ok := stored[id][unknownCode]; ok {
				bad("deployment %s: rows whose code no framework and tier make: %v", id, got)
			}
		}
		batch = batch[:0]
		if _, ok := p.TierProjector.(registry.ClassProjector); !ok {
			return nil
		}
		found, err := sn.verifyClassRows(ctx, classes)
		mismatches = append(mismatches, found...)
		return err
	}
	err = sn.EachDeployment(ctx, registry.DeploymentFilter{}, func(d *registry.Deployment) error {
		batch = append(batch, d)
		if len(batch) == s.d.tierBatch {
			return compare()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = compare()
	}
	if _, ok := p.TierProjector.(registry.ClassProjector); ok && err == nil {
		var found []Mismatch
		found, err = sn.verifyClassCounts(ctx)
		mismatches = append(mismatches, found...)
	}
	return checked, mismatches, "", err
}

// maxTierMismatches bounds how many differences VerifyTiers names.
const maxTierMismatches = 100

// storedSpans reads the stored spans of deployments ids, by deployment and
// framework in order of their first day, and which of ids are pending.
func (s *reader) storedSpans(ctx context.Context, p *tierCodec, ids []string) (map[string]map[string][]string, map[string]bool, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, nil, err
	}
	// code / tierCodeWidth is the framework: its spans come together, in
	// order of their first day, whatever their tiers.
	rows, err := s.q.QueryContext(ctx, fmt.Sprintf("SELECT deployment_id, code, from_day, until_day FROM deployment_tiers WHERE %s ORDER BY deployment_id, code / %d, from_day",
		s.d.inJSON("deployment_id", "$1"), tierCodeWidth), string(list))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := map[string]map[string][]string{}
	for rows.Next() {
		var id string
		var code, from, until int
		if err := rows.Scan(&id, &code, &from, &until); err != nil {
			return nil, nil, err
		}
		fw, tier, ok := p.decode(code)
		if !ok {
			fw, tier = unknownCode, fmt.Sprintf("code %d", code)
		}
		if out[id] == nil {
			out[id] = map[string][]string{}
		}
		out[id][fw] = append(out[id][fw], spanText(tier, from, until))
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	pending := map[string]bool{}
	prows, err := s.q.QueryContext(ctx, "SELECT deployment_id FROM tier_pending WHERE "+s.d.inJSON("deployment_id", "$1"), string(list))
	if err != nil {
		return nil, nil, err
	}
	defer prows.Close()
	for prows.Next() {
		var id string
		if err := prows.Scan(&id); err != nil {
			return nil, nil, err
		}
		pending[id] = true
	}
	return out, pending, prows.Err()
}

// unknownCode stands for the framework of a code that none makes.
const unknownCode = "?"

// spanText writes a span for a person: the tier and its days.
func spanText(tier string, from, until int) string {
	return fmt.Sprintf("%s %d-%d", tier, from, until)
}
