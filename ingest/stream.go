package ingest

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"

	"oversight/internal/yamldoc"
	"oversight/registry"
	"oversight/rules"
)

// A Reader reads the records of import files one at a time, file after
// file, for a writer that applies them as they come (store.DB.ApplyStream).
// JSON and CSV files are read as streams, so that memory stays bounded
// whatever their size. A YAML file, or a published dataset's table (AIGS,
// AidData), is read whole, within its format's limit, and its records
// then given one at a time: those parsers read whole documents.
//
// A problem in a record (its syntax, a field it should not have, a value
// it cannot hold) ends the records Next gives: Next reads the rest of the
// file for more problems and returns them all as an ErrorList. Problems
// the writer finds (RecordErrors) are located in the files by Errors.
type Reader struct {
	names  []string
	format Format // "" for each file's own, from its name
	file   *os.File
	cur    records // the open file's; nil between files
	at     int     // the file next opened
	counts map[string]int
	// starts and srcs hold, for each file opened, how many records of
	// each kind came before it, and where its records are.
	starts []map[string]int
	srcs   []*Source
	err    error // the error that ended the reader
}

// records is a reader of one file's records. After an error that ends the
// file, next returns io.EOF.
type records interface {
	next() (registry.Entity, error)
}

// NewReader returns a Reader of the files named, each in format f, or in
// the format its name says when f is "".
func NewReader(names []string, f Format) *Reader {
	return &Reader{names: names, format: f, counts: map[string]int{}}
}

// Next returns the next record, or io.EOF after the last.
func (r *Reader) Next() (registry.Entity, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		if r.cur == nil {
			if r.at == len(r.names) {
				r.err = io.EOF
				return nil, io.EOF
			}
			if err := r.open(); err != nil {
				r.err = err
				return nil, err
			}
		}
		e, err := r.cur.next()
		switch {
		case err == nil:
			r.counts[e.Kind()]++
			return e, nil
		case errors.Is(err, io.EOF):
			r.Close()
			continue
		}
		r.err = r.rest(err)
		return nil, r.err
	}
}

// rest reads the rest of the open file after a problem, gathering every
// problem it finds (up to registry.MaxErrors) with the first.
func (r *Reader) rest(first error) error {
	var all ErrorList
	add := func(err error) bool {
		var l ErrorList
		if !errors.As(err, &l) {
			l = ErrorList{{File: r.names[r.at-1], Msg: err.Error()}}
		}
		for _, e := range l {
			if !all.add(e) {
				return false
			}
		}
		return true
	}
	for more := add(first); more; {
		_, err := r.cur.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			more = add(err)
		}
	}
	r.Close()
	return all
}

// open opens the next file.
func (r *Reader) open() error {
	name := r.names[r.at]
	f := r.format
	if f == "" {
		var err error
		if f, err = FormatOf(name); err != nil {
			return err
		}
	}
	r.at++
	r.starts = append(r.starts, maps.Clone(r.counts))
	// A fact document is small and read whole, as Parse reads it.
	if f == CSV || f == JSON && !factFile(name) {
		fh, err := os.Open(name)
		if err != nil {
			return err
		}
		r.file = fh
		if f == JSON {
			r.srcs = append(r.srcs, jsonFileSource(name))
			r.cur, err = newJSONRecords(name, fh)
		} else {
			r.srcs = append(r.srcs, csvFileSource(name))
			r.cur, err = newCSVRecords(name, fh)
		}
		if err != nil {
			r.Close()
		}
		return err
	}
	b, err := ReadFile(name, f)
	if err != nil {
		return err
	}
	set, src, err := Parse(name, b, f)
	if err != nil {
		return err
	}
	r.srcs = append(r.srcs, src)
	r.cur = &setRecords{ents: set.Entities()}
	return nil
}

// factFile reports whether the JSON file name holds one fact document,
// which is read whole instead of as a stream of records: it is small.
func factFile(name string) bool {
	st, err := os.Stat(name)
	if err != nil || !st.Mode().IsRegular() || st.Size() > rules.MaxFactBytes {
		return false
	}
	b, err := os.ReadFile(name)
	return err == nil && isFactDocument(b)
}

// Close closes the file being read, if any.
func (r *Reader) Close() error {
	r.cur = nil
	if r.file == nil {
		return nil
	}
	err := r.file.Close()
	r.file = nil
	return err
}

