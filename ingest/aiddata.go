package ingest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"oversight/registry"
)

// This file reads project rows of AidData's Global Chinese Development
// Finance Dataset, Version 3.0, in the layout of the table AidData publishes
// with its geospatial data (aiddata/gcdf-geospatial-data,
// input_data/gcdf_v3/final_input.csv), into deployments marked by their
// origin. The rows must be chosen first: the table holds every project of
// the dataset (roads and hospitals as well as safe cities), and each row
// given becomes one deployment. shared/data/aiddata-gcdf3-apac/rows.csv is
// such a choice.
//
// A row says only what AidData states: its title, recipient, AidData's
// status, sector and dates, and the amount in constant 2021 USD. The table
// has no lender, flow type, operator, vendor or capability column (the
// lender and the nominal amount are in the title's words), so the
// deployment leaves them unknown rather than read them out of the title.

// aiddataDataset is the slug of the origin of every deployment parseAidData
// makes.
const aiddataDataset = "aiddata-gcdf-3"

// The columns parseAidData reads. The header must hold every one of
// aiddataColumns (in any order); other columns, such as those an extract
// adds, are ignored. The three dates may be headed with or without the
// "(MM/DD/YYYY)" the table gives them.
const (
	adPrecision  = "Level.of.precision"
	adOSMType    = "Type.of.the.OSM.feature"
	adOSMLink    = "OSM.link"
	adID         = "AidData.Record.ID"
	adAmount     = "Amount.(Constant.USD.2021)"
	adTitle      = "Title"
	adStatus     = "Status"
	adSector     = "Sector.Name"
	adRecipient  = "Recipient"
	adISO3       = "Recipient.ISO-3"
	adInfra      = "Infrastructure"
	adCommitYear = "Commitment.Year"
	adStartYear  = "Implementation.Start.Year"
	adEndYear    = "Completion.Year"
	adCommitDate = "Commitment.Date"
	adStartDate  = "Actual.Implementation.Start.Date"
	adEndDate    = "Actual.Completion.Date"
	adDateSuffix = ".(MM/DD/YYYY)"
)

// maxAidDataRows bounds the rows of one file: the whole table holds about
// 20,000 projects, and a choice of them far fewer. A variable, so that
// the test of the bound need not build a file that large.
var maxAidDataRows = 50_000

// aiddataColumns is the header of final_input.csv, in its order.
var aiddataColumns = []string{
	adPrecision, adOSMType, adOSMLink, adID, adAmount, adTitle, adStatus, adSector,
	adRecipient, adISO3, adInfra, adCommitYear, adStartYear, adEndYear,
	adCommitDate, adStartDate, adEndDate,
}

// aiddataStatuses are the project statuses of GCDF 3.0.
var aiddataStatuses = []string{
	"Pipeline: Pledge", "Pipeline: Commitment", "Implementation", "Completion", "Suspended", "Cancelled",
}

// aiddataRecipients maps the ISO 3166-1 alpha-3 codes of the Asia-Pacific
// recipients GCDF 3.0 can name to the register's alpha-2 codes. A row of
// another recipient is refused: the register covers the Asia-Pacific only.
var aiddataRecipients = map[string]string{
	"AFG": "AF", "AUS": "AU", "BGD": "BD", "BRN": "BN", "BTN": "BT", "CHN": "CN", "COK": "CK",
	"FJI": "FJ", "FSM": "FM", "HKG": "HK", "IDN": "ID", "IND": "IN", "JPN": "JP", "KAZ": "KZ",
	"KGZ": "KG", "KHM": "KH", "KIR": "KI", "KOR": "KR", "LAO": "LA", "LKA": "LK", "MAC": "MO",
	"MDV": "MV", "MHL": "MH", "MMR": "MM", "MNG": "MN", "MYS": "MY", "NIU": "NU", "NPL": "NP",
	"NRU": "NR", "NZL": "NZ", "PAK": "PK", "PHL": "PH", "PLW": "PW", "PNG": "PG", "PRK": "KP",
	"SGP": "SG", "SLB": "SB", "THA": "TH", "TJK": "TJ", "TKM": "TM", "TLS": "TL", "TON": "TO",
	"TUV": "TV", "TWN": "TW", "UZB": "UZ", "VNM": "VN", "VUT": "VU", "WSM": "WS",
}

