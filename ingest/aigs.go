package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"oversight/registry"
)

// This file reads sheet 1 ("AIGS 2022") of the Carnegie AI & Big Data
// Global Surveillance Index, 2022 update, converted to CSV as in
// shared/data/aigs-2022/aigs_2022_sheet1.csv, into country-level claims.

// aigsDataset is the dataset slug of the claims parseAIGS emits.
const aigsDataset = "aigs-2022"

// aigsPeriod is the span the index covers ("between 2012 and 2022").
const aigsPeriod = "2012-2022"

// The columns parseAIGS reads. The header must also hold the others of
// aigsColumns, so that a different layout of the workbook is caught.
const (
	colCountry        = "Country"
	colRegion         = "Region"
	colRegime         = "V-Dem Regime Type 2021"
	colBeltAndRoad    = "Member of Belt & Road Initiative"
	colSafeCity       = "Safe City System"
	colFacial         = "Facial Recognition System"
	colSmartPolicing  = "Smart Policing"
	colSocialMedia    = "Social Media Surveillance"
	colChinaTech      = "China Tech"
	colUSTech         = "US Tech"
	colOtherCountries = "Other Countries"
)

// aigsColumns is the header of sheet 1, in the order of the file.
var aigsColumns = []string{
	colCountry, colRegion,
	"V-Dem Electoral Democracy Index 2021", colRegime,
	"Feldstein Digital Repression Index 2021",
	"Freedom on the Net 2021 Status", "Freedom on the Net 2021 Score",
	"Military Expenditures (USD) 2018", "Military Expenditures Ranking (2018)",
	colBeltAndRoad, "China ODI Rank (EIU)",
	colSafeCity, colFacial, colSmartPolicing, colSocialMedia,
	colChinaTech, colUSTech, colOtherCountries,
	"Company 1", "Company 2", "Company 3", "Company 4", "Company 5",
}

// aigsCompanyColumns hold free-text vendor names.
var aigsCompanyColumns = aigsColumns[len(aigsColumns)-5:]

// aigsRegions are the regions the index uses; EAP and SCA are Asia-Pacific.
var (
	aigsRegions     = []string{"AF", "EAP", "EUR", "MENA", "SCA", "WHA"}
	aigsAsiaPacific = map[string]bool{"EAP": true, "SCA": true}
)

// aigsCountries maps the index's country names to ISO 3166-1 alpha-2
// codes. It covers the 27 Asia-Pacific countries of sheet 1 and the nine
// more that sheet 2 lists in EAP and SCA, so that a later edition that adds
// them is read rather than refused.
var aigsCountries = map[string]string{
	"Afghanistan":      "AF",
	"Australia":        "AU",
	"Bangladesh":       "BD",
	"Bhutan":           "BT",
	"Burma/Myanmar":    "MM",
	"Cambodia":         "KH",
	"China":            "CN",
	"Fiji":             "FJ",
	"Hong Kong":        "HK",
	"India":            "IN",
	"Indonesia":        "ID",
	"Japan":            "JP",
	"Kazakhstan":       "KZ",
	"Kyrgyzstan":       "KG",
	"Laos":             "LA",
	"Malaysia":         "MY",
	"Maldives":         "MV",
	"Mongolia":         "MN",
	"Nepal":            "NP",
	"New Zealand":      "NZ",
	"North Korea":      "KP",
	"Pakistan":         "PK",
	"Papua New Guinea": "PG",
	"Philippines":      "PH",
	"Singapore":        "SG",
	"Solomon Islands":  "SB",
	"South Korea":      "KR",
	"Sri Lanka":        "LK",
	"Taiwan":           "TW",
	"Tajikistan":       "TJ",
	"Thailand":         "TH",
	"Timor-Leste":      "TL",
	"Turkmenistan":     "TM",
	"Uzbekistan":       "UZ",
	"Vanuatu":          "VU",
	"Vietnam":          "VN",
}

// aigsRegimes maps V-Dem's Regime Type codes to the register's names.
var aigsRegimes = map[string]string{
	"CA": "closed_autocracy",
	"EA": "electoral_autocracy",
	"ED": "electoral_democracy",
	"LD": "liberal_democracy",
}