// Errors returns the problems a writer found in the records Next gave, as
// Check does: an ErrorList naming the file, line and field of each. Index
// of each is the record's position among the records of its kind that
// Next gave. The lines of a streamed file are found by reading it again.
func (r *Reader) Errors(errs []*registry.RecordError) ErrorList {
	type at struct {
		pos  int // in errs
		path string
	}
	byFile := make([][]at, len(r.starts))
	out := make(ErrorList, len(errs))
	for i, re := range errs {
		out[i] = &Error{Msg: fmt.Sprintf("%s %q: %s", re.Kind, registry.Clip(re.ID), re.Err.Msg), Allowed: re.Err.Allowed}
		file := 0
		for j := range r.starts {
			if r.starts[j][re.Kind] <= re.Index {
				file = j
			}
		}
		if len(r.starts) == 0 {
			continue
		}
		path := fmt.Sprintf("%s[%d]", registry.Field(re.Kind), re.Index-r.starts[file][re.Kind])
		path = join(path, re.Err.Path)
		byFile[file] = append(byFile[file], at{i, path})
	}
	for j, list := range byFile {
		if len(list) == 0 {
			continue
		}
		paths := make([]string, len(list))
		for k, a := range list {
			paths[k] = a.path
		}
		for k, l := range r.srcs[j].locateAll(paths) {
			e := out[list[k].pos]
			e.File, e.Line, e.Field = l.File, l.Line, l.Local
			if e.File == "" {
				e.File = r.names[j]
			}
		}
	}
	return out
}

// setRecords gives the records of a file read whole.
type setRecords struct{ ents []registry.Entity }

func (s *setRecords) next() (registry.Entity, error) {
	if len(s.ents) == 0 {
		return nil, io.EOF
	}
	e := s.ents[0]
	s.ents = s.ents[1:]
	return e, nil
}

// jsonFileSource locates paths in a JSON file read as a stream, by
// reading it again as far as the last record asked for: only when there
// are errors to report.
func jsonFileSource(name string) *Source {
	return &Source{locate: func(paths []string) []Location {
		out := make([]Location, len(paths))
		want := map[string][]int{} // a record's path → positions in paths
		for i, p := range paths {
			out[i] = Location{File: name, Local: p}
			rec, _, _ := strings.Cut(p, "]")
			want[rec+"]"] = append(want[rec+"]"], i)
		}
		fh, err := os.Open(name)
		if err != nil {
			return out
		}
		defer fh.Close()
		r, err := newJSONRecords(name, fh)
		if err != nil {
			return out
		}
		for len(want) > 0 {
			path, raw, err := r.nextRaw()
			if err != nil {
				break
			}
			at, ok := want[path]
			if !ok {
				continue
			}
			delete(want, path)
			base := r.line(raw)
			inner := map[string]bool{"": true}
			for _, i := range at {
				for q := strings.TrimPrefix(strings.TrimPrefix(paths[i], path), "."); q != ""; q = yamldoc.Parent(q) {
					inner[q] = true
				}
			}
			lines := yamldoc.Paths(raw, func(p string) bool { return inner[p] })
			for _, i := range at {
				for q := strings.TrimPrefix(strings.TrimPrefix(paths[i], path), "."); ; q = yamldoc.Parent(q) {
					if l, ok := lines[q]; ok {
						out[i].Line = base + l - 1
						break
					}
					if q == "" {
						break
					}
				}
			}
		}
		return out
	}}
}

// csvFileSource locates paths in a CSV file read as a stream, by reading
// it again as far as the last row asked for.
func csvFileSource(name string) *Source {
	return &Source{locate: func(paths []string) []Location {
		out := make([]Location, len(paths))
		want := map[int][]int{} // a row → positions in paths
		for i, p := range paths {
			out[i] = Location{File: name, Local: p}
			if n, _, ok := index(p); ok {
				want[n] = append(want[n], i)
			}
		}
		fh, err := os.Open(name)
		if err != nil {
			return out
		}
		defer fh.Close()
		c, err := newCSVRecords(name, fh)
		if err != nil {
			return out
		}
		for n := 0; len(want) > 0; n++ {
			rec, line, err := c.row()
			if err != nil || rec == nil {
				break
			}
			for _, i := range want[n] {
				out[i].Line = line
			}
			delete(want, n)
		}
		return out
	}}
}
