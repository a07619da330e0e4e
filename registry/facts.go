package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"oversight/rules"
)

// A FactDoc is a deployment's fact document (schema observatory.facts/v0)
// kept as a record of the register: the inputs every classification of
// the deployment reads, logged like the records they describe, so that a
// tier can be traced to the revision of the facts that produced it. Its id
// is its deployment's; its state is the document itself, keys sorted and
// numbers in their shortest form.
//
// A FactDoc is parsed when it is decoded (UnmarshalJSON, ParseFactDoc),
// through the rules package's schema parser with that parser's bounds
// (rules.MaxFactBytes, MaxFactDepth, MaxFactItems); a document the schema
// refuses decodes all the same, and Validate reports why, naming each field.
type FactDoc struct {
	ID    string       // the deployment's id, deployment.id of the document
	facts *rules.Facts // the parsed document; nil when it failed the schema
	err   error        // why it failed: rules.FieldErrors or another error
	raw   []byte       // the document as given, when it failed
}

func (*FactDoc) Kind() string  { return "facts" }
func (f *FactDoc) Key() string { return f.ID }

// NewFactDoc makes a record of a fact document that has passed the schema.
func NewFactDoc(f *rules.Facts) *FactDoc { return &FactDoc{ID: f.ID(), facts: f} }

// ParseFactDoc reads a fact document in YAML or JSON, as a file holds one;
// name is the file's, for errors, which name the field and, for YAML, the
// line. Unlike UnmarshalJSON it fails when the schema refuses the document.
func ParseFactDoc(name string, data []byte) (*FactDoc, error) {
	s, err := rules.FactSchema()
	if err != nil {
		return nil, err
	}
	f, err := s.ParseFacts(name, data)
	if err != nil {
		return nil, err
	}
	return NewFactDoc(f), nil
}

// Facts returns the parsed document, nil when it failed the schema.
func (f *FactDoc) Facts() *rules.Facts { return f.facts }

// MarshalJSON writes the document: canonical JSON, since encoding/json
// sorts a map's keys and the parser made every integral number an int64.
func (f *FactDoc) MarshalJSON() ([]byte, error) {
	if f.facts == nil {
		if f.raw == nil {
			return []byte("null"), nil
		}
		var b bytes.Buffer
		err := json.Compact(&b, f.raw)
		return b.Bytes(), err
	}
	return json.Marshal(f.facts.Doc())
}

// UnmarshalJSON parses a fact document. Only input that is not one JSON
// value fails here; a document the schema refuses is kept, with its
// errors, for Validate to report in the batch's list of problems.
func (f *FactDoc) UnmarshalJSON(b []byte) error {
	if !json.Valid(b) {
		return errors.New("a fact document is not valid JSON")
	}
	*f = FactDoc{}
	s, err := rules.FactSchema()
	if err != nil {
		return err
	}
	facts, err := s.ParseFacts("", b)
	if err == nil {
		f.ID, f.facts = facts.ID(), facts
		return nil
	}
	f.err, f.raw = err, bytes.Clone(b)
	var doc struct {
		Deployment struct {
			ID string `json:"id"`
		} `json:"deployment"`
	}
	if json.Unmarshal(b, &doc) == nil {
		f.ID = doc.Deployment.ID
	}
	return nil
}

// Validate reports the schema's problems with the document, each at its
// field (deployment.operator is operator.type's parent, and so on), and an
// id that is not a slug. That its deployment exists is checked with the
// batch (References).
func (f *FactDoc) Validate() error {
	var c checker
	if f.err != nil {
		var fe rules.FieldErrors
		if !errors.As(f.err, &fe) {
			c.add("", "%v", f.err)
			return c.errs.Err()
		}
		for _, e := range fe {
			msg := e.Msg
			if e.Line > 0 {
				msg = fmt.Sprintf("%s (line %d)", msg, e.Line)
			}
			c.add(rules.PointerToPath(e.Field), "%s", msg)
		}
		return c.errs.Err()
	}
	if f.facts == nil {
		c.add("", "is empty, not a fact document")
		return c.errs.Err()
	}
	c.slug("deployment.id", f.ID)
	return c.errs.Err()
}
