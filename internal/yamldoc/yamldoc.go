// Package yamldoc reads YAML documents as JSON, within bounds, keeping the
// line of every value so that errors found after decoding can still name
// it; and it checks JSON documents for what encoding/json lets through
// (duplicate keys, invalid UTF-8, deep nesting).
//
// goccy/go-yaml parses quickly but decodes into Go values in time quadratic
// in the document's size; converting its AST to JSON and decoding with
// encoding/json avoids that.
package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
)

// Doc is a parsed YAML document.
type Doc struct {
	File  *ast.File
	JSON  []byte   // the document as JSON, each value on its line in the YAML
	Lines []string // the source, line by line
}

// Error is a problem in a document with its position and, where known,
// the path of the value it is in ("deployments[2].title").
type Error struct {
	Line, Column int
	Path         string
	Msg          string
}

func (e *Error) Error() string {
	if e.Path != "" {
		return e.Path + ": " + e.Msg
	}
	return e.Msg
}

// Parse parses one YAML document and converts it to JSON. It refuses a
// file holding more than one document, and,
// before the parser sees them, flow collections nested deeper than
// MaxDepth and text that is not UTF-8; and, before converting, aliases
// that would expand the document by more than MaxAliasExpansion.
func Parse(data []byte) (*Doc, error) {
	data, err := Text(data)
	if err != nil {
		return nil, err
	}
	// The parser takes time quadratic in the nesting of flow collections:
	// a megabyte of "[" would take hours.
	if flowDepth(data) > MaxDepth {
		return nil, &Error{Msg: fmt.Sprintf("nested more than %d deep", MaxDepth)}
	}
	// goccy/go-yaml replaces invalid UTF-8 with U+FFFD: the register would
	// keep text the file does not hold.
	if !utf8.Valid(data) {
		return nil, invalidUTF8(data)
	}
	file, err := parse(data)
	if err != nil {
		return nil, err
	}
	var body ast.Node
	if len(file.Docs) > 0 {
		body = file.Docs[0].Body
	}
	// A file is one document: a second one's records would otherwise be
	// dropped without a word.
	for _, d := range file.Docs[min(1, len(file.Docs)):] {
		if d.Body != nil {
			line := d.Body.GetToken().Position.Line
			return nil, &Error{Line: line, Msg: "a second YAML document begins here: a file holds one document (put every record in it)"}
		}
	}
	js, err := toJSON(body)
	if err != nil {
		return nil, err
	}
	return &Doc{File: file, JSON: js, Lines: strings.Split(string(data), "\n")}, nil
}

// parse parses YAML text within the bounds of checkShape and
// MaxAliasExpansion.
func parse(data []byte) (*ast.File, error) {
	tokens := lexer.Tokenize(string(data))
	if len(tokens) > MaxTokens {
		return nil, &Error{Msg: fmt.Sprintf("more than %d tokens (keys, values and punctuation)", MaxTokens)}
	}
	if err := checkShape(tokens); err != nil {
		return nil, err
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, Explain(err)
	}
	if grown := expanded(file, true) - expanded(file, false); grown > MaxAliasExpansion {
		return nil, &Error{Msg: fmt.Sprintf("aliases expand the document by more than %d (nodes plus bytes of text)", MaxAliasExpansion)}
	}
	return file, nil
}

// Text returns a document's bytes without a UTF-8 byte order mark, and
// refuses a UTF-16 or UTF-32 one: documents are UTF-8.
func Text(data []byte) ([]byte, error) {
	for _, bom := range [][]byte{{0, 0, 0xfe, 0xff}, {0xff, 0xfe, 0, 0}, {0xfe, 0xff}, {0xff, 0xfe}} {
		if bytes.HasPrefix(data, bom) {
			return nil, &Error{Line: 1, Column: 1, Msg: "the file is UTF-16 or UTF-32 (it starts with a byte order mark): save it as UTF-8"}
		}
	}
	return bytes.TrimPrefix(data, []byte("\ufeff")), nil
}

// invalidUTF8 reports the first byte that is not UTF-8, at its line and
// column and, when the rest of the document parses, in its field.
func invalidUTF8(data []byte) *Error {
	off := 0
	for off < len(data) {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		off += n
	}
	line := bytes.Count(data[:off], []byte("\n")) + 1
	e := &Error{Line: line, Column: off - bytes.LastIndexByte(data[:off], '\n'),
		Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x): the file must be UTF-8", data[off])}
	if file, err := parse(bytes.ToValidUTF8(data, []byte("?"))); err == nil && len(file.Docs) > 0 {
		if js, err := toJSON(file.Docs[0].Body); err == nil {
			// The deepest value starting on the line is the one holding it.
			for p, l := range Paths(js, nil) {
				if l == line && len(p) > len(e.Path) {
					e.Path = p
				}
			}
		}
	}
	return e
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

// MaxAliasExpansion bounds what aliases add to a document when they are
// expanded, counting each node as one plus the bytes of its text: a few
// lines of anchors and aliases can otherwise stand for billions of nodes
// (a "billion laughs" document), or for one long string many times over.
const MaxAliasExpansion = 1 << 20

// expanded weighs a file, each node as one plus the bytes of its scalar
// text, with each alias weighed as its anchor's node when expand is true
// and as one node otherwise. A weight stops growing at 2^40, far past
// anything the caller accepts, so that it cannot overflow.
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
		case *ast.LiteralNode:
			s += len(n.Value.Value)
		case ast.ScalarNode:
			if tk := n.GetToken(); tk != nil {
				s += len(tk.Value)
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
	for p := path; p != ""; p = Parent(p) {
		if n := d.Node(p); n != nil {
			if tk := n.GetToken(); tk != nil && tk.Position != nil {
				return tk.Position.Line, tk.Position.Column
			}
		}
	}
	return 0, 0
}

// Parent returns the path of the value that holds the one at p
// ("a.b[2]" for "a.b[2].c"), or "" at the top.
func Parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return ""
	}
	return p[:i]
}
