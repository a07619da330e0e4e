package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"runtime"
	"strconv"
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

// Each deployment's spans are in deployment_spans, packed, and in
// deployment_tiers, a row each (tierspans.go); a deployment with none has
// a row in neither. A write deletes a deployment's rows of both through
// deleteTiers.
var (
	tDepSpans    = &table{name: "deployment_spans", cols: []string{"deployment_id", "spans"}, owner: "deployment_id", key: 1}
	tDepTiers    = &table{name: "deployment_tiers", cols: []string{"code", "from_day", "until_day", "deployment_id"}, owner: "deployment_id", key: 4}
	tTierPending = &table{name: "tier_pending", cols: []string{"deployment_id"}, owner: "deployment_id", key: 1}
)

// tierProjection is the name of the projection in the projections table.
const tierProjection = "tiers"

// tierState is the projector a DB writes tiers with, shared by its
// snapshots. It also holds the filters' counts and facets that snapshots
// of one log size share (termcounts.go, facetmemo.go): the state a DB and
// its snapshots share.
type tierState struct {
	mu     sync.RWMutex
	p      *tierCodec
	counts countMemo
	facets sizeMemo[*registry.Facets]
}

func (t *tierState) projector() *tierCodec {
	if t == nil {
		return nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.p
}

// projectionVersion is a column of a statement: the version the tier
// projection records, "" for none.
const projectionVersion = "COALESCE((SELECT version FROM projections WHERE name = '" + tierProjection + "'), '')"

// projectionSeen is what a snapshot saw of the tier projection: its
// version, read when it opened, and whether any deployment is pending,
// read at the first call that asks (pendingTiers).
type projectionSeen struct {
	version          string
	pending, checked bool
}

// projected returns the store's projector when the table holds its tiers
// (the version recorded is its own); nil otherwise, and while a reset is
// under way (resetTiers). A snapshot answers as the projection was when it
// opened, so that none reads the rows of one version with another's codes.
func (s *reader) projected(ctx context.Context) (*tierCodec, error) {
	p := s.tiers.projector()
	if p == nil {
		return nil, nil
	}
	var version string
	if s.seen != nil {
		version = s.seen.version
	} else {
		var err error
		if version, err = tierVersion(ctx, s.q); err != nil {
			return nil, err
		}
	}
	if version != p.TierVersion() {
		return nil, nil
	}
	return p, nil
}

// pendingTiers says whether any deployment's tiers are pending, once a
// snapshot. The highest key is read from the index: ProjectTiers writes
// the lowest first, and on PostgreSQL the rows it deleted stay, dead,
// until vacuumed. There EXISTS, which drops an ORDER BY, scanned the table
// from its start past them all: 14-29 ms midway through re-projecting
// 100k deployments, against 0.03-0.4 ms read from the index's end.
func (s *reader) pendingTiers(ctx context.Context) (bool, error) {
	if s.seen != nil && s.seen.checked {
		return s.seen.pending, nil
	}
	var pending bool
	if err := s.q.QueryRowContext(ctx, "SELECT (SELECT deployment_id FROM tier_pending ORDER BY deployment_id DESC LIMIT 1) IS NOT NULL").Scan(&pending); err != nil {
		return false, err
	}
	if s.seen != nil {
		s.seen.pending, s.seen.checked = pending, true
	}
	return pending, nil
}

// tiersUsable says whether the table can answer a tier filter: it holds
// the projector's tiers, the framework is projected, and no deployment is
// pending. Without a filter there is nothing to answer.
func (s *reader) tiersUsable(ctx context.Context, f *registry.TierFilter) (bool, error) {
	if f == nil {
		return false, nil
	}
	p, err := s.projected(ctx)
	if p == nil || err != nil {
		return false, err
	}
	if _, ok := p.TierBounds(f.Framework); !ok {
		return false, nil
	}
	pending, err := s.pendingTiers(ctx)
	return !pending, err
}

// SetTierProjector makes p the projector of every later write, and says
// whether the table holds all its tiers already: the version is p's and no
// deployment is pending. Until it does (ProjectTiers), tier filters
// classify the deployments they read.
func (s *DB) SetTierProjector(ctx context.Context, p registry.TierProjector) (ready bool, err error) {
	s.tiers.mu.Lock()
	s.tiers.p = newTierCodec(p)
	s.tiers.mu.Unlock()
	have, err := s.projected(ctx)
	if have == nil || err != nil {
		return false, err
	}
	pending, err := s.pendingTiers(ctx)
	return !pending, err
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

// setVersion records the version the tier projection is written with.
func setVersion(w *txWriter, version string) error {
	if err := w.exec("DELETE FROM projections WHERE name = $1", tierProjection); err != nil {
		return err
	}
	return w.exec("INSERT INTO projections (name, version) VALUES ($1, $2)", tierProjection, version)
}

// spansOf classifies deployments, each with its fact document (fs[i],
// nil for none), on every core and returns each one's rows, in the order
// given.
func spansOf(p *tierCodec, ds []*registry.Deployment, fs []*registry.FactDoc) [][]row {
	out := make([][]row, len(ds))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(ds); i = int(next.Add(1) - 1) {
				out[i] = tierRows(p, ds[i], fs[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// tierRows are the rows of a deployment's tier spans, packed and one a
// span, and of its class (classRows).
func tierRows(p *tierCodec, d *registry.Deployment, f *registry.FactDoc) []row {
	spans := p.spans(p.TierSpans(d, f))
	rows := make([]row, 0, len(spans)+3)
	if len(spans) > 0 {
		rows = append(rows, row{tDepSpans, []any{d.ID, packSpans(spans)}})
	}
	for _, sp := range spans {
		rows = append(rows, row{tDepTiers, []any{sp.code, sp.from, sp.until, d.ID}})
	}
	return append(rows, classRows(p, d, f)...)
}

// deleteTiers deletes deployment id's spans: its packed row, and the rows
// of deployment_tiers that it lists, by their keys. Where the packed row
// cannot be read (a damaged register, which verify --tiers names), the
// deployment's rows are found by reading the whole table instead.
func (w *txWriter) deleteTiers(id string) error {
	var packed []byte
	err := w.queryRow("SELECT spans FROM deployment_spans WHERE deployment_id = $1", id).Scan(&packed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	if spans, err := unpackSpans(nil, packed); err != nil {
		err = w.exec("DELETE FROM deployment_tiers WHERE deployment_id = $1", id)
	} else {
		// The id apart: SQLite looks a key of four up by its first three
		// alone when the fourth comes from the list too.
		err = w.exec("DELETE FROM deployment_tiers WHERE deployment_id = $2 AND (code, from_day, until_day) IN (SELECT k.code, k.from_day, k.until_day FROM ("+
			w.d.spanKeys("$1")+") k)", spanKeysJSON(id, spans), id)
	}
	if err != nil {
		return err
	}
	return w.exec("DELETE FROM deployment_spans WHERE deployment_id = $1", id)
}

// spanKeysJSON writes the keys of deployment id's rows of deployment_tiers
// for the dialect's spanKeys: a JSON array of [code, from, until, id].
func spanKeysJSON(id string, spans []span) string {
	b := make([]byte, 0, len(spans)*(len(id)+28)+2)
	b = append(b, '[')
	for i, sp := range spans {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendSpanKey(b, spanKey{sp, id})
	}
	return string(append(b, ']'))
}

// appendSpanKey appends k as spanKeys reads it: [code, from, until, id].
func appendSpanKey(b []byte, k spanKey) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(k.code), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(k.from), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(k.until), 10)
	b = append(b, ',')
	q, _ := json.Marshal(k.id) // a string always marshals
	b = append(b, q...)
	return append(b, ']')
}

// project writes the rows an entity's state puts in the tables, and
// queues the tiers of a deployment, or of the deployment whose facts it
// is, for flush to project (facts.go), or marks them pending
// (ProjectTiers) when this write cannot or should not classify: it has no
// projector, or another version than the table's, or more deployments than
// tiersInline.
func (w *txWriter) project(e registry.Entity, seq int64, state []byte) error {
	rows := project(e, seq, state)
	w.countRows(e, rows, +1) // a deployment's only (countKeyOf)
	if err := w.insert(rows...); err != nil {
		return err
	}
	switch v := e.(type) {
	case *registry.FactDoc:
		return w.factsWritten(v.ID, v)
	case *registry.Deployment:
		if err := w.checkTiers(); err != nil {
			return err
		}
		if !w.tiersInline {
			return w.markPending(v.ID)
		}
		w.tierQueue[v.ID] = v
	}
	return nil
}

// checkTiers decides, once a write, whether it projects tiers itself.
func (w *txWriter) checkTiers() error {
	if w.tiersChecked {
		return nil
	}
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
	return nil
}
