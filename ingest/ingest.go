// Package ingest reads records into a registry.Set from the project's own
// file formats (YAML, JSON and CSV) and from published datasets (the AIGS
// index, AidData's GCDF 3.0 table), and reports every problem with the file, line and field it is in.
// It writes nothing: the caller applies a Set as one transaction, so that a
// bad file changes nothing.
package ingest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

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
	// AidData is a choice of rows of AidData's Global Chinese Development
	// Finance Dataset 3.0 table (see parseAidData).
	AidData Format = "aiddata"
)

// Formats lists the formats Parse reads.
var Formats = []string{string(YAML), string(JSON), string(CSV), string(AIGS), string(AidData)}

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
// between records are checked by Check, which sees the register. A file
// larger than its format's limit (registry.MaxImportBytes, or
// registry.MaxYAMLBytes for YAML) is refused before it is read.
func Parse(name string, data []byte, f Format) (*registry.Set, *Source, error) {
	if !slices.Contains(Formats, string(f)) {
		return nil, nil, &Error{File: name, Msg: fmt.Sprintf("unknown format %q", f), Allowed: Formats}
	}
	if len(data) > maxBytes(f) {
		return nil, nil, ErrorList{tooLarge(name, f, int64(len(data)))}
	}
	data, err := yamldoc.Text(data)
	if err != nil {
		return nil, nil, docError(name, err)
	}
	switch f {
	case YAML:
		return parseDocument(name, data)
	case JSON:
		if isFactDocument(data) {
			return parseFactDocument(name, data)
		}
		return decodeSet(name, data)
	case CSV:
		return parseCSV(name, data)
	case AidData:
		return parseAidData(name, data)
	}
	return parseAIGS(name, data)
}

