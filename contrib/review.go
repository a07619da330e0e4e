package contrib

import (
	"time"

	"oversight/registry"
)

// An Action is what a reviewer does with a submission.
type Action string

const (
	Accept         Action = "accept"          // log its record (or the reviewer's edit of it)
	Reject         Action = "reject"          // close it, saying why
	RequestChanges Action = "request_changes" // ask the contributor for more, on the receipt page
	Note           Action = "note"            // a note for the other reviewers only
	// Retract retracts the deployment the submission concerns, and Merge
	// merges it into another (Into), which its id then redirects to: a
	// dispute or a report of a duplicate upheld. The message is the
	// reason the log records.
	Retract Action = "retract"
	Merge   Action = "merge"
)

// Actions lists the actions in the order the review page offers them.
var Actions = []Action{Accept, RequestChanges, Reject, Note, Retract, Merge}

// A Decision is a reviewer's action on a submission.
type Decision struct {
	Action   Action
	Reviewer string
	// Message is shown to the contributor (a note's to the reviewers
	// only); a rejection and a request for changes need one.
	Message string
	// Record, on an accept, is the reviewer's edit of the proposed
	// record, which is logged instead of it.
	Record *registry.Deployment
	// Into, on a merge, is the id of the deployment the submission's
	// target is merged into.
	Into string
	Time time.Time
}

// Check checks a decision on its own; the store checks it against the
// submission's state.
func (d *Decision) Check() registry.Errors {
	if errs := registry.CheckValues(struct {
		Message string `json:"message"`
	}{d.Message}); len(errs) > 0 {
		return errs
	}
	var errs registry.Errors
	switch d.Action {
	case Accept, Note:
		if d.Action == Note && d.Message == "" {
			errs = append(errs, &registry.FieldError{Path: "message", Msg: "a note needs its text"})
		}
	case Reject, RequestChanges:
		if d.Message == "" {
			errs = append(errs, &registry.FieldError{Path: "message", Msg: "is required: the contributor reads it on the receipt page"})
		}
	case Retract, Merge:
		if err := registry.CheckReason(d.Message); err != nil {
			errs = append(errs, &registry.FieldError{Path: "message", Msg: "is the reason the log records: " + err.Fields[0].Msg})
		}
		if d.Action == Merge && !slugRE.MatchString(d.Into) {
			errs = append(errs, &registry.FieldError{Path: "into", Msg: "is required: the id of the deployment to merge into"})
		}
	default:
		names := make([]string, len(Actions))
		for i, a := range Actions {
			names[i] = string(a)
		}
		errs = append(errs, &registry.FieldError{Path: "action", Msg: "is not an action on a submission", Allowed: names})
	}
	if d.Record != nil && d.Action != Accept {
		errs = append(errs, &registry.FieldError{Path: "record", Msg: "only an accept carries an edited record"})
	}
	if d.Into != "" && d.Action != Merge {
		errs = append(errs, &registry.FieldError{Path: "into", Msg: "only a merge names a record to merge into"})
	}
	return errs
}

// A QueueFilter selects the submissions a reviewer sees.
type QueueFilter struct {
	States       []State // any of these; all states when empty
	Jurisdiction string
	Kind         Kind
	After        int64 // only ids above it: the cursor of the next page
	Limit        int   // at most MaxQueue
}

// MaxQueue bounds a page of the queue.
const MaxQueue = 100
