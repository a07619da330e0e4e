package registry

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
)

// A Declaration is what the organisation that operates a system states
// about it when it registers the system itself: its answers to the
// questions of public registers of AI systems (Schemes), kept in their
// shapes so that they can be exported as those registers ask. The register
// vouches only that the organisation said it; a record whose certainty is
// self_declared rests on nothing else.
type Declaration struct {
	// By is the organisation, as the record's operator names it. The
	// register sets it, and Date, from the account that declares.
	By   string `json:"by"`
	Date Date   `json:"date"`
	// Answers are in scheme and field order, one a field at most.
	Answers []Answer `json:"answers"`
}

// An Answer is one field of a scheme, answered.
type Answer struct {
	Scheme string `json:"scheme"` // Scheme.ID
	Field  string `json:"field"`  // Field.ID
	Text   string `json:"answer"`
}

// Get returns the answer to a scheme's field, or "".
func (d *Declaration) Get(scheme, field string) string {
	if d == nil {
		return ""
	}
	for _, a := range d.Answers {
		if a.Scheme == scheme && a.Field == field {
			return a.Text
		}
	}
	return ""
}

// Answered reports whether d answers any field of a scheme.
func (d *Declaration) Answered(scheme string) bool {
	return d != nil && slices.ContainsFunc(d.Answers, func(a Answer) bool { return a.Scheme == scheme })
}

// A Scheme is the list of questions a public register of AI systems asks
// of the organisations that use them, as its legal text or standard words
// them. The schemes are data (registry/declarations/*.json), so that a
// lawyer reviews them in a diff.
type Scheme struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Basis   string `json:"basis"`   // the law or standard that asks, with its articles
	Version string `json:"version"` // the text the fields were read from
	URL     string `json:"url"`     // where that text is published
	Note    string `json:"note,omitempty"`
	// RestrictedBy names the rule that, where it holds on a record's
	// facts, keeps the entry in a section out of public view, where the
	// register has one: Question.Restricted marks the fields it takes.
	RestrictedBy *RuleRef `json:"restricted_by,omitempty"`
	// Sections group the fields as the register's form or template does.
	Sections []Section `json:"sections"`
}

// A RuleRef names a rule of a framework (frameworks/<framework>/rules.yaml).
type RuleRef struct {
	Framework string `json:"framework"`
	Rule      string `json:"rule"`
}

// A Section is a group of a scheme's fields: a sheet or a tier.
type Section struct {
	ID     string     `json:"id"`
	Title  string     `json:"title"`
	Fields []Question `json:"fields"`
}

// A Question is one field of a scheme.
type Question struct {
	ID   string `json:"id"`   // as the scheme numbers it ("C.3", "2.1.1")
	Name string `json:"name"` // as the scheme names it
	// Attribute is the scheme's machine name for the field, where it has one.
	Attribute string `json:"attribute,omitempty"`
	Wording   string `json:"wording,omitempty"`
	Help      string `json:"help,omitempty"` // what to write, in the register's words
	Required  bool   `json:"required"`       // the scheme asks for it of every entry
	// Kind is text, url, email or choice; a choice is one of Options.
	Kind    string   `json:"kind"`
	Options []string `json:"options,omitempty"`
	Max     int      `json:"max"` // characters
	// Restricted marks a field also entered where the scheme keeps some
	// entries out of public view (the EU database's secure section, AI
	// Act Art. 49(4)); Scheme.Note says which.
	Restricted bool `json:"restricted,omitempty"`
}

//go:embed declarations/*.json
var schemeFiles embed.FS

// schemes are the registers a declaration answers, in the order pages show
// them.
var schemes = func() []*Scheme {
	entries, err := schemeFiles.ReadDir("declarations")
	if err != nil {
		panic(err)
	}
	var out []*Scheme
	for _, e := range entries {
		b, err := schemeFiles.ReadFile("declarations/" + e.Name())
		if err != nil {
			panic(err)
		}
		var s Scheme
		if err := json.Unmarshal(b, &s); err != nil {
			panic(fmt.Sprintf("registry/declarations/%s: %v", e.Name(), err))
		}
		out = append(out, &s)
	}
	return out
}()

