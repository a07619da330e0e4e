package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"oversight/registry"
)

// CSVColumns is the header of the project's deployment CSV, which export
// writes and import reads. Flat facts have a column each; lists of
// structured facts (vendors, dates, financing, sources) are JSON in their
// cell, so that a round trip loses nothing; so is a record's origin in a
// published dataset. Lists of words are joined with
// "; ". year and source_urls are derived, for spreadsheets, and ignored on
// import.
var CSVColumns = []string{
	"id", "title", "jurisdiction", "summary",
	"place_name", "place_subdivision", "place_level", "lat", "lon",
	"operator_name", "operator_kind", "operator_sources",
	"capabilities", "purposes", "system_description", "system_sources",
	"vendors", "scale_cameras", "scale_people_covered", "scale_note", "scale_sources",
	"dates", "status", "status_as_of", "status_note", "status_sources",
	"financing", "certainty", "notes", "sources", "origin",
	"year", "source_urls",
}

// TierColumnPrefix starts the names of the columns an export adds with each
// deployment's tier under a framework ("tier:eu-ai-act"). They are computed,
// so import skips them.
const TierColumnPrefix = "tier:"

// FactsColumn is the column an export adds after the tiers: the log
// revision of the fact document they were computed from, empty where the
// deployment has none and its record alone was read. Import ignores it.
const FactsColumn = "facts_as_of_revision"

// LaterColumn is the column an export adds between the tiers and
// FactsColumn: for each framework whose tier a rule not yet in force will
// change, what it becomes and from when. Import ignores it.
const LaterColumn = "later"

