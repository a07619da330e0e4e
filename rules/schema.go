package rules

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SchemaID names the fact-document schema this package reads.
const SchemaID = "observatory.facts/v0"

//go:embed facts.schema.json
var schemaJSON []byte

// SchemaJSON returns the JSON Schema of fact documents, for serving.
func SchemaJSON() []byte { return schemaJSON }

// Kind is the type of a leaf of the fact schema, as rules see it.
type Kind int

const (
	Bool Kind = iota
	String
	Int
	StringList
)

// Leaf is one field of the fact schema that rules may read: facts.<Path>.
type Leaf struct {
	Path        string   // dotted, e.g. "identification.timing"
	Kind        Kind     // type in CEL
	Enum        []string // allowed values of a string or of a list's items; nil if free text
	MaxItems    int      // bound on a list's length, for cost estimation
	MaxLength   int      // bound on a string's (or list item's) length, likewise
	Description string
	id          int64   // index+1: the id carried by an unknown value of this leaf
	unknown     ref.Val // this leaf's unknown value, made once: cel-go never changes one
}

// Schema is the fact schema: the JSON Schema that validates documents and
// the leaves that rule expressions are typed against.
type Schema struct {
	leaves []*Leaf
	byPath map[string]*Leaf
	json   *jsonschema.Schema
}

var (
	schemaOnce sync.Once
	theSchema  *Schema
	schemaErr  error
)

// FactSchema returns the compiled fact schema.
func FactSchema() (*Schema, error) {
	schemaOnce.Do(func() { theSchema, schemaErr = compileSchema(schemaJSON) })
	return theSchema, schemaErr
}

// Leaves lists the schema's leaves in path order.
func (s *Schema) Leaves() []*Leaf { return s.leaves }

// Leaf returns the leaf at a dotted path.
func (s *Schema) Leaf(path string) (*Leaf, bool) {
	l, ok := s.byPath[path]
	return l, ok
}

// node is the part of a JSON Schema this package reads to derive leaves.
type node struct {
	Type                 any              `json:"type"`
	Ref                  string           `json:"$ref"`
	Enum                 []any            `json:"enum"`
	Const                any              `json:"const"`
	Items                *node            `json:"items"`
	MaxItems             *int             `json:"maxItems"`
	MaxLength            *int             `json:"maxLength"`
	Properties           map[string]*node `json:"properties"`
	Defs                 map[string]*node `json:"$defs"`
	Description          string           `json:"description"`
	AdditionalProperties *bool            `json:"additionalProperties"`
}

func (n *node) types() []string {
	switch t := n.Type.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, v := range t {
			out = append(out, fmt.Sprint(v))
		}
		return out
	}
	return nil
}

func (n *node) has(t string) bool {
	for _, x := range n.types() {
		if x == t {
			return true
		}
	}
	return false
}

func compileSchema(raw []byte) (*Schema, error) {
	var root node
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, fmt.Errorf("facts.schema.json: %v", err)
	}
	s := &Schema{byPath: map[string]*Leaf{}}
	var walk func(prefix string, n *node) error
	walk = func(prefix string, n *node) error {
		if n.Ref != "" {
			name := strings.TrimPrefix(n.Ref, "#/$defs/")
			d, ok := root.Defs[name]
			if !ok {
				return fmt.Errorf("facts.schema.json: %s: unknown $ref %s", prefix, n.Ref)
			}
			merged := *d
			if n.Description != "" {
				merged.Description = n.Description
			}
			n = &merged
		}
		if len(n.Properties) > 0 {
			for name, p := range n.Properties {
				path := name
				if prefix != "" {
					path = prefix + "." + name
				}
				if err := walk(path, p); err != nil {
					return err
				}
			}
			return nil
		}
		l := &Leaf{Path: prefix, Description: n.Description}
		switch {
		case n.Const != nil:
			return nil // the schema tag: not a fact
		case n.has("array"):
			if n.Items == nil || n.Items.has("object") {
				return nil // evidence: not read by rules
			}
			l.Kind = StringList
			l.Enum = enumStrings(n.Items.Enum)
			l.MaxItems = len(l.Enum)
			l.MaxLength = maxLength(n.Items, l.Enum)
			if n.MaxItems != nil {
				l.MaxItems = *n.MaxItems
			}
			if l.MaxItems == 0 {
				return fmt.Errorf("facts.schema.json: %s: a list read by rules needs an enum or maxItems, to bound its cost", prefix)
			}
		case n.has("boolean"):
			l.Kind = Bool
		case n.has("integer"):
			l.Kind = Int
		case n.has("string") || len(n.Enum) > 0:
			l.Kind = String
			l.Enum = enumStrings(n.Enum)
			l.MaxLength = maxLength(n, l.Enum)
			if l.MaxLength == 0 {
				return fmt.Errorf("facts.schema.json: %s: a string read by rules needs an enum or maxLength, to bound its cost", prefix)
			}
		default:
			return fmt.Errorf("facts.schema.json: %s: unsupported type %v", prefix, n.Type)
		}
		s.leaves = append(s.leaves, l)
		return nil
	}
	if err := walk("", &root); err != nil {
		return nil, err
	}
	sort.Slice(s.leaves, func(i, j int) bool { return s.leaves[i].Path < s.leaves[j].Path })
	if len(s.leaves) >= 128 {
		// unknowns is a 128-bit set of leaf ids.
		return nil, fmt.Errorf("facts.schema.json: %d leaves; the evaluator handles at most 127", len(s.leaves))
	}
	for i, l := range s.leaves {
		l.id = int64(i + 1)
		l.unknown = types.NewUnknown(l.id, nil)
		s.byPath[l.Path] = l
	}
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	if err := c.AddResource("facts.schema.json", doc); err != nil {
		return nil, err
	}
	if s.json, err = c.Compile("facts.schema.json"); err != nil {
		return nil, err
	}
	return s, nil
}

func maxLength(n *node, enum []string) int {
	if n.MaxLength != nil {
		return *n.MaxLength
	}
	m := 0
	for _, s := range enum {
		m = max(m, len(s))
	}
	return m
}

func enumStrings(vals []any) []string {
	var out []string
	for _, v := range vals {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