// The dataset's pages: its release, the licence, and each project's page.
const (
	aiddataPage       = "https://www.aiddata.org/data/aiddatas-global-chinese-development-finance-dataset-version-3-0"
	aiddataLicenceURL = "https://opendatacommons.org/licenses/by/1-0/"
	// The licence is granted in the README and LICENSE.md of AidData's own
	// repository, from which final_input.csv comes.
	aiddataLicenceFrom = "https://github.com/aiddata/gcdf-geospatial-data/blob/03b0f9d81e81a035035ef229b6c369ff4f25b116/LICENSE.md"
	aiddataProject     = "https://china.aiddata.org/projects/"
)

// aiddataOrigin is the origin of every row; Row and RowURL are the row's.
var aiddataOrigin = registry.Origin{
	Dataset:     aiddataDataset,
	Title:       "AidData's Global Chinese Development Finance Dataset, Version 3.0",
	Version:     "3.0",
	Published:   registry.Date{Year: 2023, Month: 11, Day: 6},
	Publisher:   "AidData at William & Mary",
	File:        "github.com/aiddata/gcdf-geospatial-data, input_data/gcdf_v3/final_input.csv",
	Licence:     "ODC-By-1.0",
	LicenceURL:  aiddataLicenceURL,
	LicenceFrom: aiddataLicenceFrom,
	// AidData's citation "for other (non-academic) purposes", on the
	// dataset's page.
	Attribution: "AidData. 2023. Global Chinese Development Finance Dataset, Version 3.0. Retrieved from " + aiddataPage,
}

// aiddataPublisher is the publisher of each row's source.
const aiddataPublisher = "AidData, Global Chinese Development Finance Dataset v3.0 (ODC-By 1.0)"

var (
	aiddataIDRE   = regexp.MustCompile(`^[1-9][0-9]{0,8}$`)
	aiddataYearRE = regexp.MustCompile(`^(19|20)[0-9]{2}(\.0)?$`)
	aiddataISORE  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	aiddataUSRE   = regexp.MustCompile(`^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$`)
)

