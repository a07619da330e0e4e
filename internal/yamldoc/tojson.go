package yamldoc

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// A converter writes a YAML document's AST as JSON. Each value is written
// on the line it has in the YAML (newlines are padding between JSON
// tokens), so that a line found in the JSON, by encoding/json's offsets or
// by Paths, is the line in the YAML file.
//
// goccy/go-yaml's YAMLToJSON parses the document a second time and builds
// a copy of it in Go values; this walks the AST that Parse has already
// built, and refuses what JSON cannot carry faithfully instead of writing
// invalid JSON (.nan, .inf) or altering it (invalid UTF-8).
type converter struct {
	out     []byte
	line    int // the line out is on
	depth   int
	anchors map[string]ast.Node
	stack   []segment // path of the current value
	err     *Error
}

// toJSON converts a document body (nil for an empty document: null).
func toJSON(body ast.Node) ([]byte, error) {
	c := converter{line: 1, anchors: map[string]ast.Node{}}
	if body == nil {
		return []byte("null"), nil
	}
	c.node(body)
	if c.err != nil {
		return nil, c.err
	}
	return c.out, nil
}

func (c *converter) fail(n ast.Node, format string, args ...any) {
	if c.err != nil {
		return
	}
	e := &Error{Path: pathOf(c.stack), Msg: fmt.Sprintf(format, args...)}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		e.Line, e.Column = tk.Position.Line, tk.Position.Column
	}
	c.err = e
}

// at pads the output with newlines up to the node's line.
func (c *converter) at(n ast.Node) {
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 {
		n = m.Values[0].Key
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return
	}
	for c.line < tk.Position.Line {
		c.out = append(c.out, '\n')
		c.line++
	}
}

func (c *converter) node(n ast.Node) {
	if c.err != nil {
		return
	}
	c.at(n)
	switch n := n.(type) {
	case *ast.DocumentNode:
		c.node(n.Body)
	case *ast.AnchorNode:
		c.node(n.Value)
		// Registered once converted: an alias inside its own anchor's
		// node names an earlier anchor, or none.
		c.anchors[n.Name.GetToken().Value] = n.Value
	case *ast.AliasNode:
		target, ok := c.anchors[n.Value.GetToken().Value]
		if !ok {
			c.fail(n, "alias *%s names no anchor before it", n.Value.GetToken().Value)
			return
		}
		c.node(target)
	case *ast.MappingNode:
		c.mapping(n, n.Values)
	case *ast.MappingValueNode:
		c.mapping(n, []*ast.MappingValueNode{n})
	case *ast.SequenceNode:
		c.sequence(n)
	case *ast.TagNode:
		c.tagged(n)
	case *ast.LiteralNode:
		c.scalar(n, n.Value.Value)
	case *ast.MappingKeyNode:
		c.node(n.Value)
	case ast.ScalarNode:
		c.scalar(n, n.GetValue())
	default:
		c.fail(n, "unsupported YAML node %s", n.Type())
	}
}

func (c *converter) enter(n ast.Node) bool {
	if c.depth++; c.depth > MaxDepth {
		c.fail(n, "nested more than %d deep", MaxDepth)
		return false
	}
	return true
}

func (c *converter) mapping(n ast.Node, pairs []*ast.MappingValueNode) {
	if !c.enter(n) {
		return
	}
	c.out = append(c.out, '{')
	var keys keySet
	for i, p := range pairs {
		if p.Key.IsMergeKey() {
			c.fail(p, "merge keys (<<) are not supported: write the fields out")
			return
		}
		key, ok := c.key(p.Key)
		if !ok {
			return
		}
		c.stack = append(c.stack, segment{index: -1, key: key})
		if !keys.add(key) {
			c.fail(p.Key, "key %q appears twice in the same mapping", key)
			return
		}
		if i > 0 {
			c.out = append(c.out, ',')
		}
		c.at(p.Key)
		c.out = appendString(c.out, key)
		c.out = append(c.out, ':')
		c.node(p.Value)
		c.stack = c.stack[:len(c.stack)-1]
	}
	c.out = append(c.out, '}')
	c.depth--
}

// key returns a mapping key as JSON writes it: a string, or the text of
// another scalar (1, true, null).
func (c *converter) key(k ast.Node) (string, bool) {
	for {
		switch n := k.(type) {
		case *ast.MappingKeyNode:
			k = n.Value
			continue
		case *ast.AnchorNode:
			k = n.Value
			continue
		case *ast.AliasNode:
			if k = c.anchors[n.Value.GetToken().Value]; k == nil {
				c.fail(n, "alias *%s names no anchor before it", n.Value.GetToken().Value)
				return "", false
			}
			continue
		case ast.ScalarNode:
			v := n.GetValue()
			if v == nil {
				return "null", true
			}
			if s, ok := v.(string); ok {
				return s, true
			}
			return fmt.Sprint(v), true
		}
		c.fail(k, "a mapping key must be a scalar")
		return "", false
	}
}

func (c *converter) sequence(n *ast.SequenceNode) {
	if !c.enter(n) {
		return
	}
	c.out = append(c.out, '[')
	for i, v := range n.Values {
		if i > 0 {
			c.out = append(c.out, ',')
		}
		c.stack = append(c.stack, segment{index: i})
		c.node(v)
		c.stack = c.stack[:len(c.stack)-1]
	}
	c.out = append(c.out, ']')
	c.depth--
}

// tagged converts a tagged node: a collection as if untagged, a scalar as
// goccy/go-yaml decodes it (!!str 12 is "12").
func (c *converter) tagged(n *ast.TagNode) {
	switch n.Value.(type) {
	case *ast.MappingNode, *ast.SequenceNode, *ast.MappingValueNode, nil:
		if n.Value == nil {
			c.out = append(c.out, "null"...)
			return
		}
		c.node(n.Value)
		return
	}
	var v any
	if err := yaml.NodeToValue(n, &v); err != nil {
		c.fail(n, "%s", Explain(err).Error())
		return
	}
	c.scalar(n, v)
}

// scalar writes a decoded scalar.
func (c *converter) scalar(n ast.Node, v any) {
	switch v := v.(type) {
	case nil:
		c.out = append(c.out, "null"...)
	case bool:
		c.out = strconv.AppendBool(c.out, v)
	case int64:
		c.out = strconv.AppendInt(c.out, v, 10)
	case uint64:
		c.out = strconv.AppendUint(c.out, v, 10)
	case int:
		c.out = strconv.AppendInt(c.out, int64(v), 10)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			c.fail(n, "%v is not a finite number, which JSON cannot hold", v)
			return
		}
		c.out = strconv.AppendFloat(c.out, v, 'g', -1, 64)
	case string:
		if !utf8.ValidString(v) {
			c.fail(n, "invalid UTF-8")
			return
		}
		c.out = appendString(c.out, v)
	default:
		c.fail(n, "a %T value is not supported", v)
	}
}

// appendString appends s, valid UTF-8, as a JSON string.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '"' || ch == '\\':
			b = append(b, '\\', ch)
		case ch == '\n':
			b = append(b, '\\', 'n')
		case ch == '\t':
			b = append(b, '\\', 't')
		case ch < 0x20 || ch == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hex[ch>>4], hex[ch&0xf])
		default:
			b = append(b, ch)
		}
	}
	return append(b, '"')
}
