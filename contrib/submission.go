// Package contrib holds what people outside the project bring to the
// register: submissions (a new deployment, a change to one, a correction
// or a dispute, each with its evidence), the states a review moves them
// through, and the checks a submission passes before it is kept. It does
// no I/O: the store keeps submissions and the HTTP layer takes them in.
package contrib

import (
	"time"

	"oversight/registry"
)

// A Kind is what a submission asks for.
type Kind string

const (
	New        Kind = "new"        // a deployment the register lacks; Record is required
	Change     Kind = "change"     // fields of an existing deployment; Record is its proposed state
	Correction Kind = "correction" // something in a record is wrong; Record is optional
	Dispute    Kind = "dispute"    // the record should not stand as it is; Record is optional
)

// KindEnum is the vocabulary of kinds, in the order forms offer them.
var KindEnum = registry.Enum{Name: "kind of submission", Values: []string{string(New), string(Change), string(Correction), string(Dispute)}}

// A State is where a submission is in its review.
type State string

const (
	Pending          State = "pending"           // waiting for a reviewer
	ChangesRequested State = "changes_requested" // a reviewer asked the contributor for more
	Accepted         State = "accepted"          // logged as a revision (Submission.Seq)
	Rejected         State = "rejected"          // closed with a reason
	Withdrawn        State = "withdrawn"         // closed by its contributor, whose contact is then forgotten
)

// StateEnum is the vocabulary of states.
var StateEnum = registry.Enum{Name: "state of a submission", Values: []string{string(Pending), string(ChangesRequested), string(Accepted), string(Rejected), string(Withdrawn)}}

// Open reports whether a submission in state s still waits for a decision.
func (s State) Open() bool { return s == Pending || s == ChangesRequested }

// A Proposal is what a contributor sends.
type Proposal struct {
	Kind Kind `json:"kind"`
	// Target is the id of the deployment a change, correction or dispute
	// concerns; empty for a new one.
	Target string `json:"target,omitempty"`
	// Record is the deployment as the contributor would have it, in the
	// import format.
	Record *registry.Deployment `json:"record,omitempty"`
	// Evidence lists the pages that support the proposal. On a record,
	// those the record does not cite already join its sources.
	Evidence []registry.Source `json:"evidence"`
	// Message explains the proposal to the reviewers, in public.
	Message string `json:"message,omitempty"`
	// Pseudonym is how the log will name the contributor; one is made
	// up when it is empty.
	Pseudonym string `json:"pseudonym,omitempty"`
	// Contact is for the reviewers only: it is never shown in public and
	// never logged.
	Contact string `json:"contact,omitempty"`
	// Unread are the problems met reading the proposal from a form that
	// none of its fields can hold (a date that is not one): Check reports
	// them with the rest, so that the contributor hears of all at once.
	Unread registry.Errors `json:"-"`
}

// A Submission is a proposal as the register keeps it, with its review.
type Submission struct {
	Proposal
	ID           int64  `json:"id"`
	Jurisdiction string `json:"jurisdiction"` // the record's, or the target's
	State        State  `json:"state"`
	// Account is the contributor's account, when they were signed in.
	Account   string    `json:"-"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	DecidedBy string    `json:"decided_by,omitempty"`
	// Seq is the revision an accepted submission became.
	Seq      *int64    `json:"seq,omitempty"`
	Messages []Message `json:"messages,omitempty"`
}

// A Message is written on a submission: a reviewer's question, a
// contributor's answer, or a reviewers' note, which is not Public.
type Message struct {
	Author string    `json:"author"`
	Public bool      `json:"public"`
	Body   string    `json:"body"`
	Time   time.Time `json:"time"`
}

// Public returns s as the contributor and the public may see it: without
// the contact, the account and the reviewers' own notes.
func (s *Submission) Public() *Submission {
	p := *s
	p.Contact, p.Account = "", ""
	p.Messages = nil
	for _, m := range s.Messages {
		if m.Public {
			p.Messages = append(p.Messages, m)
		}
	}
	return &p
}
