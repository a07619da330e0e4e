package ingest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"oversight/registry"
)

// This file reads the cells of a row of AIGS 2022 sheet 1 into claims,
// undoing the find-and-replace artefact of the workbook on the way.

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

// fail records an error in a column; string arguments, which quote the
// cell, are clipped.
func (r *aigsRow) fail(col string, allowed []string, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = registry.Clip(s)
		}
	}
	r.errs = append(r.errs, &Error{File: r.file, Line: r.line, Field: col,
		Msg: fmt.Sprintf(format, args...), Allowed: allowed})
}

// claimsPerRow is the most claims a row yields: one per indicator that
// claims reads.
const claimsPerRow = 10

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
