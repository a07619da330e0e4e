package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"oversight/registry"
)

// CSVColumns is the header of the project's deployment CSV, which export
// writes and import reads. Flat facts have a column each; lists of
// structured facts (vendors, dates, financing, sources) are JSON in their
// cell, so that a round trip loses nothing. Lists of words are joined with
// "; ". year and source_urls are derived, for spreadsheets, and ignored on
// import.
var CSVColumns = []string{
	"id", "title", "jurisdiction", "summary",
	"place_name", "place_subdivision", "place_level", "lat", "lon",
	"operator_name", "operator_kind", "operator_sources",
	"capabilities", "purposes", "system_description", "system_sources",
	"vendors", "scale_cameras", "scale_people_covered", "scale_note", "scale_sources",
	"dates", "status", "status_as_of", "status_note", "status_sources",
	"financing", "certainty", "notes", "sources",
	"year", "source_urls",
}

// TierColumnPrefix starts the names of the columns an export adds with each
// deployment's tier under a framework ("tier:eu-ai-act"). They are computed,
// so import skips them.
const TierColumnPrefix = "tier:"

// CSVRecord renders a deployment as a CSV row under CSVColumns.
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
	urls := make([]string, len(d.Sources))
	for i, s := range d.Sources {
		urls[i] = s.URL
	}
	year := ""
	if y := d.Year(); y != 0 {
		year = strconv.Itoa(y)
	}
	return []string{
		d.ID, d.Title, d.Jurisdiction, d.Summary,
		d.Place.Name, d.Place.Subdivision, d.Place.Level, floatCell(d.Place.Lat), floatCell(d.Place.Lon),
		d.Operator.Name, d.Operator.Kind, list(d.Operator.Sources),
		list(d.System.Capabilities), list(d.System.Purposes), d.System.Description, list(d.System.Sources),
		vendors, intCell(d.Scale.Cameras), intCell(d.Scale.PeopleCovered), d.Scale.Note, list(d.Scale.Sources),
		dates, d.Status.Value, d.Status.AsOf.String(), d.Status.Note, list(d.Status.Sources),
		fin, d.Certainty, d.Notes, srcs,
		year, strings.Join(urls, " "),
	}, nil
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
// any order; unknown columns are an error, so that a misspelt header does
// not silently drop a fact.
func parseCSV(name string, data []byte) (*registry.Set, *Source, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, nil, ErrorList{{File: name, Line: 1, Msg: "cannot read the CSV header: " + err.Error()}}
	}
	col := map[string]int{}
	var errs ErrorList
	for i, h := range header {
		h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
		if strings.HasPrefix(h, TierColumnPrefix) {
			continue // computed by Oversight, not data
		}
		if !slices.Contains(CSVColumns, h) {
			errs = append(errs, &Error{File: name, Line: 1, Field: h, Msg: "unknown column", Allowed: CSVColumns})
		}
		col[h] = i
	}
	for _, need := range []string{"id", "title", "jurisdiction", "status", "certainty", "sources"} {
		if _, ok := col[need]; !ok {
			errs = append(errs, &Error{File: name, Line: 1, Field: need, Msg: "required column is missing"})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	var set registry.Set
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, ErrorList{{File: name, Msg: err.Error()}} // csv.ParseError names the line
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			errs = append(errs, &Error{File: name, Line: line, Msg: fmt.Sprintf("row has %d fields, the header %d", len(rec), len(header))})
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return rec[i]
			}
			return ""
		}
		d, fes := deploymentFromRow(get)
		for _, fe := range fes {
			errs = append(errs, &Error{File: name, Line: line, Field: fe.Path, Msg: fe.Msg})
		}
		set.Deployments = append(set.Deployments, d)
		lines = append(lines, line)
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	src := &Source{locate: func(path string) (string, int, string) {
		var i int
		if _, err := fmt.Sscanf(path, "deployments[%d]", &i); err == nil && i < len(lines) {
			return name, lines[i], path
		}
		return name, 0, path
	}}
	return &set, src, nil
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
	floatOf := func(c string) *float64 {
		s := get(c)
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			fail(c, "%q is not a number", s)
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
		if err != nil {
			fail(c, "%q is not a whole number", s)
			return nil
		}
		return &n
	}
	jsonOf := func(c string, v any) {
		if s := get(c); s != "" {
			dec := json.NewDecoder(strings.NewReader(s))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v); err != nil {
				fail(c, "not a JSON list in this column's layout: %v", err)
			}
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
	return d, errs
}
