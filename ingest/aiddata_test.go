package ingest

import (
	"encoding/csv"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"oversight/internal/testenv"
	"oversight/registry"
)

// aiddataExtract holds three rows of AidData's Global Chinese Development
// Finance Dataset, Version 3.0 (records 37016, 63248 and 70311), under the
// 17-column header of input_data/gcdf_v3/final_input.csv in
// github.com/aiddata/gcdf-geospatial-data at commit
// ade7c804d8153958686efcc21783f66f0b09735a, as shared/data/aiddata-gcdf3-apac
// copied them (its two added columns left out). Real values, not synthetic
// ones. AidData, licensed ODC-By 1.0.
const aiddataExtract = "testdata/aiddata-gcdf3-extract.csv"

func readAidData(t *testing.T, path string) (*registry.Set, *Source) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	set, src, err := Parse(path, data, AidData)
	if err != nil {
		t.Fatal(err)
	}
	return set, src
}

// TestAidDataExtract checks the three rows of the extract value by value:
// what the table states is carried, what it does not stays unknown, and
// each deployment carries its origin and credit.
func TestAidDataExtract(t *testing.T) {
	set, src := readAidData(t, aiddataExtract)
	var ids []string
	for _, d := range set.Deployments {
		ids = append(ids, d.ID)
		if err := d.Validate(); err != nil {
			t.Errorf("%s does not validate: %v", d.ID, err)
		}
	}
	if want := []string{"pk-aiddata-37016", "ph-aiddata-63248", "mn-aiddata-70311"}; !slices.Equal(ids, want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	ph := set.Deployments[1]
	usd := 275942177.0
	want := &registry.Deployment{
		ID:           "ph-aiddata-63248",
		Title:        "China Eximbank provides $257.9 million preferential buyer’s credit for Phase 1 of Safe City Project",
		Jurisdiction: "PH",
		Dates: []registry.DatedEvent{{Event: "financed", Date: registry.Date{Year: 2021, Month: 6, Day: 17},
			Note: "AidData commitment date", Sources: []string{"aiddata-63248"}}},
		Status: registry.Status{Value: "unknown", Note: "AidData project status: Implementation (of the financing, not of the system)",
			Sources: []string{"aiddata-63248"}},
		Financing: []registry.Financing{{Instrument: "unknown", Year: 2021, AmountUSD2021: &usd, AidDataID: 63248,
			Note:    "lender, flow type and nominal amount are not columns of AidData's table; the title states them in its own words",
			Sources: []string{"aiddata-63248"}}},
		Certainty: "reported",
		Notes: "Imported from AidData GCDF 3.0; the table states no operator, vendor, lender or capability. " +
			"AidData sector: COMMUNICATIONS; infrastructure: Yes; implementation started 2019-11-22; " +
			"geocoding precision ADM4, ADM6, ADM6, APPROXIMATE; OpenStreetMap feature: https://www.openstreetmap.org/relation/147488, " +
			"https://www.openstreetmap.org/relation/146949, https://www.openstreetmap.org/relation/3936841, " +
			"https://www.openstreetmap.org/node/669040066 (as AidData gives them).",
		Origin: &registry.Origin{
			Dataset: "aiddata-gcdf-3", Title: "AidData's Global Chinese Development Finance Dataset, Version 3.0",
			Version: "3.0", Published: registry.Date{Year: 2023, Month: 11, Day: 6}, Publisher: "AidData at William & Mary",
			File:    "github.com/aiddata/gcdf-geospatial-data, input_data/gcdf_v3/final_input.csv",
			Licence: "ODC-By-1.0", LicenceURL: "https://opendatacommons.org/licenses/by/1-0/",
			LicenceFrom: "https://github.com/aiddata/gcdf-geospatial-data/blob/03b0f9d81e81a035035ef229b6c369ff4f25b116/LICENSE.md",
			Attribution: "AidData. 2023. Global Chinese Development Finance Dataset, Version 3.0. Retrieved from " +
				"https://www.aiddata.org/data/aiddatas-global-chinese-development-finance-dataset-version-3-0",
			Row: "63248", RowURL: "https://china.aiddata.org/projects/63248",
		},
		Sources: []registry.Source{{Key: "aiddata-63248", URL: "https://china.aiddata.org/projects/63248",
			Title:     "China Eximbank provides $257.9 million preferential buyer’s credit for Phase 1 of Safe City Project",
			Publisher: "AidData, Global Chinese Development Finance Dataset v3.0 (ODC-By 1.0)"}},
	}
	if !reflect.DeepEqual(ph, want) {
		a, _ := registry.Canonical(ph)
		b, _ := registry.Canonical(want)
		t.Errorf("record 63248:\n got %s\nwant %s", a, b)
	}
	// Unknown stays unknown: the table names no operator, vendor, lender,
	// capability, place or nominal amount.
	for _, d := range set.Deployments {
		f := d.Financing[0]
		if !d.Operator.IsZero() || !d.System.IsZero() || len(d.Vendors) > 0 || !reflect.DeepEqual(d.Place, registry.Place{}) ||
			f.Lender != "" || f.Amount != nil || f.Currency != "" || f.Instrument != "unknown" {
			t.Errorf("%s states what the table does not: %+v", d.ID, d)
		}
	}
	// Pakistan's row gives the implementation dates; Mongolia's none.
	if pk := set.Deployments[0]; !strings.Contains(pk.Notes, "implementation started 2014-01-01; completed 2016-03-01") {
		t.Errorf("pk notes: %s", pk.Notes)
	}
	if mn := set.Deployments[2]; strings.Contains(mn.Notes, "implementation") || strings.Contains(mn.Notes, "completed") {
		t.Errorf("mn notes name dates the row leaves blank: %s", mn.Notes)
	}
	if file, line, _ := src.Locate("deployments[2].financing[0].year"); file != aiddataExtract || line != 4 {
		t.Errorf("Locate = %s:%d, want %s:4", file, line, aiddataExtract)
	}
}

// TestAidDataShared reads the whole stored extract of 84 Asia-Pacific
// projects: every row becomes one valid deployment with its origin.
func TestAidDataShared(t *testing.T) {
	set, _ := readAidData(t, testenv.Shared(t, "data/aiddata-gcdf3-apac/rows.csv"))
	if n := len(set.Deployments); n != 84 {
		t.Errorf("%d deployments, want 84 (one per AidData record)", n)
	}
	seen := map[string]bool{}
	for _, d := range set.Deployments {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.ID, err)
		}
		if d.Origin == nil || d.Origin.Row == "" || !strings.HasSuffix(d.ID, "-aiddata-"+d.Origin.Row) || seen[d.ID] {
			t.Errorf("%s: origin %+v", d.ID, d.Origin)
		}
		seen[d.ID] = true
	}
}