// parseAidData reads rows of the GCDF 3.0 table as CSV and returns one
// deployment per AidData record. A record met again on a later row (the
// table may repeat a project for its locations) must agree with the first
// on every column but the geocoding ones, and is read once. Every problem
// is reported as an ErrorList of *Error naming the file, the CSV line and
// the column: a missing column (at line 1), a recipient outside the
// Asia-Pacific, a status, number or date that is not the table's. The
// returned Source locates "deployments[i]..." at the line of its row.
func parseAidData(name string, data []byte) (*registry.Set, *Source, error) {
	if err := longCell(name, data); err != nil {
		return nil, nil, ErrorList{err}
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, nil, ErrorList{aiddataCSVError(name, 1, err)}
	}
	cols, errs := aiddataHeader(name, header)
	if len(errs) > 0 {
		return nil, nil, errs
	}
	var set registry.Set
	var lines []int
	var cost budget
	first := map[string]*aiddataRow{} // record id → its first row
	rows := 0
	for more := true; more; {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs.add(aiddataCSVError(name, 0, err)) // after a quoting error the reader cannot resynchronise
			break
		}
		line, _ := r.FieldPos(0)
		if rows++; rows > maxAidDataRows {
			errs.add(&Error{File: name, Line: line, Msg: fmt.Sprintf("more than %d rows: a file holds at most %d; choose the rows to import, or split the file", maxAidDataRows, maxAidDataRows)})
			break
		}
		if err := cost.add(recordBytes + len(rec)*64); err != nil {
			errs.add(&Error{File: name, Line: line, Msg: err.Error()})
			break
		}
		if len(rec) != len(header) {
			more = errs.add(&Error{File: name, Line: line, Msg: fmt.Sprintf("row has %d fields, the header %d", len(rec), len(header))})
			continue
		}
		row := cols.row(name, line, rec)
		if prev, ok := first[row.cells[adID]]; ok && row.cells[adID] != "" {
			for _, e := range row.sameAs(prev) {
				more = more && errs.add(e)
			}
			continue
		}
		d := row.deployment()
		for _, e := range row.errs {
			more = more && errs.add(e)
		}
		if d != nil {
			first[row.cells[adID]] = row
			set.Deployments = append(set.Deployments, d)
			lines = append(lines, line)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return &set, rowSource(name, "deployments", lines), nil
}

// aiddataCSVError is csvError with the AidData header named for an empty file.
func aiddataCSVError(file string, line int, err error) *Error {
	if err == io.EOF {
		return &Error{File: file, Line: line, Msg: "empty file: expected the header of AidData's GCDF 3.0 table", Allowed: aiddataColumns}
	}
	return csvError(file, line, err)
}

// aiddataCols maps each column of aiddataColumns to its position.
type aiddataCols map[string]int

// aiddataHeader finds every column of aiddataColumns in the header, in any
// order, and reports each missing one at line 1, and any given twice.
func aiddataHeader(file string, header []string) (aiddataCols, ErrorList) {
	cols := aiddataCols{}
	var errs ErrorList
	for i, h := range header {
		h = strings.TrimSuffix(strings.TrimSpace(h), adDateSuffix)
		if !slices.Contains(aiddataColumns, h) {
			continue // an extract's own columns, such as match or borderline
		}
		if j, dup := cols[h]; dup {
			errs.add(&Error{File: file, Line: 1, Field: h, Msg: fmt.Sprintf("column given twice (columns %d and %d)", j+1, i+1)})
			continue
		}
		cols[h] = i
	}
	for _, c := range aiddataColumns {
		if _, ok := cols[c]; !ok {
			errs.add(&Error{File: file, Line: 1, Field: c, Msg: "missing column " + strconv.Quote(c) + " in the header of AidData's GCDF 3.0 table", Allowed: aiddataColumns})
		}
	}
	return cols, errs
}

// An aiddataRow is one row of the table, its cells trimmed, by column.
type aiddataRow struct {
	file  string
	line  int
	cells map[string]string
	errs  ErrorList
}

func (cols aiddataCols) row(file string, line int, rec []string) *aiddataRow {
	r := &aiddataRow{file: file, line: line, cells: map[string]string{}}
	for _, c := range aiddataColumns { // in the table's order, so errors are too
		v := rec[cols[c]]
		if !utf8.ValidString(v) {
			r.fail(c, nil, "invalid UTF-8: the file must be UTF-8")
			continue
		}
		r.cells[c] = strings.TrimSpace(v)
	}
	return r
}

// fail records an error in a column; string arguments are clipped.
func (r *aiddataRow) fail(col string, allowed []string, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = registry.Clip(s)
		}
	}
	r.errs = append(r.errs, &Error{File: r.file, Line: r.line, Field: col, Msg: fmt.Sprintf(format, args...), Allowed: allowed})
}

// aiddataGeocoding are the columns that may differ between the rows of one
// record: each row of the table can place the project elsewhere.
var aiddataGeocoding = []string{adPrecision, adOSMType, adOSMLink}

// sameAs reports each column in which a repeated record differs from its
// first row.
func (r *aiddataRow) sameAs(first *aiddataRow) ErrorList {
	var out ErrorList
	for _, c := range aiddataColumns {
		if slices.Contains(aiddataGeocoding, c) || r.cells[c] == first.cells[c] {
			continue
		}
		out = append(out, &Error{File: r.file, Line: r.line, Field: c,
			Msg: fmt.Sprintf("record %s again, with %q where line %d has %q", r.cells[adID], registry.Clip(r.cells[c]), first.line, registry.Clip(first.cells[c]))})
	}
	return append(out, r.errs...)
}

