package registry

import (
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
