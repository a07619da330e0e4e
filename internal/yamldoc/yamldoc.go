// Package yamldoc reads a YAML document as JSON while keeping the positions
// of its nodes, so that errors found after decoding can still name a line.
//
// goccy/go-yaml parses quickly but decodes into Go values in time quadratic
// in the document's size; converting to JSON and decoding with encoding/json
// avoids that.
package yamldoc

import (
	"errors"
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
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Explain(err)
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, Explain(err)
	}
	return &Doc{File: file, JSON: js, Lines: strings.Split(string(data), "\n")}, nil
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