// TestAidDataRepeat reads a record met twice: the same project at another
// place is read once; a different title is an error at the later line.
func TestAidDataRepeat(t *testing.T) {
	data, err := os.ReadFile(aiddataExtract)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	again := strings.Replace(lines[3], "relation/270090", "relation/1", 1) // record 70311 at another place
	set, _, err := Parse("x.csv", []byte(string(data)+again), AidData)
	if err != nil || len(set.Deployments) != 3 {
		t.Fatalf("a repeated record at another place: %v", err)
	}
	changed := strings.Replace(lines[3], "Surveillance Cameras", "Cameras", 1)
	_, _, err = Parse("x.csv", []byte(string(data)+changed), AidData)
	e := firstError(t, err)
	if e.Line != 5 || e.Field != "Title" || !strings.Contains(e.Msg, "record 70311 again") || !strings.Contains(e.Msg, "line 4") {
		t.Errorf("error %v", e)
	}
}

// TestAidDataMalformed checks that bad files are refused with file, line,
// field and, where they are closed, the allowed values.
func TestAidDataMalformed(t *testing.T) {
	data, err := os.ReadFile(aiddataExtract)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	tests := []struct {
		name, from, to string
		line           int
		field, msg     string
		allowed        string
	}{
		{"missing column", ",Sector.Name,", ",", 1, "Sector.Name", `missing column "Sector.Name"`, "Title"},
		{"column twice", "Recipient,Recipient.ISO-3", "Title,Recipient.ISO-3", 1, "Title", "column given twice (columns 6 and 9)", ""},
		{"outside Asia-Pacific", ",Pakistan,PAK,", ",Angola,AGO,", 2, "Recipient.ISO-3", `"AGO" (recipient "Angola") is not an Asia-Pacific recipient`, ""},
		{"blank recipient", ",Mongolia,MNG,", ",Mongolia,,", 4, "Recipient.ISO-3", `"" (recipient "Mongolia")`, ""},
		{"status", "Project,Implementation,COMM", "Project,Ongoing,COMM", 3, "Status", `"Ongoing" is not a GCDF 3.0 project status`, "Completion"},
		{"id", ",63248,", ",63248a,", 3, "AidData.Record.ID", `"63248a" is not an AidData record id`, ""},
		{"amount", ",275942177.0,", ",NaN,", 3, "Amount.(Constant.USD.2021)", `"NaN" is not an amount in USD`, ""},
		{"negative amount", ",275942177.0,", ",-1,", 3, "Amount.(Constant.USD.2021)", `"-1" is not an amount`, ""},
		{"year", ",2015,,,2015-11-10", ",MMXV,,,2015-11-10", 4, "Commitment.Year", `"MMXV" is not a year`, ""},
		{"date", "2021-06-17", "17 June 2021", 3, "Commitment.Date", `"17 June 2021" is not a date`, ""},
		{"impossible date", "2021-06-17", "2021-02-30", 3, "Commitment.Date", `"2021-02-30"`, ""},
		{"no title", ",China Eximbank provides RMB 850 million government concessional loan for Safe City Islamabad Project,", ",,", 2, "Title", "is empty", ""},
		{"invalid UTF-8", "Safe City Islamabad", "Safe City \xffslamabad", 2, "Title", "invalid UTF-8", ""},
		{"short row", ",2015-11-10,,", ",2015-11-10,", 4, "", "row has 16 fields, the header 17", ""},
		{"bad quote", "Mixed,https://www.openstreetmap.org/relation/270090", "Mixed,\"https://www.openstreetmap.org/relation/270090", 4, "", "extraneous or missing \" in quoted-field", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(text, tt.from, tt.to, 1)
			if in == text {
				t.Fatal("fixture edit changed nothing")
			}
			_, _, err := Parse("bad.csv", []byte(in), AidData)
			if err == nil {
				t.Fatal("no error")
			}
			e := firstError(t, err)
			if e.File != "bad.csv" || e.Line != tt.line || e.Field != tt.field {
				t.Errorf("error at %s:%d field %q, want bad.csv:%d field %q: %v", e.File, e.Line, e.Field, tt.line, tt.field, e)
			}
			if !strings.Contains(e.Error(), tt.msg) || (tt.allowed != "" && !slices.Contains(e.Allowed, tt.allowed)) {
				t.Errorf("error %q should say %q and allow %q", e, tt.msg, tt.allowed)
			}
		})
	}
}