// aigsSource is the one source every AIGS claim cites.
var aigsSource = registry.Source{
	Key:       aigsDataset,
	URL:       "https://data.mendeley.com/datasets/gjhf5y4xjp/4",
	Title:     "AI & Big Data Global Surveillance Index (2022 updated)",
	Publisher: "Steven Feldstein, Carnegie Endowment for International Peace (Mendeley Data, V4, CC BY 4.0)",
	Published: registry.Date{Year: 2022, Month: 6, Day: 6},
}

// blankNote explains a false value read from a blank category cell.
const blankNote = "blank in AIGS: not documented, which is not evidence of absence"

// parseAIGS reads sheet 1 of AIGS 2022 as CSV and returns one claim per
// Asia-Pacific (EAP or SCA) country and indicator; rows of other regions
// are skipped. Every problem is reported, as an ErrorList of *Error naming
// the file, the CSV line and the column: a missing column (at line 1), a
// country missing from aigsCountries, a region, category or regime code
// outside the values the index uses. The returned Source locates
// "claims[i]..." at the line of the row claim i came from.
func parseAIGS(name string, data []byte) (*registry.Set, *Source, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	header, err := r.Read()
	if err != nil {
		return nil, nil, ErrorList{csvError(name, 1, err)}
	}
	cols, errs := aigsHeader(name, header)
	if len(errs) > 0 {
		return nil, nil, errs
	}
	var set registry.Set
	var lines []int // line of the row each claim came from
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			errs = append(errs, csvError(name, line, err))
			if !errors.Is(err, csv.ErrFieldCount) {
				break // the reader cannot resynchronise after a quoting error
			}
			continue
		}
		row := cols.row(name, line, rec)
		claims, rowErrs := row.claims()
		errs = append(errs, rowErrs...)
		for _, c := range claims {
			set.Claims = append(set.Claims, c)
			lines = append(lines, line)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return &set, fileSource(name, claimLines(lines)), nil
}

// csvError turns an encoding/csv error into an Error at its line.
func csvError(file string, line int, err error) *Error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.StartLine, Msg: pe.Err.Error()}
	}
	if err == io.EOF {
		return &Error{File: file, Line: line, Msg: "empty file: expected the AIGS 2022 sheet 1 header", Allowed: aigsColumns}
	}
	return &Error{File: file, Line: line, Msg: err.Error()}
}

// claimLines returns a locator for fileSource that maps a path under
// claims[i] to lines[i], and anything else to 0 (unknown).
func claimLines(lines []int) func(string) int {
	return func(path string) int {
		rest, ok := strings.CutPrefix(path, "claims[")
		if !ok {
			return 0
		}
		end := strings.IndexByte(rest, ']')
		i, err := strconv.Atoi(rest[:max(end, 0)])
		if err != nil || i < 0 || i >= len(lines) {
			return 0
		}
		return lines[i]
	}
}

// aigsCols maps each expected column to its position in the header.
type aigsCols map[string]int

// aigsHeader checks that every column of aigsColumns is in the header,
// in any order, and reports each missing one at line 1, naming the
// unexpected columns too since a missing column is often a renamed one.
func aigsHeader(file string, header []string) (aigsCols, ErrorList) {
	cols := aigsCols{}
	expected := map[string]bool{}
	for _, c := range aigsColumns {
		expected[c] = true
	}
	var unexpected []string
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !expected[h] {
			unexpected = append(unexpected, strconv.Quote(h))
			continue
		}
		if _, dup := cols[h]; dup {
			unexpected = append(unexpected, strconv.Quote(h)+" (again)")
			continue
		}
		cols[h] = i
	}
	var errs ErrorList
	for _, c := range aigsColumns {
		if _, ok := cols[c]; ok {
			continue
		}
		msg := "missing column " + strconv.Quote(c) + " in the AIGS 2022 sheet 1 header"
		if len(unexpected) > 0 {
			msg += "; the header has unexpected " + strings.Join(unexpected, ", ")
		}
		errs = append(errs, &Error{File: file, Line: 1, Field: c, Msg: msg, Allowed: aigsColumns})
	}
	return cols, errs
}

// row returns a record's cells by column, trimmed, as read and with the
// find-and-replace artefact undone.
func (cols aigsCols) row(file string, line int, rec []string) *aigsRow {
	r := &aigsRow{file: file, line: line, raw: map[string]string{}, cells: map[string]string{}}
	for c, i := range cols {
		if i < len(rec) {
			r.raw[c] = strings.TrimSpace(rec[i])
			r.cells[c] = repairAIGSText(r.raw[c])
		}
	}
	return r
}

