package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"oversight/registry"
)

// ProjectTiers brings the tier projection up to date with the store's
// projector, and returns how many deployments it projected. If the table
// holds another version's tiers (or none), every deployment is marked
// pending (resetTiers); then the pending deployments are projected,
// tierBatch at a time. Readers go on meanwhile, classifying under tier
// filters until no deployment is pending.
//
// A batch is read and classified in a snapshot, outside the writer's lock,
// and written in a transaction of its own that keeps only the deployments
// still pending with the state and facts that were classified: one
// written meanwhile was projected by its write, or is pending again with
// other inputs, for a later batch. So writers wait for a batch's rows to
// be written, not for its classification (docs/performance.md, "The
// batches classified outside the writer's lock").
func (s *DB) ProjectTiers(ctx context.Context) (int, error) {
	p := s.tiers.projector()
	if p == nil {
		return 0, errors.New("no tier projector (SetTierProjector)")
	}
	if err := s.resetTiers(ctx, p.TierVersion()); err != nil {
		return 0, fmt.Errorf("projecting tiers: %w", err)
	}
	n := 0
	for {
		batch, ds, fs, err := s.readPending(ctx, p)
		if err != nil {
			return n, fmt.Errorf("projecting tiers: %w", err)
		}
		if len(batch) == 0 {
			return n, nil
		}
		rows := spansOf(p, ds, fs)
		s.step("batch classified")
		done, err := s.writeProjected(ctx, p, batch, rows)
		if err != nil {
			return n, fmt.Errorf("projecting tiers: %w", err)
		}
		n += done
	}
}

// errOtherVersion says that the projection records another version than
// the projector's while ProjectTiers writes it.
var errOtherVersion = errors.New("another process projected the tiers with another version of the frameworks")

// A pendingDeployment is a deployment whose tiers are pending, with what
// its classification reads: the revisions of its state (seq) and of its
// facts (factsSeq, 0 for none).
type pendingDeployment struct {
	d             *registry.Deployment
	seq, factsSeq int64
}

// readPending reads up to tierBatch pending deployments, in a snapshot:
// each with its revisions (batch), its state (ds) and its facts (fs).
func (s *DB) readPending(ctx context.Context, p *tierCodec) (batch []pendingDeployment, ds []*registry.Deployment, fs []*registry.FactDoc, err error) {
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	defer sn.Close()
	if sn.seen.version != p.TierVersion() {
		return nil, nil, nil, errOtherVersion
	}
	batch, err = pendingDeployments(ctx, sn.c, s.d.tierBatch)
	if err != nil || len(batch) == 0 {
		return nil, nil, nil, err
	}
	ds = make([]*registry.Deployment, len(batch))
	for i, b := range batch {
		ds[i] = b.d
	}
	fs, err = factsFor(ctx, sn.c, s.d, ds)
	return batch, ds, fs, err
}

// writeProjected writes the rows of each deployment of batch (rows[i],
// spansOf's) that is still pending with the revisions it was classified
// with, deletes their pending marks, and returns how many it wrote.
func (s *DB) writeProjected(ctx context.Context, p *tierCodec, batch []pendingDeployment, rows [][]row) (int, error) {
	ids := make([]string, len(batch))
	for i, b := range batch {
		ids[i] = b.d.ID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return 0, err
	}
	done := 0
	err = s.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
			return err
		}
		if have, err := tierVersion(ctx, tx); err != nil || have != p.TierVersion() {
			if err == nil {
				err = errOtherVersion
			}
			return err
		}
		now := map[string][2]int64{}
		q, err := tx.QueryContext(ctx, `SELECT t.deployment_id, e.seq, COALESCE(f.seq, 0) FROM tier_pending t
			JOIN entities e ON e.kind = 'deployment' AND e.id = t.deployment_id
			LEFT JOIN deployment_facts f ON f.deployment_id = t.deployment_id
			WHERE `+s.d.inJSON("t.deployment_id", "$1"), string(list))
		if err != nil {
			return err
		}
		for q.Next() {
			var id string
			var seqs [2]int64
			if err := q.Scan(&id, &seqs[0], &seqs[1]); err != nil {
				q.Close()
				return err
			}
			now[id] = seqs
		}
		q.Close()
		if err := q.Err(); err != nil {
			return err
		}
		tw := newTxWriter(ctx, s.d, tx, p)
		defer tw.wait()
		kept := make([]string, 0, len(batch))
		for i, b := range batch {
			if now[b.d.ID] != [2]int64{b.seq, b.factsSeq} {
				continue // written since it was read: its write or a later batch projects it
			}
			if err := tw.insertProjected(rows[i]); err != nil {
				return err
			}
			kept = append(kept, b.d.ID)
		}
		if len(kept) == 0 {
			return nil
		}
		list, err := json.Marshal(kept)
		if err != nil {
			return err
		}
		if err := tw.exec("DELETE FROM tier_pending WHERE "+s.d.inJSON("deployment_id", "$1"), string(list)); err != nil {
			return err
		}
		done = len(kept)
		return tw.flush()
	})
	return done, err
}

// pendingDeployments reads up to n pending deployments' current states,
// with the revisions of their states and facts. The first n pending ids
// are taken from their own index, then their states: joined as one,
// SQLite walked every deployment's entity, probed the pending list for
// each and sorted all it found, for every batch (at 1M deployments, 0.5 s
// a batch of 500 in sqlite3 against 15 ms, and about 1.3 ms of the
// server's CPU a deployment projected).
func pendingDeployments(ctx context.Context, q querier, n int) ([]pendingDeployment, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT e.state, e.seq, COALESCE((SELECT f.seq FROM deployment_facts f WHERE f.deployment_id = p.deployment_id), 0)
		FROM (SELECT deployment_id FROM tier_pending t
		WHERE EXISTS (SELECT 1 FROM entities x WHERE x.kind = 'deployment' AND x.id = t.deployment_id)
		ORDER BY deployment_id LIMIT %d) p
		CROSS JOIN entities e WHERE e.kind = 'deployment' AND e.id = p.deployment_id ORDER BY p.deployment_id`, n))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pendingDeployment
	for rows.Next() {
		var state []byte
		var b pendingDeployment
		if err := rows.Scan(&state, &b.seq, &b.factsSeq); err != nil {
			return nil, err
		}
		e, err := registry.Decode("deployment", state)
		if err != nil {
			return nil, err
		}
		b.d = e.(*registry.Deployment)
		out = append(out, b)
	}
	return out, rows.Err()
}