// ReadFile reads an import file of a format, refusing one larger than the
// format's limit without reading it, so that memory stays bounded whatever
// the file.
func ReadFile(name string, f Format) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	most := maxBytes(f)
	if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > int64(most) {
		return nil, ErrorList{tooLarge(name, f, st.Size())}
	}
	b, err := io.ReadAll(io.LimitReader(fh, int64(most)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > most {
		return nil, ErrorList{tooLarge(name, f, int64(len(b)))}
	}
	return b, nil
}

func maxBytes(f Format) int {
	if f == YAML {
		return registry.MaxYAMLBytes
	}
	return registry.MaxImportBytes
}

func tooLarge(name string, f Format, size int64) *Error {
	msg := fmt.Sprintf("the file has %d bytes; a %s file may have at most %d (%d MiB): split it into files imported together", size, f, maxBytes(f), maxBytes(f)>>20)
	if f == YAML {
		msg += ", or write it as JSON"
	}
	return &Error{File: name, Msg: msg}
}

// A Source remembers where each record of a parsed set came from, so that
// errors found later (by Check) can name the file and line.
type Source struct {
	// locate finds paths such as deployments[2].vendors[0].role, all in
	// one pass over the file, and gives each one's file and line and its
	// path within that file.
	locate func(paths []string) []Location
}

// A Location is where a field is: its file, its line (0 when unknown) and
// its path within the file.
type Location struct {
	File  string
	Line  int
	Local string
}

// Locate returns the file and line of a field path (or of its nearest
// enclosing field), and the path as it is within that file.
func (s *Source) Locate(path string) (file string, line int, local string) {
	l := s.locateAll([]string{path})[0]
	return l.File, l.Line, l.Local
}

func (s *Source) locateAll(paths []string) []Location {
	if s == nil || s.locate == nil {
		out := make([]Location, len(paths))
		for i, p := range paths {
			out[i].Local = p
		}
		return out
	}
	return s.locate(paths)
}

// rowSource locates paths under list[i] at lines[i]: the rows of a CSV
// file, each the record at the same position of the list.
func rowSource(name, list string, lines []int) *Source {
	return &Source{locate: func(paths []string) []Location {
		out := make([]Location, len(paths))
		for i, p := range paths {
			out[i] = Location{File: name, Local: p}
			if n, _, ok := index(p); ok && strings.HasPrefix(p, list+"[") && n < len(lines) {
				out[i].Line = lines[n]
			}
		}
		return out
	}}
}

// index reads the first index of a path: 3 and ".title" from
// "deployments[3].title".
func index(p string) (n int, rest string, ok bool) {
	_, r, _ := strings.Cut(p, "[")
	end := strings.IndexByte(r, ']')
	if end < 0 {
		return 0, "", false
	}
	n, err := strconv.Atoi(r[:end])
	return n, r[end+1:], err == nil && n >= 0
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
	locate := func(paths []string) []Location {
		out := make([]Location, len(paths))
		bySrc := map[*Source][]int{} // positions in paths of those in each file
		local := make([]string, len(paths))
		for i, p := range paths {
			f, _, _ := strings.Cut(p, "[")
			n, rest, ok := index(p)
			if !ok || n >= len(origins[f]) {
				out[i] = Location{Local: p}
				continue
			}
			o := origins[f][n]
			local[i] = fmt.Sprintf("%s[%d]%s", f, o.index, rest)
			bySrc[o.src] = append(bySrc[o.src], i)
		}
		for src, at := range bySrc {
			ps := make([]string, len(at))
			for k, i := range at {
				ps[k] = local[i]
			}
			for k, l := range src.locateAll(ps) {
				out[at[k]] = l
			}
		}
		return out
	}
	return &all, &Source{locate: locate}
}

// Check runs registry checks over a parsed set and returns them as an
// ErrorList that names file, line and field, or nil.
func Check(set *registry.Set, src *Source, known registry.Known) error {
	res := set.Check(known)
	if len(res) == 0 {
		return nil
	}
	fields := make([]string, len(res))
	for i, re := range res {
		fields[i] = registry.Field(re.Kind) + fmt.Sprintf("[%d]", re.Index)
		if re.Err.Path != "" {
			fields[i] += "." + re.Err.Path
		}
	}
	out := make(ErrorList, len(res))
	for i, l := range src.locateAll(fields) {
		re := res[i]
		out[i] = &Error{File: l.File, Line: l.Line, Field: l.Local,
			Msg: fmt.Sprintf("%s %q: %s", re.Kind, registry.Clip(re.ID), re.Err.Msg), Allowed: re.Err.Allowed}
	}
	return out
}

// decoded finishes reading a document: it refuses a null where a record
// should be, which is no record and would be lost.
func decoded(name string, set *registry.Set, src *Source) (*registry.Set, *Source, error) {
	nulls := set.Nulls()
	if len(nulls) == 0 {
		return set, src, nil
	}
	var errs ErrorList
	for _, l := range src.locateAll(nulls[:min(len(nulls), registry.MaxErrors)]) {
		errs = append(errs, &Error{File: l.File, Line: l.Line, Field: l.Local, Msg: "is null, or empty: a record needs its fields"})
	}
	return nil, nil, errs
}

// docError turns a yamldoc error into an ErrorList naming its line and field.
func docError(name string, err error) error {
	if ye, ok := err.(*yamldoc.Error); ok {
		return ErrorList{{File: name, Line: ye.Line, Field: ye.Path, Msg: ye.Msg}}
	}
	return ErrorList{{File: name, Msg: err.Error()}}
}

// add appends an error and reports whether there is room for more: past
// registry.MaxErrors a parser stops, saying so.
func (l *ErrorList) add(e *Error) bool {
	if len(*l) == registry.MaxErrors {
		*l = append(*l, &Error{File: e.File, Msg: fmt.Sprintf("stopped after %d problems", registry.MaxErrors)})
	}
	if len(*l) > registry.MaxErrors {
		return false
	}
	*l = append(*l, e)
	return true
}
