package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"oversight/contrib"
	"oversight/registry"
)

// Submissions (migration 007): kept apart from the log until a reviewer
// accepts one, when its record is logged in the same transaction that
// marks it accepted.

const submissionColumns = "id, kind, target_id, jurisdiction, pseudonym, account, record, evidence, message, contact, state, created_at, updated_at, decided_by, seq"

func scanSubmission(row rowScanner) (*contrib.Submission, error) {
	var sub contrib.Submission
	var target, account, record, contact, decided sql.NullString
	var evidence, created, updated string
	var seq sql.NullInt64
	if err := row.Scan(&sub.ID, &sub.Kind, &target, &sub.Jurisdiction, &sub.Pseudonym, &account, &record, &evidence,
		&sub.Message, &contact, &sub.State, &created, &updated, &decided, &seq); err != nil {
		return nil, err
	}
	sub.Target, sub.Account, sub.Contact, sub.DecidedBy = target.String, account.String, contact.String, decided.String
	if record.Valid {
		if err := json.Unmarshal([]byte(record.String), &sub.Record); err != nil {
			return nil, fmt.Errorf("submission %d: record: %w", sub.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(evidence), &sub.Evidence); err != nil {
		return nil, fmt.Errorf("submission %d: evidence: %w", sub.ID, err)
	}
	sub.Created, _ = time.Parse(time.RFC3339, created)
	sub.Updated, _ = time.Parse(time.RFC3339, updated)
	if seq.Valid {
		sub.Seq = &seq.Int64
	}
	return &sub, nil
}

// Submit checks a proposal against the register and keeps it as a pending
// submission, found again by the hash of its receipt. The submission is
// committed, and durable, when Submit returns: its receipt may be shown.
// account is the contributor's, or empty.
func (s *DB) Submit(ctx context.Context, p *contrib.Proposal, account, receiptHash string, now time.Time) (*contrib.Submission, error) {
	orgKind, org, err := accountOrg(ctx, s.db, account)
	if err != nil {
		return nil, err
	}
	if p.Pseudonym == "" && org != "" {
		p.Pseudonym = account // who speaks for an organisation is named
	}
	if errs := registry.CheckValues(p); len(errs) > 0 {
		return nil, registry.Invalid("the submission is not valid", errs...) // a value over its limit, or not text: say only that
	}
	errs, err := declare(ctx, s.db, p, orgKind, org, now)
	if err != nil {
		return nil, err
	}
	errs = append(errs, p.Check()...)
	sub := &contrib.Submission{Proposal: *p, State: contrib.Pending, Account: account, Created: now.UTC().Truncate(time.Second)}
	sub.Updated = sub.Created
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// What the register says of the proposal is checked even when it
		// has problems of its own, so that a contributor hears of every
		// problem at once; nothing is written unless there is none.
		if err := checkProposal(ctx, tx, sub, account, errs); err != nil {
			return err
		}
		record, evidence, err := proposalJSON(&sub.Proposal)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "INSERT INTO submissions (receipt_hash, kind, target_id, jurisdiction, pseudonym, account, record, evidence, message, contact, state, created_at, updated_at) "+
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
			receiptHash, string(sub.Kind), null(sub.Target), sub.Jurisdiction, sub.Pseudonym, null(account), record, evidence,
			sub.Message, null(sub.Contact), string(sub.State), createdAt(sub.Created), createdAt(sub.Updated)).Scan(&sub.ID)
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// checkProposal checks what a proposal says of the register, as an
// import would, and sets the submission's jurisdiction. It refuses the
// proposal with the problems found before (those of the proposal on its
// own, contrib.Proposal.Check) and its own, all of them.
func checkProposal(ctx context.Context, tx *sql.Tx, sub *contrib.Submission, account string, before registry.Errors) error {
	fields := slices.Clone(before)
	if sub.Target != "" {
		d, err := currentDeployment(ctx, tx, sub.Target)
		switch {
		case err != nil:
			return err
		case d != nil:
			sub.Jurisdiction = d.Jurisdiction
		default:
			if t, terr := readTombstone(ctx, tx, "deployment", sub.Target); terr == nil {
				return registry.Conflict(retractedMessage(t))
			}
			fields = append(fields, &registry.FieldError{Path: "target", Msg: fmt.Sprintf("the register has no deployment %q", sub.Target)})
		}
	}
	if r := sub.Record; r != nil {
		sub.Jurisdiction = r.Jurisdiction
		if sub.Kind == contrib.New {
			var one int
			if err := tx.QueryRowContext(ctx, "SELECT 1 FROM entities WHERE kind = 'deployment' AND id = $1", r.ID).Scan(&one); err == nil {
				fields = append(fields, &registry.FieldError{Path: "record.id", Msg: fmt.Sprintf("the register has a deployment %q: propose a change to it", r.ID)})
			} else if t, terr := readTombstone(ctx, tx, "deployment", r.ID); terr == nil {
				fields = append(fields, &registry.FieldError{Path: "record.id", Msg: retractedMessage(t)})
			}
		}
		// The record was validated on its own (Check): its references only.
		fields = append(fields, prefixed("record.", registry.CheckRefs(r, func(kind, id string) bool {
			var one int
			return tx.QueryRowContext(ctx, "SELECT 1 FROM entities WHERE kind = $1 AND id = $2", kind, id).Scan(&one) == nil
		}))...)
	}
	// Account names are lower case: "Rita" would pass for rita.
	var taken string
	if err := tx.QueryRowContext(ctx, "SELECT name FROM accounts WHERE name = $1", strings.ToLower(sub.Pseudonym)).Scan(&taken); err == nil && taken != account {
		fields = append(fields, &registry.FieldError{Path: "pseudonym", Msg: fmt.Sprintf("%q is the name of an account: choose another", taken)})
	}
	if len(fields) > 0 {
		return registry.Invalid("the submission is not valid", fields...)
	}
	return nil
}

// declare settles who may declare what in a proposal's record, before it
// is checked (contrib.CheckDeclaration): the operator's own account
// (linked to orgKind and org) declares, and anyone else's proposal keeps
// the register's declaration. It reads the record the proposal concerns;
// an accept settles the declaration again against the register as it then
// is (contrib.SettleDeclaration).
func declare(ctx context.Context, q querier, p *contrib.Proposal, orgKind, org string, now time.Time) (registry.Errors, error) {
	if p.Record == nil {
		return nil, nil
	}
	var cur *registry.Deployment
	if p.Kind != contrib.New && p.Target != "" && len(p.Target) <= registry.MaxID {
		var err error
		if cur, err = currentDeployment(ctx, q, p.Target); err != nil {
			return nil, err
		}
	}
	keepOrigin(cur, p.Record)
	return contrib.CheckDeclaration(cur, p.Record, orgKind, org, registry.DateOf(now)), nil
}

// keepOrigin gives a proposed record the origin of the record it concerns:
// an origin marks what an import of a published dataset made, so a
// proposal (or a reviewer's edit) neither drops it, which would unmark the
// row and lose its credit, nor makes or changes one.
func keepOrigin(cur, next *registry.Deployment) {
	next.Origin = nil
	if cur != nil {
		next.Origin = cur.Origin
	}
}

// accountOrg returns the organisation an account is linked to, if any.
func accountOrg(ctx context.Context, q querier, account string) (kind, id string, err error) {
	if account == "" {
		return "", "", nil
	}
	var k, i sql.NullString
	err = q.QueryRowContext(ctx, "SELECT org_kind, org_id FROM accounts WHERE name = $1 AND disabled_at IS NULL", account).Scan(&k, &i)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return k.String, i.String, err
}

func proposalJSON(p *contrib.Proposal) (record any, evidence string, err error) {
	if p.Record != nil {
		b, err := json.Marshal(p.Record)
		if err != nil {
			return nil, "", err
		}
		record = string(b)
	}
	b, err := json.Marshal(p.Evidence)
	return record, string(b), err
}

// Submission returns a submission with its messages, by id.
func (s *DB) Submission(ctx context.Context, id int64) (*contrib.Submission, error) {
	return s.submissionWhere(ctx, "id = $1", id)
}

// SubmissionByReceipt returns the submission whose receipt hashes to h.
func (s *DB) SubmissionByReceipt(ctx context.Context, h string) (*contrib.Submission, error) {
	return s.submissionWhere(ctx, "receipt_hash = $1", h)
}

func (s *DB) submissionWhere(ctx context.Context, where string, arg any) (*contrib.Submission, error) {
	sub, err := scanSubmission(s.db.QueryRowContext(ctx, "SELECT "+submissionColumns+" FROM submissions WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, registry.NotFound("submission")
	} else if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT author, public, body, created_at FROM submission_messages WHERE submission = $1 ORDER BY n", sub.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m contrib.Message
		var t string
		if err := rows.Scan(&m.Author, &m.Public, &m.Body, &t); err != nil {
			return nil, err
		}
		m.Time, _ = time.Parse(time.RFC3339, t)
		sub.Messages = append(sub.Messages, m)
	}
	return sub, rows.Err()
}

// Queue lists submissions oldest first, as a reviewer works through them.
func (s *DB) Queue(ctx context.Context, f contrib.QueueFilter) ([]*contrib.Submission, error) {
	where, args := []string{"1 = 1"}, []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if len(f.States) > 0 {
		ss := make([]string, len(f.States))
		for i, st := range f.States {
			ss[i] = arg(string(st))
		}
		where = append(where, "state IN ("+strings.Join(ss, ", ")+")")
	}
	if f.Jurisdiction != "" {
		where = append(where, "jurisdiction = "+arg(f.Jurisdiction))
	}
	if f.Kind != "" {
		where = append(where, "kind = "+arg(string(f.Kind)))
	}
	if f.After > 0 {
		where = append(where, "id > "+arg(f.After))
	}
	limit := f.Limit
	if limit <= 0 || limit > contrib.MaxQueue {
		limit = contrib.MaxQueue
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+submissionColumns+" FROM submissions WHERE "+strings.Join(where, " AND ")+
		" ORDER BY id LIMIT "+arg(limit), args...)
	return scanRows(rows, err, scanSubmission)
}

var _ contrib.Service = (*DB)(nil)
