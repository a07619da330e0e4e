// Package release names points of the register's log and says what
// changed between them, from the log itself: each entity added, changed,
// retracted or merged, with the reason its revision gives. A release is
// the register as of a log size, which the log reproduces and the signed
// checkpoint of that size proves; users of a dataset can then see why a row
// is in one release and not the next.
package release

import (
	"fmt"
	"regexp"
	"time"

	"oversight/registry"
)

// A Release is a named, dated point of the log.
type Release struct {
	Tag        string    `json:"tag"`
	Size       int64     `json:"size"`       // the log size it stands for
	Checkpoint string    `json:"checkpoint"` // the signed checkpoint of that size
	Notes      string    `json:"notes,omitempty"`
	Created    time.Time `json:"created"`
}

// MaxNotes bounds a release's notes, in characters.
const MaxNotes = 5000

var tagRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$`)

// CheckTag checks a release's name: letters, digits, '.', '_' and '-', at
// most 40, starting with a letter or digit (2026-12, v1.0).
func CheckTag(tag string) error {
	if !tagRE.MatchString(tag) {
		return registry.InvalidField("tag", fmt.Sprintf("%q is not a release name: letters, digits, '.', '_' and '-', at most 40, starting with a letter or digit", registry.Clip(tag)))
	}
	return nil
}

// What a change did to an entity.
const (
	Added     = "added"
	Changed   = "changed"
	Retracted = "retracted"
	Merged    = "merged"
	Redacted  = "redacted" // a revision's content removed (op redact); no record changed
)

// A Change is one revision of a changelog.
type Change struct {
	Seq         int64     `json:"seq"`
	Kind        string    `json:"kind"`
	ID          string    `json:"id"`
	What        string    `json:"what"`           // Added, Changed, Retracted, Merged or Redacted
	Into        string    `json:"into,omitempty"` // on a merge
	Reason      string    `json:"reason,omitempty"`
	Author      string    `json:"author"`
	Contributor string    `json:"contributor,omitempty"`
	Time        time.Time `json:"time"`
}

// A Changelog is what changed from one log size to another: the revisions
// from From up to To, not included, oldest first.
type Changelog struct {
	From    int64          `json:"from"`
	To      int64          `json:"to"`
	Counts  map[string]int `json:"counts"` // by What
	Changes []Change       `json:"changes"`
}

// NewChangelog starts the changelog from one log size to another.
func NewChangelog(from, to int64) *Changelog {
	return &Changelog{From: from, To: to, Counts: map[string]int{Added: 0, Changed: 0, Retracted: 0, Merged: 0, Redacted: 0}, Changes: []Change{}}
}

// Add adds a revision, in log order.
func (c *Changelog) Add(r *registry.Revision) {
	ch := Change{Seq: r.Seq, Kind: r.Kind, ID: r.ID, Into: r.Into, Reason: r.Reason, Author: r.Author, Contributor: r.Contributor, Time: r.Time}
	switch {
	case r.Op == "create":
		ch.What = Added
	case r.Op == "retract" && r.Into != "":
		ch.What = Merged
	case r.Op == "retract":
		ch.What = Retracted
	case r.Op == "redact":
		ch.What = Redacted
	default:
		ch.What = Changed
	}
	c.Counts[ch.What]++
	c.Changes = append(c.Changes, ch)
}

// Previous returns the size of the release before size among releases
// (0 when there is none): a changelog runs from there.
func Previous(releases []Release, size int64) int64 {
	var prev int64
	for _, r := range releases {
		if r.Size < size && r.Size > prev {
			prev = r.Size
		}
	}
	return prev
}
