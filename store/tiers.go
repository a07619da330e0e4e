package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"oversight/registry"
)

// The tier projection (migration 010): each deployment's tier under each
// framework, kept in deployment_tiers as registry.TierSpans. The spans
// follow from a deployment's state and from what the projector reads
// besides (frameworks, curated facts), so they are written with each
// revision of a deployment, and all of them again when the projector's
// version is not the one they were written with.

var (
	tDepTiers    = &table{name: "deployment_tiers", cols: []string{"deployment_id", "code", "from_day", "until_day"}, owner: "deployment_id", key: 3}
	tTierPending = &table{name: "tier_pending", cols: []string{"deployment_id"}, owner: "deployment_id", key: 1}
)

// tierProjection is the name of the projection in the projections table.
const tierProjection = "tiers"

// tierState is the projector a DB writes tiers with, shared by its
// snapshots. ready is set once the rows are known to be the projector's.
type tierState struct {
	mu    sync.RWMutex
	p     *tierCodec
	ready atomic.Bool
}

func (t *tierState) projector() *tierCodec {
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.p
}

// tiersUsable says whether the table can answer a tier filter: its version
// is the projector's, the framework is projected, and no deployment is
// pending. Without a filter there is nothing to answer.
func (s *reader) tiersUsable(ctx context.Context, f *registry.TierFilter) (bool, error) {
	p := s.tiers.projector()
	if f == nil || p == nil || !s.tiers.ready.Load() {
		return false, nil
	}
	if _, ok := p.TierBounds(f.Framework); !ok {
		return false, nil
	}
	pending, err := anyPending(ctx, s.q)
	return !pending, err
}

// anyPending says whether any deployment's tiers are pending.
func anyPending(ctx context.Context, q querier) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM tier_pending LIMIT 1) p").Scan(&n)
	return n > 0, err
}

// SetTierProjector makes p the projector of every later write, and says
// whether the table holds all its tiers already: the version is p's and no
// deployment is pending. Until it does (ProjectTiers), tier filters
// classify the deployments they read.
func (s *DB) SetTierProjector(ctx context.Context, p registry.TierProjector) (ready bool, err error) {
	s.tiers.mu.Lock()
	s.tiers.p = newTierCodec(p)
	s.tiers.mu.Unlock()
	have, err := tierVersion(ctx, s.q)
	if err != nil {
		return false, err
	}
	s.tiers.ready.Store(have == p.TierVersion())
	pending, err := anyPending(ctx, s.q)
	return have == p.TierVersion() && !pending, err
}

// tierVersion reads the version the tier projection was written with, ""
// when none is recorded.
func tierVersion(ctx context.Context, q querier) (string, error) {
	var have string
	err := q.QueryRowContext(ctx, "SELECT version FROM projections WHERE name = $1", tierProjection).Scan(&have)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return have, err
}

// ProjectTiers brings the tier projection up to date with the store's
// projector, and returns how many deployments it projected. If the table
// holds another version's tiers (or none), every deployment is marked
// pending; then the pending deployments are projected, tierBatch a
// transaction, so that writers wait for one batch at most. Readers go on
// meanwhile, classifying under tier filters until no deployment is
// pending.
func (s *DB) ProjectTiers(ctx context.Context) (int, error) {
	p := s.tiers.projector()
	if p == nil {
		return 0, errors.New("no tier projector (SetTierProjector)")
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		// Writers take the same lock, so none writes a deployment's
		// tiers between the delete and the marking below.
		if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
			return err
		}
		have, err := tierVersion(ctx, tx)
		if err != nil || have == p.TierVersion() {
			return err
		}
		for _, q := range []string{"DELETE FROM deployment_tiers", "DELETE FROM tier_pending",
			"INSERT INTO tier_pending (deployment_id) SELECT id FROM deployments"} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		tw := newTxWriter(ctx, s.d, tx, p)
		return setVersion(tw, p.TierVersion())
	})
	if err != nil {
		return 0, fmt.Errorf("projecting tiers: %w", err)
	}
	s.tiers.ready.Store(true)
	n := 0
	for {
		done := 0
		err := s.writeTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
				return err
			}
			if have, err := tierVersion(ctx, tx); err != nil || have != p.TierVersion() {
				if err == nil {
					err = errors.New("another process projected the tiers with another version of the frameworks")
				}
				return err
			}
			ds, err := pendingDeployments(ctx, tx, tierBatch)
			if err != nil || len(ds) == 0 {
				return err
			}
			tw := newTxWriter(ctx, s.d, tx, p)
			defer tw.wait()
			ids := make([]string, len(ds))
			for i, rows := range spansOf(p, ds) {
				if err := tw.insert(rows...); err != nil {
					return err
				}
				ids[i] = ds[i].ID
			}
			list, err := json.Marshal(ids)
			if err != nil {
				return err
			}
			if err := tw.exec("DELETE FROM tier_pending WHERE "+s.d.inJSON("deployment_id", "$1"), string(list)); err != nil {
				return err
			}
			done = len(ds)
			return tw.flush()
		})
		if err != nil {
			return n, fmt.Errorf("projecting tiers: %w", err)
		}
		if done == 0 {
			return n, nil
		}
		n += done
	}
}