// Schemes returns the schemes a declaration may answer.
func Schemes() []*Scheme { return schemes }

// SchemeByID returns a scheme, or nil.
func SchemeByID(id string) *Scheme {
	for _, s := range schemes {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Question returns a scheme's field and its section, or nil.
func (s *Scheme) Question(id string) (*Question, *Section) {
	for i := range s.Sections {
		for j := range s.Sections[i].Fields {
			if f := &s.Sections[i].Fields[j]; f.ID == id {
				return f, &s.Sections[i]
			}
		}
	}
	return nil, nil
}

// order is the position of a field among all schemes' fields, for sorting
// answers; -1 for an unknown one.
func order(scheme, field string) int {
	n := 0
	for _, s := range schemes {
		for _, sec := range s.Sections {
			for _, f := range sec.Fields {
				if s.ID == scheme && f.ID == field {
					return n
				}
				n++
			}
		}
	}
	return -1
}

// Sort puts a declaration's answers in scheme and field order and drops
// empty ones, the form in which it is logged.
func (d *Declaration) Sort() {
	d.Answers = slices.DeleteFunc(d.Answers, func(a Answer) bool { return strings.TrimSpace(a.Text) == "" })
	slices.SortStableFunc(d.Answers, func(a, b Answer) int { return order(a.Scheme, a.Field) - order(b.Scheme, b.Field) })
}

// check checks a declaration within a record: every answer is to a known
// field, once, within its length and kind, in order.
func (c *checker) declaration(d *Declaration, operator string) {
	if d == nil {
		return
	}
	c.required("declaration.by", d.By)
	if d.By != "" && d.By != operator {
		c.add("declaration.by", "%q is not the record's operator %q: an organisation declares the systems it operates", Clip(d.By), Clip(operator))
	}
	if d.Date.IsZero() {
		c.add("declaration.date", "is required")
	}
	if len(d.Answers) == 0 {
		c.add("declaration.answers", "a declaration answers at least one field")
	}
	last, seen := -1, map[[2]string]bool{}
	for i, a := range d.Answers {
		p := fmt.Sprintf("declaration.answers[%d]", i)
		s := SchemeByID(a.Scheme)
		if s == nil {
			ids := make([]string, len(schemes))
			for i, s := range schemes {
				ids[i] = s.ID
			}
			c.errs = append(c.errs, &FieldError{Path: p + ".scheme", Msg: fmt.Sprintf("%q is not a register the declaration answers", Clip(a.Scheme)), Allowed: ids})
			continue
		}
		f, _ := s.Question(a.Field)
		if f == nil {
			c.add(p+".field", "%q is not a field of %s", Clip(a.Field), s.ID)
			continue
		}
		if seen[[2]string{a.Scheme, a.Field}] {
			c.add(p, "%s %s is answered twice", s.ID, f.ID)
			continue
		}
		seen[[2]string{a.Scheme, a.Field}] = true
		if o := order(a.Scheme, a.Field); o < last {
			c.add(p, "answers go in the order of the scheme's fields: %s %s comes earlier", s.ID, f.ID)
		} else {
			last = o
		}
		text := strings.TrimSpace(a.Text)
		switch n := len([]rune(a.Text)); {
		case text == "":
			c.add(p+".answer", "is empty: leave out a field not answered")
		case n > f.Max:
			c.add(p+".answer", "%s %s takes at most %d characters (this has %d)", s.ID, f.ID, f.Max, n)
		}
		switch f.Kind {
		case "url":
			c.url(p+".answer", text)
		case "email":
			if _, err := mail.ParseAddress(text); err != nil || strings.ContainsAny(text, "<> ") {
				c.add(p+".answer", "%q is not an e-mail address", Clip(text))
			}
		case "choice":
			if !slices.Contains(f.Options, text) {
				c.errs = append(c.errs, &FieldError{Path: p + ".answer", Msg: fmt.Sprintf("%q is not one of %s %s's options", Clip(text), s.ID, f.ID), Allowed: f.Options})
			}
		}
	}
}
