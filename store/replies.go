package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"oversight/registry"
)

// Reply logs an organisation's reply to a deployment that names it, with
// r.Author, the account writing for the organisation, as the revision's
// author; a later reply of the same organisation to the same record
// revises it. It returns the revision's position in the log, or -1 when
// the reply is the one the register holds already.
func (s *DB) Reply(ctx context.Context, r *registry.Reply, now time.Time) (int64, error) {
	r.ID = registry.ReplyID(r.Deployment, r.OrgKind, r.Org)
	if err := r.Validate(); err != nil {
		return 0, registry.Invalid("the reply is not valid", err.(registry.Errors)...)
	}
	seq := int64(-1)
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var state []byte
		err := tx.QueryRowContext(ctx, "SELECT state FROM entities WHERE kind = 'deployment' AND id = $1", r.Deployment).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			if t, terr := readTombstone(ctx, tx, "deployment", r.Deployment); terr == nil {
				return registry.Conflict(retractedMessage(t))
			}
			return registry.NotFound("deployment " + registry.Clip(r.Deployment))
		} else if err != nil {
			return err
		}
		var d registry.Deployment
		if err := json.Unmarshal(state, &d); err != nil {
			return err
		}
		if !d.Names(r.OrgKind, r.Org) {
			return &registry.Error{Code: registry.EForbidden, Message: fmt.Sprintf("deployment %s does not name %s %s: an organisation replies to the records that name it", d.ID, r.OrgKind, r.Org)}
		}
		meta := Meta{Author: r.Author, Reason: "reply of " + r.OrgKind + " " + r.Org, Time: now.UTC().Truncate(time.Second)}
		res, err := s.applyIn(ctx, tx, &registry.Set{Replies: []*registry.Reply{r}}, meta, nil)
		if err != nil {
			return err
		}
		if res.Created+res.Updated > 0 {
			seq = res.Size - 1
		}
		return nil
	})
	return seq, err
}