// tierBatch is how many pending deployments one transaction of
// ProjectTiers projects, and tiersInline how many deployments one write
// may hold and still project their tiers itself: a larger import leaves
// them pending, for ProjectTiers, since classifying them would take most
// of its time (variables for the tests).
var (
	tierBatch   = 500
	tiersInline = 1000
)

// pendingDeployments reads up to n pending deployments' current states.
func pendingDeployments(ctx context.Context, tx *sql.Tx, n int) ([]*registry.Deployment, error) {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT e.state FROM tier_pending p JOIN entities e ON e.kind = 'deployment' AND e.id = p.deployment_id ORDER BY p.deployment_id LIMIT %d", n))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*registry.Deployment
	for rows.Next() {
		var state []byte
		if err := rows.Scan(&state); err != nil {
			return nil, err
		}
		e, err := registry.Decode("deployment", state)
		if err != nil {
			return nil, err
		}
		out = append(out, e.(*registry.Deployment))
	}
	return out, rows.Err()
}

// setVersion records the version the tier projection is written with.
func setVersion(w *txWriter, version string) error {
	if err := w.exec("DELETE FROM projections WHERE name = $1", tierProjection); err != nil {
		return err
	}
	return w.exec("INSERT INTO projections (name, version) VALUES ($1, $2)", tierProjection, version)
}

