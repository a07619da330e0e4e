package registry

import (
	"encoding/json"
	"strings"
	"testing"
)

func declared() *Deployment {
	d := valid()
	d.Operator = Operator{Name: "City of Example", Kind: "municipality", Sources: []string{"a"}}
	d.Certainty = SelfDeclared
	d.Declaration = &Declaration{By: "City of Example", Date: Date{Year: 2026, Month: 12, Day: 5}, Answers: []Answer{
		{Scheme: "eu-ai-act", Field: "C.1.name", Text: "City of Example"},
		{Scheme: "eu-ai-act", Field: "C.3", Text: "https://example.org/eu-entry"},
		{Scheme: "eu-ai-act", Field: "C.4", Text: "No disproportionate effect found."},
		{Scheme: "uk-atrs", Field: "1.4", Text: "ai-team@example.org"},
	}}
	return d
}

// The schemes are data a lawyer reviews: each is well formed, its field
// ids unique, its limits within the register's.
func TestSchemes(t *testing.T) {
	if len(Schemes()) < 2 {
		t.Fatalf("want the EU and UK schemes, got %d", len(Schemes()))
	}
	for _, s := range Schemes() {
		if s.ID == "" || s.Title == "" || s.Basis == "" || !strings.HasPrefix(s.URL, "http") {
			t.Errorf("scheme %q lacks its id, title, basis or url", s.ID)
		}
		seen := map[string]bool{}
		for _, sec := range s.Sections {
			for _, q := range sec.Fields {
				if seen[q.ID] {
					t.Errorf("%s: field %s twice", s.ID, q.ID)
				}
				seen[q.ID] = true
				if q.Name == "" || q.Max <= 0 || q.Max > TextLimits["answer"] {
					t.Errorf("%s %s: name %q, max %d", s.ID, q.ID, q.Name, q.Max)
				}
				switch q.Kind {
				case "text", "url", "email":
				case "choice":
					if len(q.Options) == 0 {
						t.Errorf("%s %s: a choice without options", s.ID, q.ID)
					}
				default:
					t.Errorf("%s %s: kind %q", s.ID, q.ID, q.Kind)
				}
			}
		}
		if r := s.RestrictedBy; r != nil && (r.Framework == "" || r.Rule == "") {
			t.Errorf("%s: restricted_by names no rule", s.ID)
		}
	}
	// Annex VIII Section C as the Official Journal numbers it: point 3 is
	// the provider's entry, point 4 the fundamental rights impact
	// assessment; Art. 49(4)(c) keeps points 1 to 3 in the secure section.
	eu := SchemeByID("eu-ai-act")
	for id, restricted := range map[string]bool{"C.1.name": true, "C.2.contact": true, "C.3": true, "C.4": false, "C.5": false} {
		q, _ := eu.Question(id)
		if q == nil || q.Restricted != restricted {
			t.Errorf("eu-ai-act %s: %+v, want restricted %v", id, q, restricted)
		}
	}
	if q, _ := eu.Question("C.3"); q.Kind != "url" || !strings.Contains(q.Wording, "URL of the entry") {
		t.Errorf("C.3 is %+v", q)
	}
	if q, _ := eu.Question("C.4"); !strings.Contains(q.Wording, "fundamental rights impact assessment") {
		t.Errorf("C.4 is %+v", q)
	}
}

func TestDeclarationValidate(t *testing.T) {
	if err := declared().Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		edit func(*Deployment)
		want string
	}{
		{func(d *Deployment) { d.Declaration.By = "Someone Else" }, `declaration.by: "Someone Else" is not the record's operator`},
		{func(d *Deployment) { d.Declaration.Date = Date{} }, "declaration.date: is required"},
		{func(d *Deployment) { d.Declaration.Answers = nil }, "declaration.answers: a declaration answers at least one field"},
		{func(d *Deployment) { d.Declaration.Answers[0].Scheme = "us-fedramp" }, `answers[0].scheme: "us-fedramp" is not a register`},
		{func(d *Deployment) { d.Declaration.Answers[0].Field = "C.9" }, `answers[0].field: "C.9" is not a field of eu-ai-act`},
		{func(d *Deployment) { d.Declaration.Answers[1] = d.Declaration.Answers[0] }, "eu-ai-act C.1.name is answered twice"},
		{func(d *Deployment) {
			a := d.Declaration.Answers
			a[0], a[1] = a[1], a[0]
		}, "answers go in the order of the scheme's fields"},
		{func(d *Deployment) { d.Declaration.Answers[1].Text = "not a link" }, `answers[1].answer: "not a link" is not an http or https URL`},
		{func(d *Deployment) { d.Declaration.Answers[3].Text = "team at example" }, `answers[3].answer: "team at example" is not an e-mail address`},
		{func(d *Deployment) { d.Declaration.Answers[2].Text = "  " }, "answers[2].answer: is empty"},
		{func(d *Deployment) { d.Declaration.Answers[0].Text = strings.Repeat("x", 501) }, "eu-ai-act C.1.name takes at most 500 characters (this has 501)"},
		{func(d *Deployment) { d.Declaration = nil }, "certainty: a record is self_declared only with its operator's declaration"},
		{func(d *Deployment) {
			d.Declaration.Answers = make([]Answer, 501)
		}, "declaration.answers: at most 500 items"},
	}
	for _, c := range cases {
		d := declared()
		c.edit(d)
		err := d.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an error containing %q, got %v", c.want, err)
		}
	}
}

// A declaration is logged as its record's JSON: it reads back the same,
// and Sort puts answers in the order Validate wants.
func TestDeclarationRoundTrip(t *testing.T) {
	d := declared()
	want := d.Declaration.Answers
	d.Declaration.Answers = []Answer{want[3], want[2], {Scheme: "eu-ai-act", Field: "C.5", Text: " "}, want[0], want[1]}
	d.Declaration.Sort()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back Deployment
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Declaration.Get("eu-ai-act", "C.4") != want[2].Text || len(back.Declaration.Answers) != 4 || !back.Declaration.Answered("uk-atrs") || back.Declaration.Answered("nope") {
		t.Errorf("read back %+v", back.Declaration)
	}
}
