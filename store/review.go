package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"oversight/contrib"
	"oversight/registry"
)

// Decide carries out a reviewer's decision on an open submission and
// returns the submission as it then stands. An accept logs the record
// (the reviewer's edit, if any) under the reviewer's name with the
// contributor's pseudonym, in the transaction that marks the submission
// accepted: both happen, or neither.
func (s *DB) Decide(ctx context.Context, id int64, d contrib.Decision) (*contrib.Submission, error) {
	if errs := d.Check(); len(errs) > 0 {
		return nil, registry.Invalid("the decision is not valid", errs...)
	}
	if d.Time.IsZero() {
		d.Time = time.Now()
	}
	d.Time = d.Time.UTC().Truncate(time.Second)
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		// Writers take the log head's lock first, so that two reviewers
		// deciding at once see each other's decision.
		var size int64
		if err := tx.QueryRowContext(ctx, s.d.lockHead).Scan(&size); err != nil {
			return fmt.Errorf("lock log head: %w", err)
		}
		sub, err := scanSubmission(tx.QueryRowContext(ctx, "SELECT "+submissionColumns+" FROM submissions WHERE id = $1", id))
		if errors.Is(err, sql.ErrNoRows) {
			return registry.NotFound("submission " + strconv.FormatInt(id, 10))
		} else if err != nil {
			return err
		}
		if !sub.State.Open() && d.Action != contrib.Note {
			return registry.Conflict(fmt.Sprintf("submission %d is %s already", id, sub.State))
		}
		state, public := sub.State, d.Action != contrib.Note
		var seq any
		switch d.Action {
		case contrib.Accept:
			state = contrib.Accepted
			if seq, err = s.acceptIn(ctx, tx, sub, d); err != nil {
				return err
			}
		case contrib.Retract, contrib.Merge:
			state = contrib.Accepted
			if sub.Target == "" {
				return registry.Conflict(fmt.Sprintf("submission %d proposes a new deployment: there is nothing to %s", id, d.Action))
			}
			// The reason names the submission, whose page holds the
			// discussion, and says the reviewer's reason.
			meta := Meta{Author: d.Reviewer, Reason: "submission " + strconv.FormatInt(id, 10) + ": " + d.Message, Time: d.Time}
			if err := registry.CheckReason(meta.Reason); err != nil {
				return registry.InvalidField("message", "is the reason the log records: "+err.Fields[0].Msg)
			}
			into := ""
			if d.Action == contrib.Merge {
				into = d.Into
			}
			r, err := s.retractIn(ctx, tx, "deployment", sub.Target, into, meta)
			if err != nil {
				return err
			}
			seq = r.Tombstone.Seq
		case contrib.Reject:
			state = contrib.Rejected
		case contrib.RequestChanges:
			state = contrib.ChangesRequested
		}
		if d.Message != "" {
			if err := addMessage(ctx, tx, id, contrib.Message{Author: d.Reviewer, Public: public, Body: d.Message, Time: d.Time}); err != nil {
				return err
			}
		}
		if state == sub.State {
			return nil
		}
		decided := any(nil)
		if !state.Open() {
			decided = d.Reviewer
		}
		_, err = tx.ExecContext(ctx, "UPDATE submissions SET state = $1, updated_at = $2, decided_by = $3, seq = $4 WHERE id = $5",
			string(state), createdAt(d.Time), decided, seq, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Submission(ctx, id)
}

// acceptIn logs the record an accept writes and returns the seq of its
// revision, or nil when the record was the register's already.
func (s *DB) acceptIn(ctx context.Context, tx *sql.Tx, sub *contrib.Submission, d contrib.Decision) (any, error) {
	rec := sub.Record
	if d.Record != nil {
		rec = d.Record
		if sub.Record != nil && rec.ID != sub.Record.ID || sub.Record == nil && rec.ID != sub.Target {
			return nil, registry.InvalidField("record.id", "an edit keeps the id of the record it edits")
		}
		if err := rec.Validate(); err != nil {
			return nil, registry.Invalid("the edited record is not valid", prefixed("record.", err.(registry.Errors))...)
		}
	}
	if rec == nil {
		return nil, registry.Conflict(fmt.Sprintf("submission %d carries no record: accept it with an edited record, or retract the deployment", sub.ID))
	}
	cur, err := currentDeployment(ctx, tx, rec.ID)
	if err != nil {
		return nil, err
	}
	if sub.Record != nil {
		// The declaration is the organisation's: settled against the
		// register as it is now and the account as it is linked now.
		orgKind, org, err := accountOrg(ctx, tx, sub.Account)
		if err != nil {
			return nil, err
		}
		decl, err := contrib.SettleDeclaration(cur, sub.Record, d.Record, orgKind, org)
		if err != nil {
			return nil, err
		}
		c := *rec
		c.Declaration = decl
		rec = &c
	}
	// The origin is the import's, whoever proposed or edited the record.
	c := *rec
	keepOrigin(cur, &c)
	rec = &c
	// The reason names the submission, whose page holds the messages.
	meta := Meta{Author: d.Reviewer, Reason: "submission " + strconv.FormatInt(sub.ID, 10), Contributor: sub.Pseudonym, Time: d.Time}
	res, err := s.applyIn(ctx, tx, &registry.Set{Deployments: []*registry.Deployment{rec}}, meta, nil)
	var ce *CheckError
	if errors.As(err, &ce) {
		var fields registry.Errors
		for _, re := range ce.Errs {
			fields = append(fields, prefixed("record.", registry.Errors{re.Err})...)
		}
		return nil, registry.Invalid("the record cannot be logged", fields...)
	} else if err != nil {
		return nil, err
	}
	if res.Created+res.Updated == 0 {
		return nil, nil
	}
	return res.Size - 1, nil
}

// currentDeployment reads a deployment as the register has it, or nil.
func currentDeployment(ctx context.Context, q querier, id string) (*registry.Deployment, error) {
	var state []byte
	err := q.QueryRowContext(ctx, "SELECT state FROM entities WHERE kind = 'deployment' AND id = $1", id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var d registry.Deployment
	return &d, json.Unmarshal(state, &d)
}

func prefixed(prefix string, es registry.Errors) registry.Errors {
	out := make(registry.Errors, len(es))
	for i, fe := range es {
		c := *fe
		c.Path = prefix + fe.Path
		out[i] = &c
	}
	return out
}

func addMessage(ctx context.Context, tx *sql.Tx, id int64, m contrib.Message) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO submission_messages (submission, n, author, public, body, created_at) "+
		"VALUES ($1, (SELECT COALESCE(MAX(n), 0) + 1 FROM submission_messages WHERE submission = $1), $2, $3, $4, $5)",
		id, m.Author, m.Public, m.Body, createdAt(m.Time))
	return err
}