// spansOf classifies deployments on every core and returns each one's
// rows, in the order given.
func spansOf(p *tierCodec, ds []*registry.Deployment) [][]row {
	out := make([][]row, len(ds))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(ds); i = int(next.Add(1) - 1) {
				out[i] = tierRows(p, ds[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// tierRows are the rows of a deployment's tier spans.
func tierRows(p *tierCodec, d *registry.Deployment) []row {
	spans := p.TierSpans(d)
	rows := make([]row, 0, len(spans))
	for _, sp := range spans {
		if code, ok := p.code(sp.Framework, sp.Tier); ok {
			rows = append(rows, row{tDepTiers, []any{d.ID, code, dayNum(sp.From), dayNum(sp.Until)}})
		}
	}
	return rows
}

// project writes the rows an entity's state puts in the tables, and a
// deployment's tiers, or marks them pending (ProjectTiers) when this write
// cannot or should not classify: it has no projector, or another version
// than the table's, or more deployments than tiersInline.
func (w *txWriter) project(e registry.Entity, seq int64, state []byte) error {
	d, ok := e.(*registry.Deployment)
	if !ok {
		return w.insert(project(e, seq, state)...)
	}
	if !w.tiersChecked {
		w.tiersChecked = true
		have, err := tierVersion(w.ctx, w.tx)
		if err != nil {
			return err
		}
		if have == "" && w.tiers != nil {
			// A register without deployments has every tier it needs:
			// its first import starts a projection of this version.
			var any int
			err := w.tx.QueryRowContext(w.ctx, "SELECT count(*) FROM (SELECT 1 FROM entities WHERE kind = 'deployment' LIMIT 1) e").Scan(&any)
			if err != nil {
				return err
			}
			if any == 0 {
				if err := setVersion(w, w.tiers.TierVersion()); err != nil {
					return err
				}
				have = w.tiers.TierVersion()
			}
		}
		w.tiersInline = w.tiers != nil && have == w.tiers.TierVersion() && !w.tiersBulk
	}
	if err := w.insert(project(e, seq, state)...); err != nil {
		return err
	}
	if !w.tiersInline {
		return w.insert(row{tTierPending, []any{d.ID}})
	}
	return w.insert(tierRows(w.tiers, d)...)
}

// tierCondition is the condition that deployment d's tier under f's
// framework on f's day is one of f's tiers. Like the full-text search it
// takes the form that is fast for how many deployments match: few, and
// they are looked up by the index on (framework, tier); many, and the
// deployments are walked in id order, each tested by its key.
func (s *reader) tierCondition(ctx context.Context, f *registry.TierFilter, arg func(any) string) (string, error) {
	if b, _ := s.tiers.projector().TierBounds(f.Framework); f.Day < b.From || f.Day >= b.Until {
		// Out of force: every deployment has the same tier, and no row.
		if slices.Contains(f.Tiers, b.Outside) {
			return "1 = 1", nil
		}
		return "1 = 0", nil
	}
	p := s.tiers.projector()
	var codes []string
	for _, t := range f.Tiers {
		if code, ok := p.code(f.Framework, t); ok {
			codes = append(codes, strconv.Itoa(code))
		}
	}
	if len(codes) == 0 {
		return "1 = 0", nil
	}
	// The codes are integers made here, written into the statement so
	// that the planner sees them.
	cond := func(day string) string {
		return fmt.Sprintf("t.code IN (%s) AND t.from_day <= %s AND %[2]s < t.until_day", strings.Join(codes, ", "), day)
	}
	var n int
	err := s.q.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM deployment_tiers t WHERE %s LIMIT %d) m", cond("$1"), fewMatches), dayNum(f.Day)).Scan(&n)
	if err != nil {
		return "", err
	}
	where := cond(arg(dayNum(f.Day)))
	if n < fewMatches {
		return "d.id IN (SELECT t.deployment_id FROM deployment_tiers t WHERE " + where + ")", nil
	}
	return "EXISTS (SELECT 1 FROM deployment_tiers t WHERE t.deployment_id = d.id AND " + where + ")", nil
}

// tierMatch is the test of a tier filter that the table cannot answer yet:
// the projector classifies each deployment read.
func (s *reader) tierMatch(f *registry.TierFilter) (func(*registry.Deployment) (bool, error), error) {
	p := s.tiers.projector()
	if p == nil {
		return nil, errors.New("a tier filter needs the store's tier projector (ProjectTiers)")
	}
	b, ok := p.TierBounds(f.Framework)
	if !ok {
		return nil, fmt.Errorf("tiers under %s cannot be projected", f.Framework)
	}
	return func(d *registry.Deployment) (bool, error) {
		for _, sp := range p.TierSpans(d) {
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
	p := s.tiers.projector()
	if p == nil || !s.tiers.ready.Load() {
		return nil, false, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, false, err
	}
	rows, err := s.q.QueryContext(ctx, "SELECT deployment_id, code FROM deployment_tiers WHERE "+
		s.d.inJSON("deployment_id", "$1")+" AND from_day <= $2 AND $2 < until_day", string(list), dayNum(day))
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	out := make(map[string]map[string]string, len(ids))
	for rows.Next() {
		var id string
		var code int
		if err := rows.Scan(&id, &code); err != nil {
			return nil, false, err
		}
		fw, tier, ok := p.decode(code)
		if !ok {
			return nil, false, fmt.Errorf("deployment_tiers: %s has code %d, which no framework and tier make", id, code)
		}
		if out[id] == nil {
			out[id] = map[string]string{}
		}
		out[id][fw] = tier
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	// Frameworks out of force that day have no rows: each deployment has
	// the same tier under them.
	for _, fw := range p.fws {
		if b, _ := p.TierBounds(fw); day < b.From || day >= b.Until {
			for _, id := range ids {
				if out[id] == nil {
					out[id] = map[string]string{}
				}
				out[id][fw] = b.Outside
			}
		}
	}
	return out, true, nil
}

// VerifyTiers classifies every deployment again and compares its tiers with
// the table's, naming each deployment and framework that differ, and any
// row of a deployment the register does not hold. The table is derived from
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
		for i, d := range spansOf(p, batch) {
			id := batch[i].ID
			if pending[id] {
				continue
			}
			checked++
			want := map[string][]string{}
			for _, r := range d {
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
		return nil
	}
	err = sn.EachDeployment(ctx, registry.DeploymentFilter{}, func(d *registry.Deployment) error {
		batch = append(batch, d)
		if len(batch) == tierBatch {
			return compare()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = compare()
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