// CSVRecord renders a deployment as a CSV row under CSVColumns, each cell
// escaped with EscapeCell.
func CSVRecord(d *registry.Deployment) ([]string, error) {
	// Lists of structured facts go into their cells as JSON.
	cells := make([]string, 4)
	for i, v := range []any{d.Vendors, d.Dates, d.Financing, d.Sources} {
		if reflect.ValueOf(v).Len() == 0 {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		cells[i] = string(b)
	}
	vendors, dates, fin, srcs := cells[0], cells[1], cells[2], cells[3]
	origin := ""
	if d.Origin != nil {
		b, err := json.Marshal(d.Origin)
		if err != nil {
			return nil, err
		}
		origin = string(b)
	}
	urls := make([]string, len(d.Sources))
	for i, s := range d.Sources {
		urls[i] = s.URL
	}
	year := ""
	if y := d.Year(); y != 0 {
		year = strconv.Itoa(y)
	}
	row := []string{
		d.ID, d.Title, d.Jurisdiction, d.Summary,
		d.Place.Name, d.Place.Subdivision, d.Place.Level, floatCell(d.Place.Lat), floatCell(d.Place.Lon),
		d.Operator.Name, d.Operator.Kind, list(d.Operator.Sources),
		list(d.System.Capabilities), list(d.System.Purposes), d.System.Description, list(d.System.Sources),
		vendors, intCell(d.Scale.Cameras), intCell(d.Scale.PeopleCovered), d.Scale.Note, list(d.Scale.Sources),
		dates, d.Status.Value, d.Status.AsOf.String(), d.Status.Note, list(d.Status.Sources),
		fin, d.Certainty, d.Notes, srcs, origin,
		year, strings.Join(urls, " "),
	}
	for i, c := range row {
		row[i] = EscapeCell(c)
	}
	return row, nil
}

// Spreadsheets read a cell that starts with one of formulaStarts as a
// formula ("CSV injection"), so export escapes such a cell the OWASP way,
// with a single quote before it. To keep the escape reversible, a cell
// whose first character after its leading quotes is one of them gets one
// more quote: import removes exactly one quote from a cell of that shape.
// A plain JSON number ("-33.87") is left alone: no spreadsheet runs it.
const formulaStarts = "=+-@\t\r"

// numberRE is a JSON number.
var numberRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// EscapeCell returns a CSV cell that a spreadsheet will not run as a
// formula; UnescapeCell undoes it.
func EscapeCell(s string) string {
	rest := strings.TrimLeft(s, "'")
	if rest == "" || strings.IndexByte(formulaStarts, rest[0]) < 0 || rest == s && numberRE.MatchString(s) {
		return s
	}
	return "'" + s
}

// UnescapeCell returns the value EscapeCell was given.
func UnescapeCell(s string) string {
	rest := strings.TrimLeft(s, "'")
	if rest != s && rest != "" && strings.IndexByte(formulaStarts, rest[0]) >= 0 {
		return s[1:]
	}
	return s
}

func list(vs []string) string { return strings.Join(vs, "; ") }

func unlist(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

func floatCell(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func intCell(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

// parseCSV reads deployments in the CSVColumns layout. Columns may come in
// any order; an unknown column, or one given twice, is an error, so that a
// misspelt header does not silently drop a fact. Every cell must be UTF-8,
// and loses the quote EscapeCell put before it.
func parseCSV(name string, data []byte) (*registry.Set, *Source, error) {
	if err := longCell(name, data); err != nil {
		return nil, nil, ErrorList{err}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, nil, ErrorList{{File: name, Line: 1, Msg: "cannot read the CSV header: " + err.Error()}}
	}
	col, errs := csvHeader(name, header)
	if len(errs) > 0 {
		return nil, nil, errs
	}
	var set registry.Set
	var lines []int
	var cost budget
	for more := true; more; {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs.add(csvError(name, 0, err)) // after a quoting error the reader cannot resynchronise
			break
		}
		line, _ := r.FieldPos(0)
		if err := cost.row(rec, col); err != nil {
			errs.add(&Error{File: name, Line: line, Msg: err.Error()})
			break
		}
		d, ok := csvRow(name, line, rec, header, col, &errs)
		more = ok
		if d == nil {
			continue
		}
		set.Deployments = append(set.Deployments, d)
		lines = append(lines, line)
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return &set, rowSource(name, "deployments", lines), nil
}

// csvHeader reads the header of a deployment CSV file: the column of each
// name.
func csvHeader(name string, header []string) (map[string]int, ErrorList) {
	col := map[string]int{}
	var errs ErrorList
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch j, dup := col[h]; {
		case strings.HasPrefix(h, TierColumnPrefix), h == LaterColumn, h == FactsColumn:
			continue // computed by Oversight, not data
		case !slices.Contains(CSVColumns, h):
			errs.add(&Error{File: name, Line: 1, Field: registry.Clip(h), Msg: "unknown column", Allowed: CSVColumns})
		case dup:
			errs.add(&Error{File: name, Line: 1, Field: h, Msg: fmt.Sprintf("column given twice (columns %d and %d)", j+1, i+1)})
		default:
			col[h] = i
		}
	}
	for _, need := range []string{"id", "title", "jurisdiction", "status", "certainty", "sources"} {
		if _, ok := col[need]; !ok {
			errs.add(&Error{File: name, Line: 1, Field: need, Msg: "required column is missing"})
		}
	}
	return col, errs
}

// csvRow reads a deployment from a row at line, adding its problems to
// errs; it returns nil when the row is not one, and false when errs is
// full.
func csvRow(name string, line int, rec, header []string, col map[string]int, errs *ErrorList) (*registry.Deployment, bool) {
	if len(rec) != len(header) {
		return nil, errs.add(&Error{File: name, Line: line, Msg: fmt.Sprintf("row has %d fields, the header %d", len(rec), len(header))})
	}
	more := true
	for _, c := range CSVColumns {
		if i, ok := col[c]; ok && !utf8.ValidString(rec[i]) {
			more = more && errs.add(&Error{File: name, Line: line, Field: c, Msg: "invalid UTF-8: the file must be UTF-8"})
		}
	}
	d, fes := deploymentFromRow(func(c string) string {
		if i, ok := col[c]; ok {
			return UnescapeCell(rec[i])
		}
		return ""
	})
	for _, fe := range fes {
		more = more && errs.add(&Error{File: name, Line: line, Field: fe.Path, Msg: fe.Msg})
	}
	return d, more
}

// longCell reports the first cell of a CSV file longer than
// registry.MaxCellBytes, by its line and column, before encoding/csv reads
// it: the reader holds a record in buffers several times its size.
func longCell(name string, data []byte) *Error {
	line, cellLine, col, start := 1, 1, 0, 0
	quoted := false
	long := func(end int) *Error {
		if end-start <= registry.MaxCellBytes {
			return nil
		}
		field := fmt.Sprintf("column %d", col+1)
		first := data[:bytes.IndexByte(data, '\n')+1]
		if head, err := csv.NewReader(bytes.NewReader(first)).Read(); err == nil && cellLine > 1 && col < len(head) {
			field = registry.Clip(head[col])
		}
		return &Error{File: name, Line: cellLine, Field: field,
			Msg: fmt.Sprintf("a cell of %d bytes: a cell holds at most %d", end-start, registry.MaxCellBytes)}
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			line++
		}
		switch {
		case quoted && c == '"' && i+1 < len(data) && data[i+1] == '"':
			i++ // "" is a quote in a quoted cell
		case c == '"':
			quoted = !quoted
		case quoted || c != ',' && c != '\n':
		default: // the end of a cell
			if err := long(i); err != nil {
				return err
			}
			col, start, cellLine = col+1, i+1, line
			if c == '\n' {
				col = 0
			}
		}
	}
	return long(len(data))
}

// row adds the cost of decoding a row: a record, and its JSON cells.
func (b *budget) row(rec []string, col map[string]int) error {
	cost, err := rowCost(rec, col)
	if err != nil {
		return err
	}
	return b.add(cost)
}

// rowCost estimates what decoding a row allocates.
func rowCost(rec []string, col map[string]int) (int, error) {
	cost := recordBytes
	for _, c := range []string{"vendors", "dates", "financing", "sources", "origin"} {
		if i, ok := col[c]; ok && i < len(rec) {
			n, err := decodeCost([]byte(rec[i]), -1)
			if err != nil {
				return 0, fmt.Errorf("%s%w", c, err)
			}
			cost += n
		}
	}
	return cost, nil
}

// deploymentFromRow builds a deployment from one CSV row; get returns a
// cell by column name.
func deploymentFromRow(get func(string) string) (*registry.Deployment, []*registry.FieldError) {
	var errs []*registry.FieldError
	fail := func(field, format string, args ...any) {
		errs = append(errs, &registry.FieldError{Path: field, Msg: fmt.Sprintf(format, args...)})
	}
	d := &registry.Deployment{
		ID: get("id"), Title: get("title"), Jurisdiction: get("jurisdiction"), Summary: get("summary"),
		Place:     registry.Place{Name: get("place_name"), Subdivision: get("place_subdivision"), Level: get("place_level")},
		Operator:  registry.Operator{Name: get("operator_name"), Kind: get("operator_kind"), Sources: unlist(get("operator_sources"))},
		System:    registry.System{Capabilities: unlist(get("capabilities")), Purposes: unlist(get("purposes")), Description: get("system_description"), Sources: unlist(get("system_sources"))},
		Scale:     registry.Scale{Note: get("scale_note"), Sources: unlist(get("scale_sources"))},
		Status:    registry.Status{Value: get("status"), Note: get("status_note"), Sources: unlist(get("status_sources"))},
		Certainty: get("certainty"), Notes: get("notes"),
	}
	// Numbers are JSON's, as export writes them: strconv alone would take
	// NaN, Inf, hex and a leading +.
	floatOf := func(c string) *float64 {
		s := get(c)
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || !numberRE.MatchString(s) {
			fail(c, "%q is not a number", registry.Clip(s))
			return nil
		}
		return &f
	}
	intOf := func(c string) *int64 {
		s := get(c)
		if s == "" {
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || !numberRE.MatchString(s) {
			fail(c, "%q is not a whole number", registry.Clip(s))
			return nil
		}
		return &n
	}
	jsonOf := func(c string, v any) {
		s := get(c)
		if s == "" {
			return
		}
		if err := json.Unmarshal([]byte(s), v); err != nil {
			what := "a JSON list"
			if c == "origin" {
				what = "a JSON object"
			}
			fail(c, "not %s in this column's layout: %v", what, err)
		} else if err := checkJSON([]byte(s), v); err != nil {
			fail(c, "%v", err)
		}
	}
	d.Place.Lat, d.Place.Lon = floatOf("lat"), floatOf("lon")
	d.Scale.Cameras, d.Scale.PeopleCovered = intOf("scale_cameras"), intOf("scale_people_covered")
	if s := get("status_as_of"); s != "" {
		if err := d.Status.AsOf.UnmarshalText([]byte(s)); err != nil {
			fail("status_as_of", "%v", err)
		}
	}
	jsonOf("vendors", &d.Vendors)
	jsonOf("dates", &d.Dates)
	jsonOf("financing", &d.Financing)
	jsonOf("sources", &d.Sources)
	jsonOf("origin", &d.Origin)
	return d, errs
}