// artefactRE finds the V-Dem regime names that a find-and-replace pasted
// into words of the workbook ("Unit|Electoral Democracy| States"), by the
// lower-case letter they follow: a genuine use of the name starts a word.
var artefactRE = regexp.MustCompile(`[a-z](Electoral Democracy|Electoral Autocracy|Closed Autocracy)`)

// artefactCodes are the letters each name replaced.
var artefactCodes = map[string]string{
	"Electoral Democracy": "ed",
	"Electoral Autocracy": "ea",
	"Closed Autocracy":    "ca",
}

// repairAIGSText undoes the find-and-replace artefact of the AIGS 2022
// workbook, which replaced the letters "ed", "ea" and "ca" inside words
// with "Electoral Democracy", "Electoral Autocracy" and "Closed Autocracy"
// (so "United States of America" reads "UnitElectoral Democracy States of
// AmeriClosed Autocracy"). Only a name that follows a lower-case letter is
// replaced, by the lower-case letters, so text that uses a name as a name
// is returned unchanged.
func repairAIGSText(s string) string {
	return artefactRE.ReplaceAllStringFunc(s, func(m string) string {
		return m[:1] + artefactCodes[m[1:]]
	})
}

// hasArtefact reports whether text still holds a regime name after
// repairAIGSText, which in a name or list cell means an artefact that the
// repair did not recognise.
func hasArtefact(s string) bool {
	for name := range artefactCodes {
		if strings.Contains(s, name) {
			return true
		}
	}
	return false
}

// An aigsRow is one data row of sheet 1.
type aigsRow struct {
	file  string
	line  int
	raw   map[string]string // column → trimmed cell as in the file
	cells map[string]string // column → raw cell, repaired
	cc    string            // ISO code, set by claims
	errs  ErrorList
}

func (r *aigsRow) fail(col string, allowed []string, format string, args ...any) {
	r.errs = append(r.errs, &Error{File: r.file, Line: r.line, Field: col,
		Msg: fmt.Sprintf(format, args...), Allowed: allowed})
}

// claims returns the row's claims, or none when its region is not
// Asia-Pacific, and the problems found in it.
func (r *aigsRow) claims() ([]*registry.Claim, ErrorList) {
	region := r.cells[colRegion]
	if !aigsAsiaPacific[region] {
		if !slices.Contains(aigsRegions, region) {
			r.fail(colRegion, aigsRegions, "unknown region %q", region)
		}
		return nil, r.errs
	}
	country := r.cells[colCountry]
	cc, ok := aigsCountries[country]
	if !ok {
		r.fail(colCountry, nil, "Asia-Pacific country %q (region %s) has no ISO 3166-1 code in the AIGS importer's table", country, region)
		return nil, r.errs
	}
	r.cc = cc
	var out []*registry.Claim
	add := func(c *registry.Claim) {
		if c != nil {
			out = append(out, c)
		}
	}
	add(r.category("safe_city_system", colSafeCity, "x"))
	add(r.category("facial_recognition_system", colFacial, "x"))
	add(r.category("smart_policing", colSmartPolicing, "x"))
	add(r.category("social_media_surveillance", colSocialMedia, "x"))
	add(r.vendors())
	add(r.category("china_tech", colChinaTech, "1"))
	add(r.category("us_tech", colUSTech, "1"))
	add(r.otherCountries())
	add(r.beltAndRoad())
	add(r.regime())
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	return out, nil
}

// claim returns a claim on the row's country with the AIGS source.
func (r *aigsRow) claim(indicator string, value any, note string) *registry.Claim {
	return &registry.Claim{
		ID:           aigsDataset + "-" + strings.ToLower(r.cc) + "-" + strings.ReplaceAll(indicator, "_", "-"),
		Jurisdiction: r.cc,
		Dataset:      aigsDataset,
		Indicator:    indicator,
		Value:        value,
		Period:       aigsPeriod,
		Note:         note,
		Sources:      []registry.Source{aigsSource},
	}
}

// mark reads a cell that holds mark or is blank; anything else is an error
// and reads as false.
func (r *aigsRow) mark(col, mark string) bool {
	v := r.cells[col]
	switch {
	case v == "":
		return false
	case strings.EqualFold(v, mark):
		return true
	}
	r.fail(col, []string{mark, "(blank)"}, "%q is not a marker", v)
	return false
}

