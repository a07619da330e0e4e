package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
)

// csvColumns is the deployment CSV's header, as README documents it.
var csvColumns = []string{
	"id", "title", "jurisdiction", "summary", "place_name", "place_subdivision", "place_level", "lat", "lon",
	"operator_name", "operator_kind", "operator_sources", "capabilities", "purposes", "system_description", "system_sources",
	"vendors", "scale_cameras", "scale_people_covered", "scale_note", "scale_sources",
	"dates", "status", "status_as_of", "status_note", "status_sources", "financing", "certainty", "notes", "sources", "origin",
	"year", "source_urls",
}

// csvBase is a valid row against the built-in register.
func csvBase() map[string]string {
	return map[string]string{
		"id": "hostile-csv", "title": "A hostile CSV deployment", "jurisdiction": "SG", "summary": "From scripts/hostile.",
		"place_name": "Singapore", "place_level": "city", "lat": "1.29", "lon": "103.85",
		"operator_name": "Police", "operator_kind": "police", "operator_sources": "a",
		"capabilities": "cctv; lpr_anpr", "purposes": "traffic_enforcement", "system_sources": "a",
		"vendors": `[{"vendor":"huawei","role":"prime","sources":["a"]}]`,
		"dates":   `[{"event":"live","date":"2019-05","sources":["a"]}]`,
		"status":  "active", "status_sources": "a", "certainty": "reported",
		"financing": `[{"instrument":"grant","amount":5,"currency":"USD","sources":["a"]}]`,
		"sources":   `[{"key":"a","url":"https://example.org/a"}]`, "year": "2019",
	}
}

