package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"oversight/registry"
)

// VerifyTiers classifies every deployment again and compares its tiers with
// the stored ones, naming each deployment and framework that differ: its
// packed spans (deployment_spans) with the classification, and the rows of
// deployment_tiers with both, naming a span missing from them and a row no
// deployment's spans make. Rows of a deployment the register does not hold
// are named too; and each deployment's class likewise, and class_counts
// with the classes counted again (classverify.go). The tables are derived
// from the log and the frameworks together, so Verify, which checks what
// follows from the log alone, leaves them out; this check costs a
// classification of the whole register. Deployments still pending are
// skipped. Tables of another version than the projector's are not
// compared: ProjectTiers rewrites them (note says so).
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
	bad := func(t *table, format string, args ...any) {
		if len(mismatches) < maxTierMismatches {
			mismatches = append(mismatches, Mismatch{What: t.name, Detail: fmt.Sprintf(format, args...)})
		}
	}
	var orphans int
	if err := sn.q.QueryRowContext(ctx, "SELECT count(*) FROM deployment_spans t WHERE NOT EXISTS (SELECT 1 FROM deployments d WHERE d.id = t.deployment_id)").Scan(&orphans); err != nil {
		return 0, nil, "", err
	}
	if orphans > 0 {
		bad(tDepSpans, "%d rows of deployments the register does not hold", orphans)
	}
	indexed := 0 // rows of deployment_tiers that the classification gives
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
		var keys []spanKey
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
				sp := span{r.vals[0].(int), r.vals[1].(int), r.vals[2].(int)}
				fw, tier, _ := p.decode(sp.code)
				want[fw] = append(want[fw], spanText(tier, sp.from, sp.until))
				keys = append(keys, spanKey{sp, id})
			}
			if e, ok := stored[id][unknownCode]; ok {
				bad(tDepSpans, "deployment %s: %v", id, e)
				continue
			}
			for _, fw := range p.fws {
				if got := stored[id][fw]; !slices.Equal(got, want[fw]) {
					bad(tDepSpans, "deployment %s under %s: the frameworks give %v, the table holds %v", id, fw, want[fw], got)
				}
			}
		}
		found, err := sn.indexedSpans(ctx, keys)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if !found[k] {
				fw, tier, _ := p.decode(k.code)
				bad(tDepTiers, "deployment %s under %s: the frameworks give %s, which the table lacks", k.id, fw, spanText(tier, k.from, k.until))
			}
		}
		indexed += len(found)
		batch = batch[:0]
		if _, ok := p.TierProjector.(registry.ClassProjector); !ok {
			return nil
		}
		found2, err := sn.verifyClassRows(ctx, classes)
		mismatches = append(mismatches, found2...)
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
	if err != nil {
		return checked, mismatches, "", err
	}
	var rows int
	if err := sn.q.QueryRowContext(ctx, "SELECT count(*) FROM deployment_tiers").Scan(&rows); err != nil {
		return checked, mismatches, "", err
	}
	if rows > indexed {
		bad(tDepTiers, "%d rows that no deployment's tiers give", rows-indexed)
		found, err := sn.extraSpans(ctx, p)
		mismatches = append(mismatches, found[:min(len(found), max(0, maxTierMismatches-len(mismatches)))]...)
		if err != nil {
			return checked, mismatches, "", err
		}
	}
	if _, ok := p.TierProjector.(registry.ClassProjector); ok {
		var found []Mismatch
		found, err = sn.verifyClassCounts(ctx)
		mismatches = append(mismatches, found...)
	}
	return checked, mismatches, "", err
}

// maxTierMismatches bounds how many differences VerifyTiers names.
const maxTierMismatches = 100

// A spanKey is the key of a row of deployment_tiers.
type spanKey struct {
	span
	id string
}

