// Package yamldoc reads a YAML document as JSON while keeping the positions
// of its nodes, so that errors found after decoding can still name a line.
//
// goccy/go-yaml parses quickly but decodes into Go values in time quadratic
// in the document's size; converting to JSON and decoding with encoding/json
// avoids that.
package yamldoc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Doc is a parsed YAML document.
type Doc struct {
	File  *ast.File
	JSON  []byte   // the document as JSON
	Lines []string // the source, line by line
}

// Error is a YAML syntax error with its position.
type Error struct {
	Line, Column int
	Msg          string
}

func (e *Error) Error() string { return e.Msg }

// Parse parses one YAML document and converts it to JSON.
func Parse(data []byte) (*Doc, error) {
	// The parser takes time quadratic in the nesting of flow collections:
	// a megabyte of "[" would take hours.
	if flowDepth(data) > MaxDepth {
		return nil, &Error{Msg: fmt.Sprintf("nested more than %d deep", MaxDepth)}
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Explain(err)
	}
	if expanded(file, true) > expanded(file, false)+MaxAliasNodes {
		return nil, &Error{Msg: fmt.Sprintf("aliases expand the document by more than %d nodes", MaxAliasNodes)}
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, Explain(err)
	}
	return &Doc{File: file, JSON: js, Lines: strings.Split(string(data), "\n")}, nil
}

// MaxDepth bounds the nesting of flow collections ([ and {) in a document.
const MaxDepth = 1000

// flowDepth returns the deepest nesting of flow collections in a YAML
// document, skipping quoted strings and comments. Brackets in plain or
// block scalars count too, which matters only for text holding hundreds
// of unmatched ones.
func flowDepth(data []byte) int {
	depth, deepest := 0, 0
	var quote byte
	prev := byte('\n')
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case quote == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = 0
			}
		case quote == '\'':
			if c == '\'' && i+1 < len(data) && data[i+1] == '\'' {
				i++ // '' is a quote inside the string
			} else if c == '\'' {
				quote = 0
			}
		case c == '#' && strings.IndexByte(" \t\r\n", prev) >= 0:
			for i < len(data) && data[i] != '\n' {
				i++
			}
			c = '\n'
		case (c == '"' || c == '\'') && strings.IndexByte(" \t\r\n[{,:", prev) >= 0:
			quote = c
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
		prev = c
	}
	return deepest
}

// MaxAliasNodes bounds the nodes that aliases add to a document when they
// are expanded: a few lines of anchors and aliases can otherwise stand for
// billions of nodes (a "billion laughs" document).
const MaxAliasNodes = 100_000

// expanded counts the nodes of a file, with each alias counted as the
// nodes of its anchor when expand is true and as one node otherwise. A
// count stops growing at 2^40, far past anything the caller accepts, so
// that it cannot overflow.
func expanded(f *ast.File, expand bool) int {
	const limit = 1 << 40
	anchors := map[string]int{}
	var size func(n ast.Node) int
	size = func(n ast.Node) int {
		s := 1
		switch n := n.(type) {
		case nil:
			return 0
		case *ast.DocumentNode:
			return size(n.Body)
		case *ast.TagNode:
			return size(n.Value)
		case *ast.MappingKeyNode:
			return size(n.Value)
		case *ast.AnchorNode:
			s = size(n.Value)
			anchors[n.Name.String()] = s
			return s
		case *ast.AliasNode:
			if expand {
				s = max(anchors[n.Value.String()], 1)
			}
		case *ast.MappingValueNode:
			s += size(n.Key) + size(n.Value)
		case *ast.MappingNode:
			for _, v := range n.Values {
				s += size(v)
			}
		case *ast.SequenceNode:
			for _, v := range n.Values {
				s += size(v)
			}
		}
		return min(s, limit)
	}
	total := 0
	for _, d := range f.Docs {
		total = min(total+size(d), limit)
	}
	return total
}

// Explain turns a goccy error into an *Error with its position, when it has one.
func Explain(err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		e := &Error{Msg: ye.GetMessage()}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Column = tk.Position.Line, tk.Position.Column
		}
		return e
	}
	return err
}

// Node returns the node at a path such as "rules[2].when", or nil.
func (d *Doc) Node(path string) ast.Node {
	yp, err := yaml.PathString("$." + path)
	if err != nil {
		return nil
	}
	n, err := yp.FilterFile(d.File)
	if err != nil {
		return nil
	}
	return n
}

// Position finds the line and column of a path, walking up to the nearest
// node that is there when the path itself is absent (a missing field is
// reported at its parent).
func (d *Doc) Position(path string) (line, col int) {
	for p := path; p != ""; p = parent(p) {
		if n := d.Node(p); n != nil {
			if tk := n.GetToken(); tk != nil && tk.Position != nil {
				return tk.Position.Line, tk.Position.Column
			}
		}
	}
	return 0, 0
}

func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return ""
	}
	return p[:i]
}
