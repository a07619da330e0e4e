package rules

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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

// Bounds on a fact document, far above real ones (a few kilobytes, lists
// of a few items, nesting 4 deep), so that no document makes validation
// slow: the JSON Schema's uniqueItems compares every pair of a list.
const (
	MaxFactBytes = 1 << 20
	MaxFactDepth = 32
	MaxFactItems = 1000
)

// ParseFacts reads a fact document in JSON or YAML and validates it.
// Errors name the field, and for YAML the line. A document is refused
// whole when it is over MaxFactBytes, nests deeper than MaxFactDepth, has
// a list longer than MaxFactItems, a key twice in one object, or text that
// is not UTF-8.
func (s *Schema) ParseFacts(name string, data []byte) (*Facts, error) {
	at := func(err error) error {
		if ye, ok := err.(*yamldoc.Error); ok {
			return FieldErrors{{File: name, Line: ye.Line, Field: pathToPointer(ye.Path), Msg: ye.Msg}}
		}
		return FieldErrors{{File: name, Msg: err.Error()}}
	}
	if len(data) > MaxFactBytes {
		return nil, FieldErrors{{File: name, Msg: fmt.Sprintf("the document has %d bytes; a fact document may have at most %d", len(data), MaxFactBytes)}}
	}
	data, err := yamldoc.Text(data)
	if err != nil {
		return nil, at(err)
	}
	js := bytes.TrimSpace(data)
	yamlDoc := len(js) == 0 || js[0] != '{'
	if yamlDoc {
		d, err := yamldoc.Parse(data)
		if err != nil {
			return nil, at(err)
		}
		js = d.JSON // each value on its YAML line
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
	if err := yamldoc.CheckJSON(js, MaxFactDepth); err != nil {
		return nil, at(err)
	}
	if p := longList(doc, ""); p != "" {
		return nil, FieldErrors{{File: name, Field: p, Msg: fmt.Sprintf("a list of more than %d items", MaxFactItems)}}
	}
	f, err := s.NewFacts(doc)
	if fe, ok := err.(FieldErrors); ok {
		var lines map[string]int
		if yamlDoc {
			lines = yamldoc.Paths(js, nil)
		}
		for i := range fe {
			fe[i].File = name
			for p := PointerToPath(fe[i].Field); lines != nil && p != ""; p = yamldoc.Parent(p) {
				if l, ok := lines[p]; ok {
					fe[i].Line = l
					break
				}
			}
		}
	}
	return f, err
}

// longList returns the JSON pointer of a list in v longer than
// MaxFactItems, or "".
func longList(v any, at string) string {
	switch x := v.(type) {
	case []any:
		if len(x) > MaxFactItems {
			return cmp.Or(at, "/")
		}
		for i, e := range x {
			if p := longList(e, fmt.Sprintf("%s/%d", at, i)); p != "" {
				return p
			}
		}
	case map[string]any:
		for k, e := range x {
			if p := longList(e, at+"/"+k); p != "" {
				return p
			}
		}
	}
	return ""
}

// NewFacts validates a decoded document (maps, slices, strings, booleans,
// json.Number or float64) and prepares it for evaluation.
func (s *Schema) NewFacts(doc any) (*Facts, error) {
	doc = NormaliseNumbers(doc)
	if err := s.json.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, fieldErrors(ve)
		}
		return nil, FieldErrors{{Msg: err.Error()}}
	}
	// The schema's integers are any size; rules read int64.
	var errs FieldErrors
	for _, l := range s.leaves {
		if v := PathValue(m(doc), l.Path); l.Kind == Int && v != nil {
			if _, ok := v.(int64); !ok {
				errs = append(errs, FieldError{Field: pathToPointer(l.Path), Msg: fmt.Sprintf("%v is out of range: a whole number of at most %d", v, math.MaxInt64)})
			}
		}
	}
	if errs != nil {
		return nil, errs
	}
	return s.facts(doc), nil
}

// m returns a document's top-level object, or nil.
func m(doc any) map[string]any {
	o, _ := doc.(map[string]any)
	return o
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
		v := PathValue(m, l.Path)
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
func (f *Facts) ID() string { s, _ := PathValue(f.doc, "deployment.id").(string); return s }

// Jurisdiction returns deployment.jurisdiction, or "" when unknown.
func (f *Facts) Jurisdiction() string {
	s, _ := PathValue(f.doc, "deployment.jurisdiction").(string)
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

// pathToPointer turns a path (evidence[2].url) into a JSON pointer
// (/evidence/2/url).
func pathToPointer(p string) string {
	if p == "" {
		return ""
	}
	return "/" + strings.NewReplacer(".", "/", "[", "/", "]", "").Replace(p)
}

// PointerToPath turns a JSON pointer (/evidence/2/url) into a path
// (evidence[2].url), as registry errors name fields.
func PointerToPath(ptr string) string {
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