// csvText writes a header and rows with encoding/csv, which quotes what
// needs it and keeps every byte.
func csvText(header []string, rows ...map[string]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	for _, r := range rows {
		rec := make([]string, len(header))
		for i, h := range header {
			rec[i] = r[h]
		}
		w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

func with(row map[string]string, col, v string) map[string]string {
	out := map[string]string{}
	for k, x := range row {
		out[k] = x
	}
	out[col] = v
	return out
}

// badJSONCells replace a JSON list cell.
var badJSONCells = map[string]string{
	"dup-key": `[{"key":"a","key":"b","url":"https://e.org"}]`, "trailing": `[] garbage`, "invalid": `[{`,
	"unknown-field": `[{"x":1}]`, "null": `null`, "null-item": `[null]`, "object": `{}`, "deep": strings.Repeat("[", 40) + strings.Repeat("]", 40),
	"deep-10000": strings.Repeat("[", 10000), "invalid-utf8": "[{\"key\":\"\xff\"}]", "lone-surrogate": `[{"key":"\ud800"}]`,
	"neg-zero": `[{"instrument":"grant","amount":-0,"currency":"USD","sources":["a"]}]`, "nan": `[{"amount":NaN}]`,
	"huge-list": "[" + strings.Repeat(`{"key":"a","url":"https://e.org"},`, 300) + `{"key":"a","url":"https://e.org"}]`,
}

// jsonNumbers are number spellings for the number columns.
var jsonNumbers = []string{"-0", "-0.0", "-0e0", "-1e-400", "NaN", "nan", "Inf", "+Inf", "-Infinity", "1e309", "0x1p3", "0x10",
	"1_000", "+5", ".5", "5.", "1e", " 1", "1 ", "9223372036854775808", "-1", "1.5", "1e2", "99999999999999999999", "١٢", "", "null", "true"}

// csvFiles writes the deployment CSV corpus.
func csvFiles(g *gen) {
	base := csvBase()
	w := func(name string, b []byte) { g.write("csv", name, b) }
	w("valid", csvText(csvColumns, base))
	w("valid-minimal-columns", csvText([]string{"id", "title", "jurisdiction", "status", "certainty", "sources"}, base))
	strs := badStrings()
	for _, col := range csvColumns {
		for _, n := range sortedKeys(strs) {
			w("cell-"+col+"-"+n, csvText(csvColumns, with(base, col, strs[n])))
		}
	}
	for _, col := range []string{"title", "summary", "notes", "place_name", "status_note", "scale_note"} {
		for _, p := range []string{"=", "+", "-", "@", "\t", "\r", "'=", "''-", "'"} {
			w("formula-"+col+"-"+safe(fmt.Sprintf("%q", p)), csvText(csvColumns, with(base, col, p+"cmd|' /C calc'!A0")))
		}
	}
	for _, col := range []string{"lat", "lon", "scale_cameras", "scale_people_covered"} {
		for _, n := range jsonNumbers {
			w("number-"+col+"-"+safe(fmt.Sprintf("%q", n)), csvText(csvColumns, with(base, col, n)))
		}
	}
	for _, col := range []string{"vendors", "dates", "financing", "sources"} {
		for _, n := range sortedKeys(badJSONCells) {
			w("json-cell-"+col+"-"+n, csvText(csvColumns, with(base, col, badJSONCells[n])))
		}
	}
	valid := string(csvText(csvColumns, base))
	head, row, _ := strings.Cut(valid, "\n")
	dupHeader := append([]string{"title"}, csvColumns...)
	for name, text := range map[string]string{
		"dup-column-title": string(csvText(dupHeader, base)), "dup-column-id-differs": "id," + head + "\nother," + row,
		"unknown-column": string(csvText(append([]string{"tittle"}, csvColumns...), base)), "missing-id-column": strings.Replace(valid, "id,", "x,", 1),
		"only-header": head + "\n", "empty": "", "bom-valid": "\ufeff" + valid, "crlf-valid": strings.ReplaceAll(valid, "\n", "\r\n"),
		"cr-only": strings.ReplaceAll(valid, "\n", "\r"), "utf16": utf16Text(valid, false), "nul-in-header": "\x00" + valid,
		"ragged-short": valid + "a,b\n", "ragged-long": valid + row + ",extra\n", "unbalanced-quote": valid + "\"a,b\n",
		"bare-quote": valid + "a\"b," + row, "quote-only": "\"", "two-quotes": "\"\"", "tier-columns": head + ",tier:eu-ai-act\n" + strings.TrimSuffix(row, "\n") + ",high_risk\n",
		"duplicate-rows": valid + row + "\n", "latin1": strings.Replace(valid, "Singapore", "Singap\xf4re", 1),
		"header-100000-columns": strings.Repeat("c,", 100_000) + "c\n", "line-10mb": head + "\n" + strings.Repeat("x", 10<<20) + "\n",
		"rows-5000": head + "\n" + manyRows(base, 5000), "spaces-in-header": strings.Replace(valid, "title", " title ", 1),
	} {
		w(name, []byte(text))
	}
	if g.big {
		w("summary-100mb", csvText(csvColumns, with(base, "summary", strings.Repeat("a", 100<<20))))
	}
}

func manyRows(base map[string]string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		r := string(csvText(csvColumns, with(base, "id", fmt.Sprintf("hostile-csv-%d", i))))
		_, row, _ := strings.Cut(r, "\n")
		b.WriteString(row)
	}
	return b.String()
}

// aigsFiles writes the AIGS corpus: the real sheet truncated, quoted wrong
// and with cells replaced.
func aigsFiles(g *gen, sheet []byte) {
	w := func(name string, b []byte) { g.write("aigs", name, b) }
	w("valid-sheet", sheet)
	for i := 1; i <= 80; i++ {
		at := len(sheet) * i / 81
		w(fmt.Sprintf("truncated-at-%d", at), sheet[:at])
	}
	quotes := []int{}
	for i, c := range sheet {
		if c == '"' {
			quotes = append(quotes, i)
		}
	}
	for k := 0; k < 40 && k < len(quotes); k++ {
		q := quotes[k*len(quotes)/40]
		w(fmt.Sprintf("quote-removed-%d", q), append(append([]byte(nil), sheet[:q]...), sheet[q+1:]...))
		w(fmt.Sprintf("truncated-in-quotes-%d", q), sheet[:q+1])
	}
	for i := 1; i <= 60; i++ {
		at := len(sheet) * i / 61
		w(fmt.Sprintf("quote-inserted-%d", at), append(append(append([]byte(nil), sheet[:at]...), '"'), sheet[at:]...))
	}
	recs, err := csv.NewReader(bytes.NewReader(sheet)).ReadAll()
	if err != nil || len(recs) < 10 {
		panic(fmt.Sprintf("the AIGS sheet does not read as CSV: %v", err))
	}
	row := 0
	for i, r := range recs {
		if r[0] == "China" {
			row = i
		}
	}
	cellValues := map[string]string{"blank": "", "x": "x", "X": "X", "one": "1", "zero": "0", "question": "?",
		"invalid-utf8": "\xff\xfe", "nul": "a\x00b", "long-5k": strings.Repeat("y", 5000), "formula": "=1+1",
		"artefact": "UnitElectoral Democracy States", "latin1": "Caf\xe9", "quote": `"`}
	for c := range recs[0] {
		for _, n := range sortedKeys(cellValues) {
			w(fmt.Sprintf("cell-%d-%s", c, n), aigsText(recs, row, c, cellValues[n]))
		}
	}
	text := string(sheet)
	head, _, _ := strings.Cut(text, "\n")
	for name, t := range map[string]string{
		"only-header": head + "\n", "no-header": text[len(head)+1:], "empty": "", "newline": "\n", "quote": `"`, "two-quotes": `""`,
		"bom": "\ufeff" + text, "crlf": strings.ReplaceAll(text, "\n", "\r\n"), "utf16": utf16Text(text, false),
		"dup-column": strings.Replace(head, "Region", "Country", 1) + text[len(head):], "renamed-column": strings.Replace(text, "Region", "Regio", 1),
		"extra-column": strings.Replace(head, "\n", "", 1) + ",Extra" + text[len(head):], "rows-repeated-10000": text + strings.Repeat(strings.SplitAfter(text, "\n")[row], 10_000),
		"duplicate-country": text + strings.SplitAfter(text, "\n")[row], "header-5000-columns": head + strings.Repeat(",c", 5000) + "\n",
		"tab-separated": strings.ReplaceAll(text, ",", "\t"), "semicolons": strings.ReplaceAll(text, ",", ";"),
	} {
		w(name, []byte(t))
	}
	for name, region := range map[string]string{"unknown-region": "ANTARCTICA", "lower-region": "eap", "blank-region": ""} {
		w("row-"+name, aigsText(recs, row, 1, region))
	}
	w("unknown-asia-country", aigsText(recs, row, 0, "Atlantis"))
	w("regime-code-unknown", aigsText(recs, row, 3, "XX"))
}

// aigsText writes the sheet with one cell replaced.
func aigsText(recs [][]string, row, col int, v string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for i, r := range recs {
		if i == row && col < len(r) {
			r = append([]string(nil), r...)
			r[col] = v
		}
		w.Write(r)
	}
	w.Flush()
	return b.Bytes()
}
