package registry

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// A Tombstone is what the register keeps of a retracted record: the
// revision that retracted it, why, and the revision that holds its last
// state, which stays readable in the log. A record merged into another is
// retracted with Into naming the record it now redirects to.
//
// The register leaves a retracted record out of every list, count, search
// and export; reading it by id gives its tombstone.
type Tombstone struct {
	Kind    string    `json:"kind"`
	ID      string    `json:"id"`
	Seq     int64     `json:"seq"`  // the retracting revision
	Time    time.Time `json:"time"` // when it was retracted
	Author  string    `json:"author"`
	Reason  string    `json:"reason"`
	Into    string    `json:"merged_into,omitempty"` // the id of the same kind it was merged into
	LastSeq int64     `json:"last_seq"`              // the revision holding its last state; -1 for none
}

// Merged reports whether the record was merged into another.
func (t *Tombstone) Merged() bool { return t.Into != "" }

// Gone explains err, the error of reading kind/id from rd: when the record
// is not found because it was retracted, it returns its tombstone and, for
// a retraction that is not a merge, its last state from the log (nil when
// the log holds none). Otherwise it returns err itself, or the error of
// looking the tombstone up.
func Gone(ctx context.Context, rd Reader, kind, id string, err error) (*Tombstone, Entity, error) {
	if !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	t, terr := rd.Tombstone(ctx, kind, id)
	if errors.Is(terr, ErrNotFound) {
		return nil, nil, err
	}
	if terr != nil || t.Merged() || t.LastSeq < 0 {
		return t, nil, terr
	}
	rev, _, terr := rd.Revision(ctx, t.LastSeq)
	if terr != nil {
		return nil, nil, terr
	}
	if rev.Redacted {
		return t, nil, nil // its last state was redacted
	}
	last, terr := Decode(kind, rev.State)
	if terr != nil {
		return nil, nil, terr
	}
	return t, last, nil
}

// MaxReason bounds the reason given for a retraction or a merge, in
// characters.
const MaxReason = 1000

// CheckReason checks the reason for a retraction or a merge: required,
// and one line of text within MaxReason (see CheckLine).
func CheckReason(reason string) *Error {
	if reason == "" {
		return InvalidField("reason", "is required: say why the record is retracted")
	}
	return CheckLine("reason", reason, MaxReason)
}

// CheckLine checks a value the log records as given, such as a reason or
// an author: valid UTF-8 without control characters, which the log would
// otherwise record as something other than what was given, and at most
// max characters.
func CheckLine(field, value string, max int) *Error {
	if !utf8.ValidString(value) {
		return InvalidField(field, "is not valid UTF-8")
	}
	n := 0
	for _, r := range value {
		n++
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return InvalidField(field, "must be one line of text without control characters")
		}
	}
	if n > max {
		return InvalidField(field, fmt.Sprintf("is longer than %d characters", max))
	}
	return nil
}