// category reads a documented-or-blank column ("x" or "1"). A blank is
// false with blankNote, since the index records what open sources show.
func (r *aigsRow) category(indicator, col, mark string) *registry.Claim {
	if !r.mark(col, mark) {
		return r.claim(indicator, false, blankNote)
	}
	return r.claim(indicator, true, fmt.Sprintf("AIGS %q: %s (documented)", col, mark))
}

// beltAndRoad reads membership of the Belt and Road Initiative. Its blank
// is not a gap in the evidence but the index listing no membership.
func (r *aigsRow) beltAndRoad() *registry.Claim {
	const ind = "belt_and_road_member"
	if !r.mark(colBeltAndRoad, "x") {
		return r.claim(ind, false, fmt.Sprintf("AIGS %q: blank (not listed as a member)", colBeltAndRoad))
	}
	return r.claim(ind, true, fmt.Sprintf("AIGS %q: x", colBeltAndRoad))
}

// vendors lists the Company 1-5 cells as the index spells them (it has
// "Mult" and "iOmnicient"); "0" is the workbook's empty cell. No claim is
// made when none is named.
func (r *aigsRow) vendors() *registry.Claim {
	var names []any
	for _, col := range aigsCompanyColumns {
		v := r.cells[col]
		if v == "" || v == "0" {
			continue
		}
		if hasArtefact(v) {
			r.fail(col, nil, "%q holds a V-Dem regime name that could not be undone safely", v)
		}
		names = append(names, v)
	}
	if len(names) == 0 {
		return nil
	}
	return r.claim("vendors", names, "AIGS Company 1-5, names spelled as in the index")
}

// otherCountries splits the Other Countries cell (countries other than
// China and the US whose technology is documented) on commas; no claim is
// made when it is blank.
func (r *aigsRow) otherCountries() *registry.Claim {
	v := r.cells[colOtherCountries]
	if hasArtefact(v) {
		r.fail(colOtherCountries, nil, "%q holds a V-Dem regime name that could not be undone safely", v)
	}
	var names []any
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" && p != "0" {
			names = append(names, p)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return r.claim("other_countries", names, fmt.Sprintf("AIGS %q: %q%s", colOtherCountries, v, r.repairNote(colOtherCountries)))
}

// repairNote says when a cell's text was repaired, quoting what the file
// has, so a reader can match the claim to the raw data.
func (r *aigsRow) repairNote(col string) string {
	raw := r.raw[col]
	if raw == r.cells[col] {
		return ""
	}
	return fmt.Sprintf(" (the file reads %q, a find-and-replace artefact undone on import)", raw)
}

// regime maps V-Dem's Regime Type 2021 code. It is V-Dem's value, carried
// by the index, and dated 2021 rather than the index's span. A blank cell
// makes no claim.
func (r *aigsRow) regime() *registry.Claim {
	code := r.cells[colRegime]
	if code == "" {
		return nil
	}
	name, ok := aigsRegimes[code]
	if !ok {
		r.fail(colRegime, slices.Sorted(maps.Keys(aigsRegimes)), "unknown V-Dem regime type %q", code)
		return nil
	}
	c := r.claim("regime_type", name, fmt.Sprintf("AIGS %q: %s (V-Dem, Varieties of Democracy, as carried by the index)", colRegime, code))
	c.Period = "2021"
	return c
}

// DigitalRepression reads the Digital Repression Index 2021 from either
// sheet of the AIGS 2022 workbook as CSV (sheet 1's "Feldstein Digital
// Repression Index 2021" column or sheet 2's "Digital Repression Index
// 2021"), keyed by jurisdiction code, for the Asia-Pacific countries.
func DigitalRepression(name string, data []byte) (map[string]float64, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, csvError(name, 1, err)
	}
	country, dri := -1, -1
	for i, h := range header {
		switch strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) {
		case "Country":
			country = i
		case "Feldstein Digital Repression Index 2021", "Digital Repression Index 2021":
			dri = i
		}
	}
	if country < 0 || dri < 0 {
		return nil, ErrorList{{File: name, Line: 1, Msg: "no Country and Digital Repression Index 2021 columns"}}
	}
	out := map[string]float64{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvError(name, line, err)
		}
		code, ok := aigsCountries[strings.TrimSpace(rec[country])]
		if !ok || dri >= len(rec) || strings.TrimSpace(rec[dri]) == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[dri]), 64)
		if err != nil {
			return nil, &Error{File: name, Line: line, Field: header[dri], Msg: fmt.Sprintf("%q is not a number", rec[dri])}
		}
		out[code] = v
	}
}
