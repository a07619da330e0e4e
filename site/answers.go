package site

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"oversight/rules"
)

// Bounds on what POST /assess reads. The form the questionnaire sends is
// far inside them: 60-odd questions with at most 23 values each.
const (
	maxAssessBody   = 64 << 10 // bytes of the body
	maxAssessValues = 400      // values, all fields together
	maxAnswerBytes  = 500      // one value; a text question's leaf may bound it lower
)

// Fields of the form besides the questions' paths.
const (
	stepField  = "to"     // the step asked for next: a section id or resultStep
	resultStep = "result" // the results page
	noneSuffix = ".none"  // path + noneSuffix = "on": none of a list's values
)

// answers are what a person answered, by question path, each in the
// schema's terms ("yes" or "no" for a yes/no question). A list question
// answered "none of these" has an empty, non-nil list. A question not
// answered ("don't know") has no entry.
type answers map[string][]string

// assessForm is the questionnaire as one request sees it: with the
// register's jurisdictions to choose from.
type assessForm struct {
	q             *questionnaire
	jurisdictions []option // code and name, in name order
}

// options returns what a question offers.
func (f *assessForm) options(qu *question) []option {
	if qu.Kind == jurisdiction {
		return f.jurisdictions
	}
	return qu.Options
}

// A formError names the field of the form that could not be read and,
// where the field is a question's, the question.
type formError struct {
	Question *question // nil for a field that is no question's
	Field    string
	Msg      string
	Value    string // the value refused, to show again where a person typed it
}

func (e *formError) Error() string { return e.Field + ": " + e.Msg }

var datePattern = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)

// read reads a submitted form: the answers and the step asked for. Every
// field must be a question's (or the step), every value one its question
// takes. The first field that is not is the error, so that the page can
// name it; the answers read besides it are kept, so that a person who
// mistyped one answer does not lose the others. A form of more values
// than the questionnaire can send is refused whole.
func (f *assessForm) read(form url.Values) (answers, string, *formError) {
	n := 0
	for _, vs := range form {
		n += len(vs)
	}
	if n > maxAssessValues {
		return answers{}, "", &formError{Field: "form", Msg: fmt.Sprintf("%d values, more than the %d the questionnaire can send", n, maxAssessValues)}
	}
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	slices.Sort(names) // the same error for the same form, whatever the map's order
	a, step := answers{}, ""
	var first *formError
	fail := func(e *formError) {
		if first == nil {
			first = e
		}
	}
	for _, name := range names {
		vs := form[name]
		path, none := strings.CutSuffix(name, noneSuffix)
		qu := f.q.byPath[path]
		if i := slices.IndexFunc(vs, func(v string) bool { return plain(v) != "" }); i >= 0 {
			fail(&formError{Question: qu, Field: safeName(name), Msg: plain(vs[i])})
			continue
		}
		switch {
		case name == stepField:
			v, err := single(vs)
			if err == "" && v != resultStep && f.q.section(v) == nil {
				err = fmt.Sprintf("%q is no step of the questionnaire", v)
			}
			if err != "" {
				fail(&formError{Field: name, Msg: err})
				continue
			}
			step = v
		case qu == nil || none && qu.Kind != choices:
			fail(&formError{Field: safeName(name), Msg: "not a question of this form"})
		case none:
			if v, err := single(vs); err != "" || v != "on" {
				fail(&formError{Question: qu, Field: name, Msg: "must be on or absent"})
				continue
			}
			if _, ok := a[path]; !ok {
				a[path] = []string{}
			}
		default:
			vals, err := f.value(qu, vs)
			if err != "" {
				e := &formError{Question: qu, Field: name, Msg: err}
				if v, err := single(vs); err == "" && qu.Kind != choices {
					e.Value = v // to show again, to be corrected
				}
				fail(e)
				continue
			}
			if vals != nil {
				a[path] = append(a[path], vals...)
			}
		}
	}
	for _, path := range names {
		if vs := a[path]; len(vs) > 0 && form.Has(path+noneSuffix) {
			fail(&formError{Question: f.q.byPath[path], Field: path + noneSuffix, Msg: "none of these, and " + strconv.Quote(vs[0]) + " too"})
			delete(a, path)
		}
	}
	return a, step, first
}

