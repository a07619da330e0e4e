package registry

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The register's size limits, all in this file: what one record may hold
// and what one import file may be. They are far above real data (the
// longest value of each field in the built-in register, data/, and in the
// AIGS 2022 sheet is in the comment beside it) and low enough that no
// input can make an import, the log or a page unboundedly large.
//
// The parsers have bounds of their own, listed in docs/hostile-input.md:
// internal/yamldoc (nesting, aliases, keys per mapping, empty values),
// rules (the size and depth of a fact document) and internal/params (query
// parameters).

// Import files, read whole before they are parsed.
const (
	// MaxImportBytes bounds a JSON, CSV or AIGS file, read whole before
	// anything else: the built-in register is 1 MB as JSON. A file of one
	// huge string passes it and MaxDecodeBytes, and is refused by
	// TextLimits once decoded.
	MaxImportBytes = 128 << 20
	// MaxDecodeBytes bounds what decoding one import file allocates, as
	// estimated before decoding (ingest's decodeCost): a record written
	// as {} in 3 bytes takes 1,000 once decoded. Real records take about 6
	// times their size in the file, so this admits about 45,000
	// deployments (47 MB) in one file; a larger register is imported as
	// several files, named together.
	MaxDecodeBytes = 256 << 20
	// MaxYAMLBytes bounds a YAML file, whose lexer holds about 200 bytes
	// per token, and a token can be one byte; the largest built-in file is
	// 137 KB. Bulk data goes as JSON.
	MaxYAMLBytes = 1 << 20
	// MaxCellBytes bounds a cell of a CSV file, checked before
	// encoding/csv reads it into buffers that grow by doubling: the longest
	// text field takes 80 KB of UTF-8, a JSON cell of 200 sources 100 KB.
	MaxCellBytes = 1 << 20
	// MaxDepth bounds the nesting of arrays and objects in an import
	// document; a register document nests 5 deep.
	MaxDepth = 32
	// MaxErrors is how many problems an import reports before it stops
	// looking: enough to fix a file in one pass, bounded whatever the file.
	MaxErrors = 1000
)

// MaxID bounds an id (a slug), and a reference to one; the longest
// built-in is 41 characters.
const MaxID = 100

// TextLimits bound string fields, in characters (Unicode code points), by
// the field's JSON name wherever it appears in a record; a list of
// strings bounds each item by the list's name. A field not named here is
// bounded by MaxText.
var TextLimits = map[string]int{
	"id":            MaxID,  // 41
	"vendor":        MaxID,  // a vendor's id: 30
	"lender":        MaxID,  // 16
	"instrument":    MaxID,  // a safeguard's instrument id: 41; a financing instrument: 26
	"key":           64,     // a source's key: 24
	"sources":       64,     // a fact's source keys: 24
	"fact_sources":  64,     // 24
	"sha256":        64,     // 64 hex digits
	"language":      35,     // a BCP 47 tag; the longest common ones are under 20
	"url":           4000,   // 187
	"title":         1000,   // 197 (a source's)
	"name":          1000,   // 111 (a safeguard's)
	"publisher":     1000,   // 91; AIGS: 97
	"parent":        1000,   // 72
	"aliases":       1000,   // 61
	"list":          1000,   // 58
	"dataset":       1000,   // 68
	"value":         1000,   // a claim's value, or each item of a list: 36; AIGS cells: 61
	"summary":       20_000, // 381
	"description":   20_000, // 375
	"notes":         20_000, // 545
	"note":          20_000, // 315; AIGS: 180
	"excerpt":       20_000, // 326
	"original":      20_000, // a quote in the page's own language
	"translated_by": 200,    // who rendered it in English
	// A record's origin in a published dataset (Origin).
	"file":         1000, // the table's repository and path: 73
	"licence_url":  4000, // 46
	"licence_from": 4000, // 58
	"attribution":  2000, // 141
	"row_url":      4000, // 41
	"row":          MaxID,
	// What a submission wraps around its record (package contrib).
	"message":   5000, // a contributor's explanation, or a reviewer's reply
	"contact":   300,  // an e-mail address or a handle, for the reviewers only
	"pseudonym": 40,   // how the log names a contributor
	// A reply (the right of reply).
	"text":       10_000, // the organisation's answer
	"org":        1000,   // a vendor's id or an operator's name
	"deployment": MaxID,  // the record answered
	// A declaration (self-registration): each scheme's field has a
	// lower limit of its own (registry/declarations).
	"answer": 20_000,
	"by":     1000, // an operator's name
	"scheme": MaxID,
	"field":  MaxID,
}

// MaxText bounds a string field TextLimits does not name: codes, dates,
// periods and vocabulary values, the longest 33 characters.
const MaxText = 200

