package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"oversight/internal/yamldoc"
)

// Facts is a fact document that has passed the schema, ready for rules.
// A leaf that is absent, null or "unknown" is unknown: rules see it as a
// CEL unknown value, so that three-valued logic decides what it can.
type Facts struct {
	doc    map[string]any
	values []ref.Val // by leaf id-1: the CEL value, or an unknown
	raw    []any     // by leaf id-1: the value as decoded, nil when unknown
	nvals  []val     // by leaf id-1: the value for the native evaluator
	schema *Schema
}

// FieldError is a fact-document problem at a field.
type FieldError struct {
	File  string
	Line  int    // 0 when the input was not YAML
	Field string // JSON pointer, e.g. /identification/timing
	Msg   string
}

func (e FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// FieldErrors lists every problem found in one document.
type FieldErrors []FieldError

func (l FieldErrors) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// ParseFacts reads a fact document in JSON or YAML and validates it.
// Errors name the field, and for YAML the line.
func (s *Schema) ParseFacts(name string, data []byte) (*Facts, error) {
	var ydoc *yamldoc.Doc
	js := bytes.TrimSpace(data)
	if len(js) == 0 || js[0] != '{' {
		d, err := yamldoc.Parse(data)
		if err != nil {
			var ye *yamldoc.Error
			if errors.As(err, &ye) {
				return nil, FieldErrors{{File: name, Line: ye.Line, Msg: ye.Msg}}
			}
			return nil, FieldErrors{{File: name, Msg: err.Error()}}
		}
		ydoc, js = d, d.JSON
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, FieldErrors{{File: name, Msg: "not a JSON or YAML document: " + err.Error()}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, FieldErrors{{File: name, Msg: "not a JSON or YAML document: more than one value"}}
	}
	f, err := s.NewFacts(doc)
	if fe, ok := err.(FieldErrors); ok {
		for i := range fe {
			fe[i].File = name
			if ydoc != nil {
				fe[i].Line, _ = ydoc.Position(pointerToPath(fe[i].Field))
			}
		}
	}
	return f, err
}

// NewFacts validates a decoded document (maps, slices, strings, booleans,
// json.Number or float64) and prepares it for evaluation.
func (s *Schema) NewFacts(doc any) (*Facts, error) {
	doc = normaliseNumbers(doc)
	if err := s.json.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, fieldErrors(ve)
		}
		return nil, FieldErrors{{Msg: err.Error()}}
	}
	return s.facts(doc), nil
}

// DerivedFacts prepares a document this program built for evaluation
// without validating it against the JSON Schema, which costs most of the
// time of reading facts. It is for documents that cannot be invalid by
// construction: a test must show that every value the builder can emit is
// valid (see analysis.TestDerivedFactsValid). Numbers must be float64.
func (s *Schema) DerivedFacts(doc map[string]any) *Facts { return s.facts(doc) }

func (s *Schema) facts(doc any) *Facts {
	m, _ := doc.(map[string]any)
	n := len(s.leaves)
	f := &Facts{doc: m, values: make([]ref.Val, n), raw: make([]any, n), nvals: make([]val, n), schema: s}
	for i, l := range s.leaves {
		v := lookup(m, l.Path)
		f.values[i] = toVal(l, v)
		f.nvals[i] = factVal(l, f.values[i])
		if !types.IsUnknown(f.values[i]) {
			f.raw[i] = v
		}
	}
	return f
}

// Doc returns the document as read.
func (f *Facts) Doc() map[string]any { return f.doc }

// ID returns deployment.id, or "".
func (f *Facts) ID() string { s, _ := lookup(f.doc, "deployment.id").(string); return s }

// Jurisdiction returns deployment.jurisdiction, or "" when unknown.
func (f *Facts) Jurisdiction() string {
	s, _ := lookup(f.doc, "deployment.jurisdiction").(string)
	return s
}

// Value returns a leaf's value and whether it is known.
func (f *Facts) Value(path string) (any, bool) {
	l, ok := f.schema.byPath[path]
	if !ok {
		return nil, false
	}
	v := f.raw[l.id-1]
	return v, v != nil
}

// val returns the CEL value of a leaf by id.
func (f *Facts) val(id int64) ref.Val { return f.values[id-1] }

func toVal(l *Leaf, v any) ref.Val {
	unknown := l.unknown
	if v == nil {
		return unknown
	}
	switch l.Kind {
	case Bool:
		return types.Bool(v.(bool))
	case Int:
		return types.Int(v.(int64))
	case String:
		s := v.(string)
		if s == "unknown" && l.Enum != nil {
			return unknown // an enumeration's "unknown" is unknown, not a value
		}
		return types.String(s)
	case StringList:
		items := v.([]any)
		ss := make([]string, len(items))
		for i, it := range items {
			ss[i] = it.(string)
		}
		return types.NewStringList(types.DefaultTypeAdapter, ss)
	}
	return unknown
}

func lookup(m map[string]any, path string) any {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

// normaliseNumbers turns json.Number and float64 into int64 where integral,
// which the schema's integer type and CEL's int need.
func normaliseNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normaliseNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normaliseNumbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
	case int:
		return int64(x)
	}
	return v
}

// fieldErrors flattens a validation error tree into one line per failing
// field, most specific cause first.
func fieldErrors(ve *jsonschema.ValidationError) FieldErrors {
	var out FieldErrors
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		field := "/" + strings.Join(e.InstanceLocation, "/")
		msg := e.ErrorKind.LocalizedString(english)
		if seen[field+msg] {
			return
		}
		seen[field+msg] = true
		out = append(out, FieldError{Field: field, Msg: msg})
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

var english = message.NewPrinter(language.English)

func pointerToPath(ptr string) string {
	ptr = strings.Trim(ptr, "/")
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for i, part := range strings.Split(ptr, "/") {
		if part != "" && part[0] >= '0' && part[0] <= '9' {
			b.WriteString("[" + part + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(part)
	}
	return b.String()
}