// value reads the values sent for one question: nil when it is left
// unknown.
func (f *assessForm) value(qu *question, vs []string) ([]string, string) {
	if qu.Kind == choices {
		var out []string
		for _, v := range vs {
			if !slices.ContainsFunc(qu.Options, func(o option) bool { return o.Value == v }) {
				return nil, fmt.Sprintf("%q is not one of its answers", v)
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out, ""
	}
	v, err := single(vs)
	if err != "" {
		return nil, err
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, "" // don't know
	}
	switch qu.Kind {
	case yesNo:
		if v != "yes" && v != "no" {
			return nil, fmt.Sprintf("%q is not yes, no or don't know (empty)", v)
		}
	case choice, jurisdiction:
		if !slices.ContainsFunc(f.options(qu), func(o option) bool { return o.Value == v }) {
			return nil, fmt.Sprintf("%q is not one of its answers", v)
		}
	case number:
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 0 {
			return nil, fmt.Sprintf("%q is not a whole number from 0 to %d", v, int64(1<<63-1))
		}
	case date:
		if !validDate(v) {
			return nil, fmt.Sprintf("%q is not a year (2025) or a date written 2025-03-31", v)
		}
	case text:
		if max := min(qu.leaf.MaxLength, maxAnswerBytes); max > 0 && len(v) > max {
			return nil, fmt.Sprintf("%d bytes, more than %d", len(v), max)
		}
	}
	return []string{v}, ""
}

// single is the one value of a single-valued field. The same value twice
// is one answer; two different ones are a mistake.
func single(vs []string) (string, string) {
	for _, v := range vs[1:] {
		if v != vs[0] {
			return "", "two different answers"
		}
	}
	return vs[0], ""
}

// plain says what is wrong with a value that is no answer to anything:
// too long, not UTF-8, or with control characters.
func plain(v string) string {
	switch {
	case len(v) > maxAnswerBytes:
		return fmt.Sprintf("%d bytes, more than %d", len(v), maxAnswerBytes)
	case !utf8.ValidString(v):
		return "not UTF-8 text"
	case strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' }):
		return "contains control characters"
	}
	return ""
}

// safeName is a field's name fit to show: a name that is no question's
// may be anything.
func safeName(name string) string {
	if name == "" || !utf8.ValidString(name) || len(name) > 80 || strings.ContainsFunc(name, unicode.IsControl) {
		return strconv.QuoteToASCII(name[:min(len(name), 80)])
	}
	return name
}

func validDate(v string) bool {
	if !datePattern.MatchString(v) {
		return false
	}
	layout := "2006-01-02"[:len(v)]
	_, err := time.Parse(layout, v)
	return err == nil
}

// asked reports whether a question is asked given the answers: a question
// whose condition an earlier answer rules out is moot. An earlier answer
// left unknown rules nothing out.
func (f *assessForm) asked(qu *question, a answers) bool {
	c := qu.When
	if c == nil {
		return true
	}
	on := f.q.byPath[c.Path]
	if !f.asked(on, a) {
		return false
	}
	vs, known := a[c.Path]
	if !known {
		return true
	}
	for _, v := range vs {
		if slices.Contains(c.AnyOf, v) {
			return true
		}
	}
	return false
}

// document makes the answers a fact document: what was answered, in the
// schema's types, and nothing for questions left unknown or moot.
func (f *assessForm) document(a answers) map[string]any {
	doc := map[string]any{"schema": "observatory.facts/v0"}
	for _, s := range f.q.Sections {
		for _, qu := range s.Questions {
			vs, ok := a[qu.Path]
			if !ok || !f.asked(qu, a) {
				continue
			}
			var v any
			switch qu.Kind {
			case yesNo:
				v = vs[0] == "yes"
			case number:
				v, _ = strconv.ParseInt(vs[0], 10, 64)
			case choices:
				items := []any{}
				for _, o := range qu.Options { // in the questionnaire's order
					if slices.Contains(vs, o.Value) {
						items = append(items, o.Value)
					}
				}
				v = items
			default:
				v = vs[0]
			}
			rules.SetPathValue(doc, qu.Path, v)
		}
	}
	return doc
}