// ListLimits bound lists, in items, by the field's JSON name; a list not
// named here is bounded by MaxList.
var ListLimits = map[string]int{
	"sources":     200,  // a record's sources: 21 (a jurisdiction's); a fact's keys: 8
	"vendors":     500,  // 5
	"evidence":    20,   // a submission's sources, beside its record's
	"value":       1000, // a claim's list value: 5
	"safeguards":  100,  // 8
	"memberships": 100,  // 3
	"answers":     500,  // a declaration's: one a field of every scheme
}

// MaxList bounds a list ListLimits does not name: dates, financing,
// capabilities, purposes, aliases, listings, the longest 8 items.
const MaxList = 100

// Clip shortens a value quoted in an error message, so that a message
// about a huge value is not huge.
func Clip(s string) string {
	const most = 80
	if len(s) <= most {
		return s
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// values checks every string, list and number of a record: strings are
// valid UTF-8 without control characters other than tab and line feed and
// within TextLimits, lists within ListLimits, numbers finite and not -0.
// Each of those would otherwise be logged as something other than what
// was read (encoding/json writes U+FFFD for invalid UTF-8 and fails on
// NaN), or read back differently by a database (SQLite stores -0 as 0), so
// that verify would fail on a register nobody tampered with.
//
// It reports false when a string or list is over its limit: the record is
// then reported for that alone, since checking each item of a list of a
// million would take as long, and say as much, as the list.
func (c *checker) values(record any) bool {
	w := walker{c: c}
	w.walk("", reflect.ValueOf(record))
	return !w.over
}

// A walker visits a record's values, keeping the path of the current one
// as segments and formatting it only for an error.
type walker struct {
	c    *checker
	path []string // "sources", "[2]", "url"
	over bool     // a value is over its limit
}

func (w *walker) at() string {
	var b strings.Builder
	for i, s := range w.path {
		if i > 0 && s[0] != '[' {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func (w *walker) walk(name string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			w.walk(name, v.Elem())
		}
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			w.path = append(w.path, f.name)
			w.walk(f.name, v.Field(f.index))
			w.path = w.path[:len(w.path)-1]
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // json.RawMessage: not a record's value
		}
		if most := limit(ListLimits, name, MaxList); v.Len() > most {
			w.c.add(w.at(), "at most %d items (this list has %d)", most, v.Len())
			w.over = true
			return
		}
		for i := range v.Len() {
			w.path = append(w.path, "["+strconv.Itoa(i)+"]")
			w.walk(name, v.Index(i))
			w.path = w.path[:len(w.path)-1]
		}
	case reflect.String:
		w.text(name, v.String())
	case reflect.Float64:
		switch f := v.Float(); {
		case math.IsNaN(f) || math.IsInf(f, 0):
			w.c.add(w.at(), "is not a finite number")
		case f == 0 && math.Signbit(f):
			w.c.add(w.at(), "is -0: write 0")
		}
	}
}

// text checks one string.
func (w *walker) text(name, s string) {
	most := limit(TextLimits, name, MaxText)
	if len(s) > most { // bytes first: most strings are far shorter
		if n := utf8.RuneCountInString(s); n > most {
			w.c.add(w.at(), "at most %d characters (this one has %d)", most, n)
			w.over = true
			return
		}
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			w.c.add(w.at(), "invalid UTF-8 at byte %d: text must be UTF-8", i)
			return
		case r < 0x20 && r != '\t' && r != '\n' || r == 0x7f:
			w.c.errs = append(w.c.errs, &FieldError{Path: w.at(),
				Msg:     fmt.Sprintf("holds the control character %U at byte %d", r, i),
				Allowed: []string{"tab", "line feed"}})
			return
		}
	}
}

func limit(table map[string]int, name string, def int) int {
	if n, ok := table[name]; ok {
		return n
	}
	return def
}

// A field is an exported struct field that JSON encodes, by its JSON name.
type field struct {
	index int
	name  string
}

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf lists a struct type's JSON fields, once per type. Date's are
// none: its text is checked by Validate, its numbers are bounded there.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	if t != reflect.TypeFor[Date]() {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fs = append(fs, field{i, name})
		}
	}
	fieldCache.Store(t, fs)
	return fs
}

// An import read as a stream (store.DB.ApplyStream) is bounded record by
// record rather than as a whole file.
const (
	// MaxRecordBytes bounds one record of a streamed JSON file, read whole
	// before it is checked: the largest built-in record (a deployment)
	// has 12 KB as JSON, a synthetic one about 1 KB. A record costs
	// about six times its size once decoded.
	MaxRecordBytes = 4 << 20
	// MaxRecordDecodeBytes bounds what decoding one streamed record
	// allocates, as ingest estimates it before decoding: a record of
	// empty objects in a list takes far more than its size.
	MaxRecordDecodeBytes = 32 << 20
	// MaxForwardRefs bounds the ids a stream refers to before it defines
	// them (a deployment naming a vendor listed later in the file): each
	// is remembered until the end of the import. A file in the order an
	// export writes has none.
	MaxForwardRefs = 100_000
)