// storedSpans reads the packed spans of deployments ids, by deployment and
// framework in their order, and which of ids are pending. A deployment
// whose packed spans cannot be read has, under unknownCode, why; a code
// that no framework and tier make is listed under unknownCode too.
func (s *reader) storedSpans(ctx context.Context, p *tierCodec, ids []string) (map[string]map[string][]string, map[string]bool, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.q.QueryContext(ctx, "SELECT deployment_id, spans FROM deployment_spans WHERE "+s.d.inJSON("deployment_id", "$1"), string(list))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := map[string]map[string][]string{}
	var packed []byte
	var spans []span
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &packed); err != nil {
			return nil, nil, err
		}
		out[id] = map[string][]string{}
		if spans, err = unpackSpans(spans[:0], packed); err != nil {
			out[id][unknownCode] = []string{err.Error()}
			continue
		}
		for _, sp := range spans {
			fw, tier, ok := p.decode(sp.code)
			if !ok {
				fw, tier = unknownCode, fmt.Sprintf("code %d", sp.code)
			}
			out[id][fw] = append(out[id][fw], spanText(tier, sp.from, sp.until))
		}
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

// indexedSpans looks keys up in deployment_tiers, each by its whole key,
// and returns those it holds.
func (s *reader) indexedSpans(ctx context.Context, keys []spanKey) (map[spanKey]bool, error) {
	found := make(map[spanKey]bool, len(keys))
	for len(keys) > 0 {
		n := min(len(keys), 5000)
		var list []byte
		list = append(list, '[')
		for i, k := range keys[:n] {
			if i > 0 {
				list = append(list, ',')
			}
			list = appendSpanKey(list, k)
		}
		list = append(list, ']')
		keys = keys[n:]
		// Joined, each key is looked up whole; SQLite looks a row value
		// IN a list up by its first three columns alone.
		rows, err := s.q.QueryContext(ctx, "SELECT t.code, t.from_day, t.until_day, t.deployment_id FROM ("+s.d.spanKeys("$1")+
			") k CROSS JOIN deployment_tiers t WHERE t.code = k.code AND t.from_day = k.from_day AND t.until_day = k.until_day AND t.deployment_id = k.deployment_id", string(list))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k spanKey
			if err := rows.Scan(&k.code, &k.from, &k.until, &k.id); err != nil {
				rows.Close()
				return nil, err
			}
			found[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// extraSpans names the rows of deployment_tiers that their deployment's
// packed spans do not list, up to maxTierMismatches: VerifyTiers has
// counted more rows than the classification gives, and checked the packed
// spans against it.
func (s *reader) extraSpans(ctx context.Context, p *tierCodec) ([]Mismatch, error) {
	rows, err := s.q.QueryContext(ctx, "SELECT t.deployment_id, t.code, t.from_day, t.until_day, s.spans FROM deployment_tiers t LEFT JOIN deployment_spans s ON s.deployment_id = t.deployment_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mismatch
	var lastID string
	var last, packed []byte
	var spans []span
	for rows.Next() && len(out) < maxTierMismatches {
		var k spanKey
		if err := rows.Scan(&k.id, &k.code, &k.from, &k.until, &packed); err != nil {
			return out, err
		}
		if k.id != lastID || !bytes.Equal(packed, last) {
			lastID, last = k.id, append(last[:0], packed...)
			spans, _ = unpackSpans(spans[:0], packed) // its errors are named already
		}
		if packed != nil && slices.Contains(spans, k.span) {
			continue
		}
		fw, tier, ok := p.decode(k.code)
		if !ok {
			fw, tier = unknownCode, fmt.Sprintf("code %d", k.code)
		}
		out = append(out, Mismatch{What: tDepTiers.name, Detail: fmt.Sprintf("deployment %s under %s: the table holds %s, which its spans do not", k.id, fw, spanText(tier, k.from, k.until))})
	}
	return out, rows.Err()
}

// unknownCode stands for the framework of a code that none makes, and
// for why a deployment's packed spans cannot be read.
const unknownCode = "?"

// spanText writes a span for a person: the tier and its days.
func spanText(tier string, from, until int) string {
	return fmt.Sprintf("%s %d-%d", tier, from, until)
}
