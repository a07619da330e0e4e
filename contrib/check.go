package contrib

import (
	"crypto/rand"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"oversight/registry"
)

var (
	slugRE      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	pseudonymRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// Check checks a proposal on its own and brings it into the form it is
// kept in: evidence without a key gets one (e1, e2, …), the evidence a
// record does not hold yet joins its sources, a record of a change takes
// its target's id, and a contributor without a pseudonym gets one. The
// errors are those an import gives for the record, under record., and
// name the other fields as a request's body does.
//
// What Check cannot see (that the target exists and is not retracted,
// that the vendors and jurisdiction a record names exist) the store checks
// when it keeps the submission.
func (p *Proposal) Check() registry.Errors {
	if errs := registry.CheckValues(p); len(errs) > 0 {
		return append(slices.Clone(p.Unread), errs...) // a value over its limit, or not text: say only that
	}
	errs := slices.Clone(p.Unread)
	add := func(path, format string, args ...any) {
		errs = append(errs, &registry.FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	switch p.Kind {
	case New:
		if p.Target != "" {
			add("target", "a new deployment has no target: name it in record.id")
		}
		if p.Record == nil {
			add("record", "a new deployment needs its record")
		}
	case Change, Correction, Dispute:
		if p.Target == "" {
			add("target", "is required: the id of the deployment this %s concerns", p.Kind)
		} else if !slugRE.MatchString(p.Target) {
			add("target", "%q is not a deployment id (lower-case letters, digits and single hyphens)", registry.Clip(p.Target))
		}
		if p.Kind == Change && p.Record == nil {
			add("record", "a change needs the record as it should read")
		}
		if p.Kind != Change && p.Message == "" {
			add("message", "is required: say what is wrong, and why")
		}
		if p.Record != nil && p.Record.ID == "" {
			p.Record.ID = p.Target
		} else if p.Record != nil && p.Record.ID != p.Target {
			add("record.id", "%q is not the target %q: a %s keeps the record's id", registry.Clip(p.Record.ID), registry.Clip(p.Target), p.Kind)
		}
	default:
		errs = append(errs, &registry.FieldError{Path: "kind", Msg: fmt.Sprintf("%q is not a kind of submission", registry.Clip(string(p.Kind))),
			Allowed: KindEnum.Values})
	}
	for i := range p.Evidence {
		if p.Evidence[i].Key == "" {
			p.Evidence[i].Key = "e" + strconv.Itoa(i+1)
		}
	}
	evidenceErrs := registry.CheckSources("evidence", p.Evidence)
	errs = append(errs, evidenceErrs...)
	if p.Pseudonym == "" {
		p.Pseudonym = NewPseudonym()
	} else if !pseudonymRE.MatchString(p.Pseudonym) {
		add("pseudonym", "%q may hold letters, digits, '.', '_' and '-', and starts with a letter or digit", registry.Clip(p.Pseudonym))
	}
	had := 0 // the record's sources before the evidence joins them
	if p.Record != nil {
		had = len(p.Record.Sources)
		errs = append(errs, p.cite()...)
	}
	if d := p.Record; d != nil && d.Declaration != nil && d.Declaration.By == "" {
		// Stamped for real, or refused, by CheckDeclaration, which knows
		// who sends it; until then it is checked as its operator's.
		decl := *d.Declaration
		decl.By, decl.Date = d.Operator.Name, registry.DateOf(time.Now())
		decl.Sort()
		d.Declaration = &decl
	}
	// The record is checked whatever else is wrong, so that a contributor
	// hears of every problem at once, not of the record's only after the
	// rest is put right.
	if p.Record != nil {
		if err := p.Record.Validate(); err != nil {
			for _, fe := range err.(registry.Errors) {
				if fromEvidence(fe.Path, had, len(evidenceErrs) > 0) {
					continue
				}
				c := *fe
				c.Path = "record." + fe.Path
				errs = append(errs, &c)
			}
		}
	}
	return errs
}

// fromEvidence reports whether a problem of a record's (by its path in the
// record) is one of the evidence, which CheckSources has reported already:
// one of the evidence that joined its sources at index had and after, the
// lack of any source, or, when the evidence has problems, a fact citing a
// key the evidence was to give.
func fromEvidence(path string, had int, evidenceBad bool) bool {
	if path == "sources" || evidenceBad && strings.Contains(path, ".sources[") {
		return true
	}
	rest, ok := strings.CutPrefix(path, "sources[")
	if !ok {
		return false
	}
	i, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)])
	return err == nil && i >= had
}

// cite adds to the record's sources the evidence it does not hold yet; the
// record's facts may cite the evidence by its keys.
func (p *Proposal) cite() registry.Errors {
	var errs registry.Errors
	for i, e := range p.Evidence {
		j := slices.IndexFunc(p.Record.Sources, func(s registry.Source) bool { return s.Key == e.Key })
		switch {
		case j < 0:
			p.Record.Sources = append(p.Record.Sources, e)
		case p.Record.Sources[j].URL != e.URL:
			errs = append(errs, &registry.FieldError{Path: fmt.Sprintf("evidence[%d].key", i),
				Msg: fmt.Sprintf("%q is the key of another source of the record (%s)", e.Key, registry.Clip(p.Record.Sources[j].URL))})
		}
	}
	return errs
}

// NewPseudonym makes up a pseudonym for a contributor who gave none: it
// says nothing of them and is unlikely to be anyone else's.
func NewPseudonym() string {
	return "contributor-" + rand.Text()[:8]
}