// Answer records a contributor's answer to a request for changes, found by
// the hash of the receipt: a message, and a revised proposal if they sent
// one, which replaces the first after the same checks. The submission
// waits for review again.
func (s *DB) Answer(ctx context.Context, receiptHash, message string, revised *contrib.Proposal, now time.Time) (*contrib.Submission, error) {
	if errs := registry.CheckValues(struct {
		Message string `json:"message"`
	}{message}); len(errs) > 0 {
		return nil, registry.Invalid("the answer is not valid", errs...)
	}
	if message == "" && revised == nil {
		return nil, registry.InvalidField("message", "is required: answer the reviewers, or send a revised proposal")
	}
	now = now.UTC().Truncate(time.Second)
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// The writers' lock, as Decide takes it: two messages added at
		// once would both number theirs one past the same last
		// (PostgreSQL then refuses the second as a duplicate key).
		if _, err := tx.ExecContext(ctx, s.d.lockHead); err != nil {
			return err
		}
		sub, err := scanSubmission(tx.QueryRowContext(ctx, "SELECT "+submissionColumns+" FROM submissions WHERE receipt_hash = $1", receiptHash))
		if errors.Is(err, sql.ErrNoRows) {
			return registry.NotFound("submission")
		} else if err != nil {
			return err
		}
		id = sub.ID
		if !sub.State.Open() {
			return registry.Conflict(fmt.Sprintf("submission %d is %s: it takes no more answers", id, sub.State))
		}
		if revised != nil {
			revised.Kind, revised.Target, revised.Pseudonym, revised.Contact = sub.Kind, sub.Target, sub.Pseudonym, sub.Contact
			orgKind, org, err := accountOrg(ctx, tx, sub.Account)
			if err != nil {
				return err
			}
			errs, err := declare(ctx, tx, revised, orgKind, org, now)
			if err != nil {
				return err
			}
			if errs = append(errs, revised.Check()...); len(errs) > 0 {
				return registry.Invalid("the revised proposal is not valid", errs...)
			}
			next := &contrib.Submission{Proposal: *revised, Created: now}
			if err := checkProposal(ctx, tx, next, sub.Account, nil); err != nil {
				return err
			}
			record, evidence, err := proposalJSON(revised)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE submissions SET record = $1, evidence = $2, jurisdiction = $3 WHERE id = $4",
				record, evidence, next.Jurisdiction, id); err != nil {
				return err
			}
		}
		if message != "" {
			if err := addMessage(ctx, tx, id, contrib.Message{Author: sub.Pseudonym, Public: true, Body: message, Time: now}); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "UPDATE submissions SET state = $1, updated_at = $2 WHERE id = $3", string(contrib.Pending), createdAt(now), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Submission(ctx, id)
}

// Withdraw closes an open submission at its contributor's request, and
// forgets its contact.
func (s *DB) Withdraw(ctx context.Context, receiptHash string, now time.Time) (*contrib.Submission, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, "SELECT id, state FROM submissions WHERE receipt_hash = $1", receiptHash).Scan(&id, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return registry.NotFound("submission")
		} else if err != nil {
			return err
		}
		if !contrib.State(state).Open() {
			return registry.Conflict(fmt.Sprintf("submission %d is %s: it can no longer be withdrawn", id, state))
		}
		_, err = tx.ExecContext(ctx, "UPDATE submissions SET state = $1, contact = NULL, updated_at = $2 WHERE id = $3",
			string(contrib.Withdrawn), createdAt(now), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Submission(ctx, id)
}

// ForgetContact forgets a submission's contact, whatever its state.
func (s *DB) ForgetContact(ctx context.Context, receiptHash string) (*contrib.Submission, error) {
	res, err := s.db.ExecContext(ctx, "UPDATE submissions SET contact = NULL WHERE receipt_hash = $1", receiptHash)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, registry.NotFound("submission")
	}
	return s.SubmissionByReceipt(ctx, receiptHash)
}
