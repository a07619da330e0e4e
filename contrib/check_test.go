package contrib

import (
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

func paths(errs registry.Errors) string {
	var ps []string
	for _, e := range errs {
		ps = append(ps, e.Path)
	}
	return strings.Join(ps, " ")
}

// TestCheck: each kind needs what it needs, evidence is checked as a
// record's sources are and joins the record, and the record's errors are
// an import's, under record.
func TestCheck(t *testing.T) {
	ev := []registry.Source{{URL: "https://example.org/a"}}
	rec := func() *registry.Deployment {
		d := fixture.Deployment(1, "PK", "vendor-a")
		d.Sources = nil
		for _, f := range []*[]string{&d.Operator.Sources, &d.System.Sources, &d.Scale.Sources, &d.Status.Sources, &d.Vendors[0].Sources, &d.Dates[0].Sources} {
			*f = []string{"e1"}
		}
		return d
	}
	for _, c := range []struct {
		name string
		p    Proposal
		want string // the paths of the errors, in order
	}{
		{"new", Proposal{Kind: New, Record: rec(), Evidence: ev}, ""},
		{"new without record", Proposal{Kind: New, Evidence: ev}, "record"},
		{"new with target", Proposal{Kind: New, Target: "x", Record: rec(), Evidence: ev}, "target"},
		{"no evidence", Proposal{Kind: New, Record: rec()}, "evidence"},
		{"bad evidence", Proposal{Kind: Dispute, Target: "x", Message: "m", Evidence: []registry.Source{{URL: "javascript:alert(1)", Language: "not a tag!", Translated: true}}},
			"evidence[0].url evidence[0].language evidence[0].translated"},
		{"change without record", Proposal{Kind: Change, Target: "x", Evidence: ev}, "record"},
		{"dispute without message", Proposal{Kind: Dispute, Target: "x", Evidence: ev}, "message"},
		{"dispute of another record", Proposal{Kind: Dispute, Target: "x", Message: "m", Record: rec(), Evidence: ev}, "record.id"},
		{"bad target", Proposal{Kind: Correction, Target: "X Y", Message: "m", Evidence: ev}, "target"},
		{"bad kind", Proposal{Kind: "delete", Evidence: ev}, "kind"},
		{"bad pseudonym", Proposal{Kind: New, Record: rec(), Evidence: ev, Pseudonym: "-x y"}, "pseudonym"},
		{"record errors", Proposal{Kind: New, Record: func() *registry.Deployment { d := rec(); d.Jurisdiction = "pk"; return d }(), Evidence: ev}, "record.jurisdiction"},
		{"the proposal's and the record's errors at once", Proposal{Kind: New, Record: func() *registry.Deployment { d := rec(); d.Jurisdiction = "pk"; return d }(), Evidence: ev, Pseudonym: "-x y"},
			"pseudonym record.jurisdiction"},
		{"bad evidence and the record's errors, not the evidence's twice", Proposal{Kind: New, Record: func() *registry.Deployment { d := rec(); d.Title = ""; return d }(),
			Evidence: []registry.Source{{URL: "javascript:alert(1)"}}}, "evidence[0].url record.title"},
		{"message too long", Proposal{Kind: Dispute, Target: "x", Message: strings.Repeat("m", 5001), Evidence: ev}, "message"},
		{"too much evidence", Proposal{Kind: Dispute, Target: "x", Message: "m", Evidence: make([]registry.Source, 21)}, "evidence"},
		{"key of another source", Proposal{Kind: New, Record: func() *registry.Deployment {
			d := rec()
			d.Sources = []registry.Source{{Key: "e1", URL: "https://example.org/other"}}
			return d
		}(), Evidence: ev}, "evidence[0].key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := paths(c.p.Check()); got != c.want {
				t.Errorf("errors at %q, want %q", got, c.want)
			}
		})
	}
	p := Proposal{Kind: New, Record: rec(), Evidence: ev}
	p.Check()
	if len(p.Record.Sources) != 1 || p.Record.Sources[0].Key != "e1" || !strings.HasPrefix(p.Pseudonym, "contributor-") {
		t.Errorf("after Check: sources %+v, pseudonym %q", p.Record.Sources, p.Pseudonym)
	}
	if (&Submission{Proposal: Proposal{Contact: "c"}, Account: "a", Messages: []Message{{Body: "x"}, {Body: "y", Public: true}}}).Public().Contact != "" {
		t.Error("the public view keeps the contact")
	}
}