// deployment returns the row as a deployment, or nil when a cell it needs
// is wrong (the errors say which).
func (r *aiddataRow) deployment() *registry.Deployment {
	id := r.cells[adID]
	if !aiddataIDRE.MatchString(id) {
		r.fail(adID, nil, "%q is not an AidData record id (a whole number)", id)
	}
	iso3 := r.cells[adISO3]
	cc, ok := aiddataRecipients[iso3]
	if !ok {
		r.fail(adISO3, nil, "%q (recipient %q) is not an Asia-Pacific recipient the register covers: choose the Asia-Pacific rows first", iso3, r.cells[adRecipient])
	}
	title := r.cells[adTitle]
	if title == "" {
		r.fail(adTitle, nil, "is empty: a project needs its title")
	}
	status := r.cells[adStatus]
	if !slices.Contains(aiddataStatuses, status) {
		r.fail(adStatus, aiddataStatuses, "%q is not a GCDF 3.0 project status", status)
	}
	usd := r.amount()
	year := r.year(adCommitYear)
	r.year(adStartYear)
	r.year(adEndYear)
	committed, started, completed := r.date(adCommitDate), r.date(adStartDate), r.date(adEndDate)
	if len(r.errs) > 0 {
		return nil
	}

	key := "aiddata-" + id
	src := []string{key}
	d := &registry.Deployment{
		ID:           strings.ToLower(cc) + "-aiddata-" + id,
		Title:        title,
		Jurisdiction: cc,
		Status: registry.Status{Value: "unknown", Sources: src,
			Note: fmt.Sprintf("AidData project status: %s (of the financing, not of the system)", status)},
		Financing: []registry.Financing{{
			Instrument:    "unknown",
			Year:          year,
			AmountUSD2021: usd,
			AidDataID:     atoi(id),
			Note:          "lender, flow type and nominal amount are not columns of AidData's table; the title states them in its own words",
			Sources:       src,
		}},
		Certainty: "reported",
		Notes:     r.notes(started, completed),
		Sources: []registry.Source{{
			Key: key, URL: aiddataProject + id, Title: title, Publisher: aiddataPublisher,
		}},
	}
	if !committed.IsZero() {
		d.Dates = []registry.DatedEvent{{Event: "financed", Date: committed, Note: "AidData commitment date", Sources: src}}
	}
	o := aiddataOrigin
	o.Row, o.RowURL = id, aiddataProject+id
	d.Origin = &o
	return d
}

// notes states what else the row says: sector, infrastructure flag,
// implementation dates and how AidData geocoded it.
func (r *aiddataRow) notes(started, completed registry.Date) string {
	var parts []string
	add := func(format, v string) {
		if v != "" {
			parts = append(parts, fmt.Sprintf(format, v))
		}
	}
	add("AidData sector: %s", r.cells[adSector])
	add("infrastructure: %s", r.cells[adInfra])
	if !started.IsZero() {
		add("implementation started %s", started.String())
	} else {
		add("implementation started in %s", strings.TrimSuffix(r.cells[adStartYear], ".0"))
	}
	if !completed.IsZero() {
		add("completed %s", completed.String())
	} else {
		add("completed in %s", strings.TrimSuffix(r.cells[adEndYear], ".0"))
	}
	add("geocoding precision %s", r.cells[adPrecision])
	add("OpenStreetMap feature: %s", r.cells[adOSMLink])
	s := "Imported from AidData GCDF 3.0; the table states no operator, vendor, lender or capability."
	if len(parts) > 0 {
		s += " " + strings.Join(parts, "; ") + " (as AidData gives them)."
	}
	return s
}

// amount reads the constant 2021 USD amount; blank is unknown.
func (r *aiddataRow) amount() *float64 {
	s := r.cells[adAmount]
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !numberRE.MatchString(s) || f < 0 || f > 1e13 {
		r.fail(adAmount, nil, "%q is not an amount in USD (a number from 0 to 10^13)", s)
		return nil
	}
	if f == 0 {
		f = 0 // never -0
	}
	return &f
}

// year reads a year column, written 2015 or 2015.0; blank is 0 (unknown).
func (r *aiddataRow) year(col string) int {
	s := r.cells[col]
	if s == "" {
		return 0
	}
	if !aiddataYearRE.MatchString(s) {
		r.fail(col, nil, "%q is not a year from 1900 to 2099", s)
		return 0
	}
	return atoi(strings.TrimSuffix(s, ".0"))
}

// date reads a date column, written YYYY-MM-DD as the table does, or
// MM/DD/YYYY as its header says; blank is zero (unknown).
func (r *aiddataRow) date(col string) registry.Date {
	s := r.cells[col]
	switch {
	case s == "":
		return registry.Date{}
	case aiddataUSRE.MatchString(s):
		p := strings.Split(s, "/")
		s = fmt.Sprintf("%s-%02d-%02d", p[2], atoi(p[0]), atoi(p[1]))
	case !aiddataISORE.MatchString(s):
		r.fail(col, nil, "%q is not a date (YYYY-MM-DD or MM/DD/YYYY)", s)
		return registry.Date{}
	}
	d, err := registry.ParseDate(s)
	if err != nil {
		r.fail(col, nil, "%q: %v", r.cells[col], err)
		return registry.Date{}
	}
	return d
}

// atoi converts digits already matched by a pattern (0 otherwise).
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