// TestAidDataBounds checks the bounds on an empty file, a header alone,
// the number of rows and a huge cell.
func TestAidDataBounds(t *testing.T) {
	data, err := os.ReadFile(aiddataExtract)
	if err != nil {
		t.Fatal(err)
	}
	header := strings.SplitAfter(string(data), "\n")[0]
	if _, _, err := Parse("e.csv", nil, AidData); err == nil || !strings.Contains(err.Error(), "e.csv:1: empty file") {
		t.Errorf("empty file: %v", err)
	}
	if set, _, err := Parse("h.csv", []byte(header), AidData); err != nil || len(set.Deployments) != 0 {
		t.Errorf("header alone: %v", err)
	}
	defer func(n int) { maxAidDataRows = n }(maxAidDataRows)
	maxAidDataRows = 2
	_, _, err = Parse("many.csv", data, AidData)
	if e := firstError(t, err); e.Line != 4 || !strings.Contains(e.Msg, "more than 2 rows: a file holds at most 2") {
		t.Errorf("row bound: %v", e)
	}
	maxAidDataRows = 50_000
	huge := strings.Replace(string(data), "Safe City Islamabad", strings.Repeat("x", registry.MaxCellBytes+1), 1)
	_, _, err = Parse("huge.csv", []byte(huge), AidData)
	if e := firstError(t, err); e.Line != 2 || e.Field != "Title" || !strings.Contains(e.Msg, fmt.Sprintf("a cell holds at most %d", registry.MaxCellBytes)) {
		t.Errorf("huge cell: %v", e)
	}
}

// TestAidDataCSVRoundTrip: an imported row keeps its origin through the
// deployment CSV that export writes and import reads.
func TestAidDataCSVRoundTrip(t *testing.T) {
	set, _ := readAidData(t, aiddataExtract)
	var buf strings.Builder
	w := csv.NewWriter(&buf)
	w.Write(CSVColumns)
	for _, d := range set.Deployments {
		rec, err := CSVRecord(d)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(rec)
	}
	w.Flush()
	back, _, err := Parse("back.csv", []byte(buf.String()), CSV)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range set.Deployments {
		a, _ := registry.Canonical(d)
		b, _ := registry.Canonical(back.Deployments[i])
		if string(a) != string(b) || back.Deployments[i].Origin == nil {
			t.Errorf("%s changed through CSV:\n%s\n%s", d.ID, a, b)
		}
	}
}
