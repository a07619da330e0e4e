package main

import (
	"fmt"

	"oversight/registry"
)

// A Fact is one sourced statement of a deployment, counted as the checks
// of 6 Dec 2026 counted them, with the keys of the sources that support it.
type Fact struct {
	Label   string // e.g. "capability face_recognition", "source tempo-2024 excerpt"
	Sources []string
}

// Facts lists a deployment's facts: its operator, each capability and
// each purpose (resting on the system's sources), each vendor role, its
// scale, each dated event, its status when it names sources, each
// financing entry, and each source's title, publisher, published date and
// excerpt where given (resting on that source alone). The place, summary,
// description, notes and certainty are not counted: no source key is tied
// to them.
func Facts(d *registry.Deployment) []Fact {
	var fs []Fact
	add := func(label string, srcs []string) { fs = append(fs, Fact{label, srcs}) }
	if !d.Operator.IsZero() {
		add("operator", d.Operator.Sources)
	}
	for _, c := range d.System.Capabilities {
		add("capability "+c, d.System.Sources)
	}
	for _, p := range d.System.Purposes {
		add("purpose "+p, d.System.Sources)
	}
	for _, v := range d.Vendors {
		add("vendor "+v.Vendor, v.Sources)
	}
	if !d.Scale.IsZero() {
		add("scale", d.Scale.Sources)
	}
	for _, e := range d.Dates {
		add("date "+e.Event, e.Sources)
	}
	if len(d.Status.Sources) > 0 {
		add("status", d.Status.Sources)
	}
	for i, f := range d.Financing {
		add(fmt.Sprintf("financing %d", i+1), f.Sources)
	}
	return append(fs, sourceFacts(d.Sources)...)
}

// sourceFacts lists each source's title, publisher, published date and
// excerpt where given, each resting on that source alone.
func sourceFacts(srcs []registry.Source) []Fact {
	var fs []Fact
	add := func(label string, srcs []string) { fs = append(fs, Fact{label, srcs}) }
	for _, s := range srcs {
		own := []string{s.Key}
		if s.Title != "" {
			add("source "+s.Key+" title", own)
		}
		if s.Publisher != "" {
			add("source "+s.Key+" publisher", own)
		}
		if s.Published.Year != 0 {
			add("source "+s.Key+" published", own)
		}
		if s.Excerpt != "" {
			add("source "+s.Key+" excerpt", own)
		}
	}
	return fs
}

// A Tally is what a ledger says of its deployments' and profiles' facts.
type Tally struct {
	Deployments int
	Profiles    int // jurisdiction profiles, named by their code
	Facts       int // facts naming at least one source
	Confirmed   int // at least one citing source read
	NoCopy      int // no citing source read, at least one with no stored copy
	NotSearched int // every citing source not searched, or with no row
	Unsourced   int // facts naming no source, not in Facts
	Unlisted    int // sources of the ledger's records with no row
}

// A subject is a record a ledger row can name: a deployment, by its id,
// or a jurisdiction profile, by its code.
type subject struct {
	id      string
	profile bool
	sources []registry.Source
	facts   func() []Fact
}

// subjects indexes the register's deployments and profiles by the name a
// ledger gives them. Codes are upper case and ids lower case, so the two
// never collide.
func subjects(set *registry.Set) map[string]*subject {
	m := map[string]*subject{}
	for _, d := range set.Deployments {
		m[d.ID] = &subject{d.ID, false, d.Sources, func() []Fact { return Facts(d) }}
	}
	for _, j := range set.Jurisdictions {
		m[j.Code] = &subject{j.Code, true, j.Sources, func() []Fact { return ProfileFacts(j) }}
	}
	return m
}

// Count tallies the facts of every deployment and profile the ledger
// names, against the register. A row naming a record the register does
// not have, or a source key the record does not cite, is an error naming
// its line.
func Count(set *registry.Set, rows []Row) (Tally, error) {
	byID := subjects(set)
	status := map[[2]string]string{}
	var order []string // records in the ledger's order
	listed := map[string]bool{}
	for _, r := range rows {
		d := byID[r.Deployment]
		if d == nil {
			return Tally{}, fmt.Errorf("line %d: %q is neither a deployment nor a jurisdiction code in the register", r.Line, registry.Clip(r.Deployment))
		}
		if !cites(d.sources, r.Source) {
			return Tally{}, fmt.Errorf("line %d: %s has no source %q", r.Line, d.id, registry.Clip(r.Source))
		}
		if !listed[r.Deployment] {
			listed[r.Deployment] = true
			order = append(order, r.Deployment)
		}
		status[[2]string{r.Deployment, r.Source}] = r.Status
	}
	var t Tally
	for _, id := range order {
		d := byID[id]
		if d.profile {
			t.Profiles++
		} else {
			t.Deployments++
		}
		for _, s := range d.sources {
			if _, ok := status[[2]string{id, s.Key}]; !ok {
				t.Unlisted++
			}
		}
		for _, f := range d.facts() {
			if len(f.Sources) == 0 {
				t.Unsourced++
				continue
			}
			t.Facts++
			read, nocopy := false, false
			for _, k := range f.Sources {
				switch status[[2]string{id, k}] {
				case Read:
					read = true
				case NoCopy:
					nocopy = true
				}
			}
			switch {
			case read:
				t.Confirmed++
			case nocopy:
				t.NoCopy++
			default:
				t.NotSearched++
			}
		}
	}
	return t, nil
}

func cites(srcs []registry.Source, key string) bool {
	for _, s := range srcs {
		if s.Key == key {
			return true
		}
	}
	return false
}
