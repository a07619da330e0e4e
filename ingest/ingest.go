// Package ingest reads records into a registry.Set from the project's own
// file formats (YAML, JSON and CSV) and from published datasets (the AIGS
// index), and reports every problem with the file, line and field it is in.
// It writes nothing: the caller applies a Set as one transaction, so that a
// bad file changes nothing.
package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"oversight/internal/yamldoc"
	"oversight/registry"
)

// An Error is one problem in an input file.
type Error struct {
	File    string
	Line    int    // 1-based; 0 when unknown
	Field   string // e.g. deployments[2].vendors[0].role
	Msg     string
	Allowed []string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Msg)
	if len(e.Allowed) > 0 {
		b.WriteString(" (allowed: " + strings.Join(e.Allowed, ", ") + ")")
	}
	return b.String()
}

// ErrorList is every problem found in one or more files.
type ErrorList []*Error

func (l ErrorList) Error() string {
	const most = 50
	var b strings.Builder
	for i, e := range l {
		if i == most {
			fmt.Fprintf(&b, "\n... and %d more", len(l)-most)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Format names an input format.
type Format string

const (
	YAML Format = "yaml"
	JSON Format = "json"
	CSV  Format = "csv"
	AIGS Format = "aigs"
)

// Formats lists the formats Parse reads.
var Formats = []string{string(YAML), string(JSON), string(CSV), string(AIGS)}

// FormatOf guesses a file's format from its extension.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return YAML, nil
	case ".json":
		return JSON, nil
	case ".csv":
		return CSV, nil
	}
	return "", &Error{File: name, Msg: "cannot tell the format from the file name; name it with --format", Allowed: Formats}
}

// Parse reads one file. Records are validated on their own; references
// between records are checked by Check, which sees the register.
func Parse(name string, data []byte, f Format) (*registry.Set, *Source, error) {
	switch f {
	case YAML:
		return parseDocument(name, data)
	case JSON:
		return parseJSON(name, data)
	case CSV:
		return parseCSV(name, data)
	case AIGS:
		return parseAIGS(name, data)
	}
	return nil, nil, &Error{File: name, Msg: fmt.Sprintf("unknown format %q", f), Allowed: Formats}
}

// A Source remembers where each record of a parsed set came from, so that
// errors found later (by Check) can name the file and line.
type Source struct {
	// locate maps a path such as deployments[2].vendors[0].role to the file
	// and line it came from, and to the path within that file.
	locate func(path string) (file string, line int, local string)
}

func fileSource(name string, lines func(string) int) *Source {
	return &Source{locate: func(p string) (string, int, string) {
		if lines == nil {
			return name, 0, p
		}
		return name, lines(p), p
	}}
}

// Locate returns the file and line of a field path (or of its nearest
// enclosing field), and the path as it is within that file.
func (s *Source) Locate(path string) (file string, line int, local string) {
	if s == nil || s.locate == nil {
		return "", 0, path
	}
	return s.locate(path)
}

// Merge joins parsed files into one set whose errors still name the file
// and line each record came from.
func Merge(sets []*registry.Set, srcs []*Source) (*registry.Set, *Source) {
	type origin struct {
		src   *Source
		index int // position in its own file's list
	}
	var all registry.Set
	origins := map[string][]origin{} // list field → origin of each merged record
	for i, s := range sets {
		seen := map[string]int{}
		for _, e := range s.Entities() {
			f := registry.Field(e.Kind())
			origins[f] = append(origins[f], origin{srcs[i], seen[f]})
			seen[f]++
			all.Add(e)
		}
	}
	locate := func(path string) (string, int, string) {
		f, rest, _ := strings.Cut(path, "[")
		end := strings.Index(rest, "]")
		n, err := strconv.Atoi(rest[:max(end, 0)])
		if err != nil || n >= len(origins[f]) {
			return "", 0, path
		}
		o := origins[f][n]
		return o.src.Locate(fmt.Sprintf("%s[%d]%s", f, o.index, rest[end+1:]))
	}
	return &all, &Source{locate: locate}
}

// Check runs registry checks over a parsed set and returns them as an
// ErrorList that names file, line and field, or nil.
func Check(set *registry.Set, src *Source, known registry.Known) error {
	var out ErrorList
	for _, re := range set.Check(known) {
		field := registry.Field(re.Kind) + fmt.Sprintf("[%d]", re.Index)
		if re.Err.Path != "" {
			field += "." + re.Err.Path
		}
		file, line, local := src.Locate(field)
		out = append(out, &Error{File: file, Line: line, Field: local,
			Msg: fmt.Sprintf("%s %q: %s", re.Kind, re.ID, re.Err.Msg), Allowed: re.Err.Allowed})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// parseDocument reads a YAML document. goccy/go-yaml parses quickly but
// decodes into structs in time quadratic in the document's size, so the
// document is converted to JSON and decoded by encoding/json; the strict
// YAML decoder runs only to explain a failure with its line.
func parseDocument(name string, data []byte) (*registry.Set, *Source, error) {
	doc, err := yamldoc.Parse(data)
	if err != nil {
		return nil, nil, yamlError(name, err)
	}
	if len(doc.File.Docs) != 1 || doc.File.Docs[0].Body == nil {
		return nil, nil, ErrorList{{File: name, Line: 1, Msg: "expected one document with lists named jurisdictions, vendors, instruments, deployments or claims"}}
	}
	var set registry.Set
	dec := json.NewDecoder(bytes.NewReader(doc.JSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&set); err != nil {
		set = registry.Set{}
		if yerr := yaml.NodeToValue(doc.File.Docs[0].Body, &set, yaml.Strict(), yaml.UseJSONUnmarshaler()); yerr != nil {
			return nil, nil, yamlError(name, yamldoc.Explain(yerr))
		}
		return nil, nil, ErrorList{{File: name, Msg: err.Error()}}
	}
	return &set, fileSource(name, func(path string) int { line, _ := doc.Position(path); return line }), nil
}

func yamlError(name string, err error) error {
	if ye, ok := err.(*yamldoc.Error); ok {
		return ErrorList{{File: name, Line: ye.Line, Msg: ye.Msg}}
	}
	return ErrorList{{File: name, Msg: err.Error()}}
}

func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return ""
	}
	return p[:i]
}
