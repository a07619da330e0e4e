package rules

import (
	"slices"
	"time"
)

// signedBy reports whether jurisdiction j had signed the framework on asOf.
// A signatory whose signing day is not recorded counts as signed throughout:
// the day is known for treaties whose chart was read.
func (fw *Framework) signedBy(j string, asOf time.Time) bool {
	day, ok := fw.SignedOn[j]
	if !ok {
		return true
	}
	t, err := time.Parse(time.DateOnly, day)
	return err != nil || !asOf.Before(t)
}

// checkSignedOn refuses a signing day for a state that is not a signatory, or
// one that is not a date.
func (l *loader) checkSignedOn(fw *Framework) {
	for j, day := range fw.SignedOn {
		at := "signed_on." + j
		if !slices.Contains(fw.Signatories, j) {
			l.metaErr(at, "%s has a signing day but is not among the signatories", j)
			continue
		}
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			l.metaErr(at, "signing day %q is not a date (YYYY-MM-DD)", day)
		}
	}
}
