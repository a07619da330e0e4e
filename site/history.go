package site

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"oversight/internal/params"
	"oversight/registry"
	"oversight/review"
)

// The history of changes: the log's revisions, newest first, grouped by
// change (the revisions one import, decision or edit wrote), each with
// what it changed, field by field, against the record's state before.

// logPage is how many revisions the page shows at once.
const logPage = 50

// changeURL is the address of the history page at a revision: what it
// changed, field by field, against the record before it.
func changeURL(seq int64) string {
	return "/history?before=" + strconv.FormatInt(seq+1, 10) + "#rev-" + strconv.FormatInt(seq, 10)
}

// A logChange is the revisions one author wrote at one time for one reason.
type logChange struct {
	Author, Contributor, Reason string
	Time                        time.Time
	Revisions                   []logRevision
}

type logRevision struct {
	*registry.Revision
	Changes []fieldChange // in words (changesInWords)
	// Created says the record had no state before: its fields are shown
	// as they are, with no column of nothing before them.
	Created bool
	// PrevRedacted is the redaction of the state before, when it was
	// redacted: what the revision changed cannot be shown.
	PrevRedacted *registry.Redaction
	// Name is what a person knows the record by, or "": never read from
	// a redacted state.
	Name string
}

func (s *Site) history(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), "before")
	before := p.Size("before")
	if err := p.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	size, err := rd.Size(ctx)
	if err != nil {
		return err
	}
	if before == 0 || before > size {
		before = size
	}
	revs, err := rd.RecentRevisions(ctx, before, logPage)
	if err != nil {
		return err
	}
	var changes []logChange
	for _, rev := range revs {
		if rev.Redacted || rev.Op == "redact" {
			// A redacted revision has no state to compare, and a
			// redaction changes none: the page says what happened.
			changes = appendChange(changes, logRevision{Revision: rev})
			continue
		}
		prev, err := rd.StateBefore(ctx, rev.Kind, rev.ID, rev.Seq)
		var red *registry.RedactedError
		if errors.As(err, &red) {
			// Nothing to compare with: the state before was redacted.
			changes = appendChange(changes, logRevision{Revision: rev, PrevRedacted: &red.Redaction, Name: recordName(rev.State)})
			continue
		} else if err != nil {
			return err
		}
		diff, err := review.DiffJSON(prev, rev.State)
		if err != nil {
			return err
		}
		changes = appendChange(changes, logRevision{Revision: rev, Changes: changesInWords(rev.Kind, prev, rev.State, diff), Created: len(prev) == 0,
			Name: cmp.Or(recordName(rev.State), recordName(prev))})
	}
	next := ""
	if n := len(revs); n == logPage && revs[n-1].Seq > 0 {
		next = "/history?before=" + strconv.FormatInt(revs[n-1].Seq, 10)
	}
	s.render(w, r, http.StatusOK, "history", map[string]any{"Title": "History of changes", "Changes": changes, "Size": size, "Next": next})
	return nil
}

// appendChange adds a revision to the last change when the same author
// wrote it at the same time for the same reason, or as a change of its own.
func appendChange(changes []logChange, lr logRevision) []logChange {
	rev := lr.Revision
	if n := len(changes); n > 0 && changes[n-1].Author == rev.Author && changes[n-1].Reason == rev.Reason &&
		changes[n-1].Contributor == rev.Contributor && changes[n-1].Time.Equal(rev.Time) {
		changes[n-1].Revisions = append(changes[n-1].Revisions, lr)
		return changes
	}
	return append(changes, logChange{Author: rev.Author, Contributor: rev.Contributor, Reason: rev.Reason, Time: rev.Time, Revisions: []logRevision{lr}})
}

// recordName reads, from a record's state as the log holds it, the name a
// person knows it by: a deployment's or instrument's title, a vendor's or
// jurisdiction's name, a claim's indicator and country. It is ""
// for a state without one (a retraction holds none; its state before
// does).
func recordName(state json.RawMessage) string {
	if len(state) == 0 {
		return ""
	}
	var r struct {
		Title, Name                      string
		Dataset, Indicator, Jurisdiction string
		// A fact document names its deployment.
		Deployment struct{ Title string }
	}
	if json.Unmarshal(state, &r) != nil {
		return ""
	}
	switch {
	case r.Title != "":
		return r.Title
	case r.Deployment.Title != "":
		return "the facts of " + r.Deployment.Title
	case r.Name != "":
		return r.Name
	case r.Dataset != "" && r.Indicator != "":
		// The dataset is in the id beside it; its name would double the line.
		return label("indicator", r.Indicator) + " in " + countryName(r.Jurisdiction)
	}
	return ""
}
