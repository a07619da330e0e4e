package contrib

import (
	"context"
	"time"

	"oversight/registry"
)

// Service keeps submissions and carries out their review; the store
// implements it on either engine. Errors are registry.Errors with a code:
// EInvalid naming the fields at fault, ENotFound, EConflict for a
// submission already decided.
type Service interface {
	// Submit checks a proposal and keeps it, durably, under the hash of
	// its receipt token; account is the contributor's, or empty.
	Submit(ctx context.Context, p *Proposal, account, receiptHash string, now time.Time) (*Submission, error)
	// SubmissionByReceipt finds a submission by the hash of its receipt.
	SubmissionByReceipt(ctx context.Context, receiptHash string) (*Submission, error)
	// Answer records a contributor's answer, and a revised proposal if
	// any, on an open submission found by its receipt.
	Answer(ctx context.Context, receiptHash, message string, revised *Proposal, now time.Time) (*Submission, error)
	// Withdraw closes an open submission at its contributor's request and
	// forgets its contact; ForgetContact forgets the contact alone, in any
	// state. Both find the submission by the hash of its receipt.
	Withdraw(ctx context.Context, receiptHash string, now time.Time) (*Submission, error)
	ForgetContact(ctx context.Context, receiptHash string) (*Submission, error)
	// Submission returns a submission by id, for reviewers.
	Submission(ctx context.Context, id int64) (*Submission, error)
	// Queue lists submissions, oldest first.
	Queue(ctx context.Context, f QueueFilter) ([]*Submission, error)
	// Decide carries out a reviewer's decision.
	Decide(ctx context.Context, id int64, d Decision) (*Submission, error)
	// Reply logs an organisation's reply to a deployment that names it
	// (the right of reply), revising its earlier one; EForbidden when the
	// record does not name the organisation. It returns the revision's
	// position in the log, -1 when nothing changed.
	Reply(ctx context.Context, r *registry.Reply, now time.Time) (int64, error)
}
