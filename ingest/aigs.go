package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

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
	if err := longCell(name, data); err != nil {
		return nil, nil, ErrorList{err}
	}
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
	var cost budget
	for more := true; more; {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A ParseError names its line; FieldPos has no record to read.
			more = errs.add(csvError(name, 0, err)) && errors.Is(err, csv.ErrFieldCount)
			continue // after a quoting error the reader cannot resynchronise
		}
		line, _ := r.FieldPos(0)
		if err := cost.add(claimsPerRow * recordBytes); err != nil {
			errs.add(&Error{File: name, Line: line, Msg: err.Error()})
			break
		}
		row := cols.row(name, line, rec)
		claims, rowErrs := row.claims()
		for _, e := range rowErrs {
			more = more && errs.add(e)
		}
		for _, c := range claims {
			set.Claims = append(set.Claims, c)
			lines = append(lines, line)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return &set, rowSource(name, "claims", lines), nil
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
			unexpected = append(unexpected, strconv.Quote(registry.Clip(h)))
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
		if n := len(unexpected); n > 10 {
			msg += fmt.Sprintf("; the header has %d unexpected columns: %s, ...", n, strings.Join(unexpected[:10], ", "))
		} else if n > 0 {
			msg += "; the header has unexpected " + strings.Join(unexpected, ", ")
		}
		errs = append(errs, &Error{File: file, Line: 1, Field: c, Msg: msg, Allowed: aigsColumns})
	}
	return cols, errs
}

// row returns a record's cells by column, trimmed, as read and with the
// find-and-replace artefact undone. A cell that is not UTF-8 is an error
// of its column, and reads as blank.
func (cols aigsCols) row(file string, line int, rec []string) *aigsRow {
	r := &aigsRow{file: file, line: line, raw: map[string]string{}, cells: map[string]string{}}
	for _, c := range aigsColumns { // in the file's order, so errors are too
		i := cols[c]
		if i >= len(rec) {
			continue
		}
		if !utf8.ValidString(rec[i]) {
			r.fail(c, nil, "invalid UTF-8: the file must be UTF-8")
			continue
		}
		r.raw[c] = strings.TrimSpace(rec[i])
		r.cells[c] = repairAIGSText(r.raw[c])
	}
	return r
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
		if country >= len(rec) || dri >= len(rec) {
			continue // a short row names no country or value
		}
		code, ok := aigsCountries[strings.TrimSpace(rec[country])]
		if !ok || strings.TrimSpace(rec[dri]) == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[dri]), 64)
		if err != nil {
			return nil, &Error{File: name, Line: line, Field: header[dri], Msg: fmt.Sprintf("%q is not a number", registry.Clip(rec[dri]))}
		}
		out[code] = v
	}
}
