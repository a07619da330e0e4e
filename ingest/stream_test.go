package ingest_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/data"
	"oversight/ingest"
	"oversight/registry"
)

// writeFile writes a file into a new temporary directory.
func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll reads every record of the files with a Reader.
func readAll(names []string, f ingest.Format) ([]registry.Entity, *ingest.Reader, error) {
	r := ingest.NewReader(names, f)
	var out []registry.Entity
	for {
		e, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, r, nil
		}
		if err != nil {
			return out, r, err
		}
		out = append(out, e)
	}
}

// canonical lists the canonical JSON of records, by kind in order.
func canonical(t testing.TB, ents []registry.Entity) map[string][]string {
	out := map[string][]string{}
	for _, e := range ents {
		b, err := registry.Canonical(e)
		if err != nil {
			t.Fatal(err)
		}
		out[e.Kind()] = append(out[e.Kind()], string(b))
	}
	return out
}

// TestReaderReadsWhatParseReads streams the built-in register as JSON,
// with each list where a file may put it, and its deployments as CSV, and
// checks that the records are those Parse reads from the same bytes.
func TestReaderReadsWhatParseReads(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// Deployments first, and an export's classification between lists.
	var parts map[string]json.RawMessage
	if err := json.Unmarshal(js, &parts); err != nil {
		t.Fatal(err)
	}
	var reordered bytes.Buffer
	reordered.WriteString(`{"deployments": ` + string(parts["deployments"]) + `, "classification": {"as_of": "2026-01-01", "tiers": {"a": {"eu": "high"}, "b": [1, 2.5e3, null, true]}}`)
	for _, k := range []string{"jurisdictions", "vendors", "instruments", "claims"} {
		reordered.WriteString(",\n\"" + k + "\": " + string(parts[k]))
	}
	reordered.WriteString(`, "replies": null}`)

	var csvBuf bytes.Buffer
	w := csv.NewWriter(&csvBuf)
	w.Write(ingest.CSVColumns)
	for _, d := range set.Deployments {
		rec, err := ingest.CSVRecord(d)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(rec)
	}
	w.Flush()

	for _, c := range []struct {
		name string
		body []byte
		f    ingest.Format
	}{
		{"register.json", js, ingest.JSON},
		{"reordered.json", reordered.Bytes(), ingest.JSON},
		{"bom.json", append([]byte("\ufeff"), js...), ingest.JSON},
		{"register.csv", csvBuf.Bytes(), ingest.CSV},
	} {
		want, _, err := ingest.Parse(c.name, c.body, c.f)
		if err != nil {
			t.Fatalf("%s: Parse: %v", c.name, err)
		}
		got, _, err := readAll([]string{writeFile(t, c.name, c.body)}, "")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		g, w := canonical(t, got), canonical(t, want.Entities())
		for _, kind := range registry.Kinds.Values {
			if strings.Join(g[kind], "\n") != strings.Join(w[kind], "\n") {
				t.Errorf("%s: the %s records streamed (%d) are not those parsed (%d)", c.name, kind, len(g[kind]), len(w[kind]))
			}
		}
		if len(got) < 200 {
			t.Errorf("%s: only %d records", c.name, len(got))
		}
	}
}

// TestReaderRefuses checks that a streamed file is refused for what a
// whole one is, with its line and field, each bad record reported, and
// for a record larger than a record may be.
func TestReaderRefuses(t *testing.T) {
	huge := `{"deployments":[{"id":"a","summary":"` + strings.Repeat("x", registry.MaxRecordBytes) + `"}]}`
	cases := []struct {
		name, body string
		want       []string
	}{
		{"dup.json", strings.Replace(validJSON, `"title":"X"`, `"title":"X","title":"Y"`, 1), []string{`dup.json:1: deployments[0].title: key "title" appears twice`}},
		{"case.json", strings.Replace(validJSON, `"title":"X"`, `"title":"X","Title":"Y"`, 1), []string{"case.json:1: deployments[0].Title: unknown field"}},
		{"utf8.json", strings.Replace(validJSON, `"X"`, "\"X\xff\"", 1), []string{"utf8.json:1: deployments[0].title: invalid UTF-8"}},
		{"surrogate.json", strings.Replace(validJSON, `"X"`, `"\ud800"`, 1), []string{"half of a UTF-16 surrogate pair"}},
		{"null.json", `{"deployments":[` + "\n" + `{"id":"a"},` + "\n" + `null]}`, []string{"null.json:3: deployments[1]: is null"}},
		{"deep.json", `{"claims":[{"value":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}]}`, []string{"nested more than 30 deep"}},
		{"deepclass.json", `{"classification":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, []string{"classification: nested more than 32 deep"}},
		{"number.json", strings.Replace(validJSON, `"lat":1.5`, `"lat":1e309`, 1), []string{"deployments[0].place.lat: expected float64, found a number 1e309"}},
		{"top.json", `{"deployments":[],"deploymnts":[]}`, []string{"top.json:1: deploymnts: unknown field"}},
		{"twice.json", `{"deployments":[],` + "\n" + `"deployments":[]}`, []string{`twice.json:2: deployments: key "deployments" appears twice`}},
		{"extra.json", validJSON + "}", []string{"extra.json:1"}},
		{"array.json", `[]`, []string{"not an object with lists"}},
		{"empty.json", ``, []string{"unexpected end of JSON"}},
		{"cut.json", `{"deployments":[{"id":"a"}`, []string{"unexpected end of JSON"}},
		{"syntax.json", "{\"deployments\":[\n{\"id\":\n\"a\" \"b\"}]}", []string{"syntax.json:3: deployments[0]: invalid character"}},
		{"long.json", `{"deployments":[{"id":"a","vendors":[` + strings.Repeat("1,", 1100) + `1]}]}`, []string{"deployments[0]: vendors: a list of more than 1000 items"}},
		{"huge.json", huge, []string{"huge.json:1: deployments[0]: a record of more than"}},
		{"utf16.json", "\xff\xfe{\x00}\x00", []string{"UTF-16"}},
		{"two.json", `{"deployments":[` + "\n" + `{"id":"a","titel":1},` + "\n" + `{"id":"b","nme":2}]}`, []string{"two.json:2: deployments[0].titel: unknown field", "two.json:3: deployments[1].nme: unknown field"}},
		{"cell.csv", csvHead + "sg-x,\"" + strings.Repeat("a", registry.MaxCellBytes+1) + "\",SG,unknown,reported," + csvSources + ",,\n", []string{"cell.csv:2: title: a cell of 1048577 bytes"}},
		{"row.csv", csvHead + "sg-x,\"" + strings.Repeat("a,", registry.MaxRecordBytes) + "\",SG\n", []string{"row.csv:2: a row of more than"}},
		{"rows.csv", csvHead + "sg-x,X,SG,unknown,reported," + csvSources + ",NaN,0\n" + "sg-y,X\xff,SG,unknown,reported," + csvSources + ",,\n", []string{`rows.csv:2: lat: "NaN" is not a number`, "rows.csv:3: title: invalid UTF-8"}},
		{"header.csv", "title," + csvHead, []string{"header.csv:1: title: column given twice"}},
	}
	for _, c := range cases {
		_, _, err := readAll([]string{writeFile(t, c.name, []byte(c.body))}, "")
		if err == nil {
			t.Errorf("%s was read", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %.300v\nwant %q", c.name, err, w)
			}
		}
	}
}

// TestReaderErrors checks that the problems a writer finds in streamed
// records are located in the file each came from, at the field's line.
func TestReaderErrors(t *testing.T) {
	a := writeFile(t, "a.json", []byte("{\"vendors\": [{\"id\": \"v\"}],\n \"deployments\": [\n  {\"id\": \"d0\"},\n  {\"id\": \"d1\",\n   \"vendors\": [\n    {\"vendor\": \"x\"}]}\n]}\n"))
	b := writeFile(t, "b.csv", []byte(csvHead+"sg-x,X,SG,unknown,reported,"+csvSources+",,\nsg-y,Y,SG,unknown,reported,"+csvSources+",,\n"))
	c := writeFile(t, "c.json", []byte("{\"deployments\": [\n{\"id\": \"d2\"},\n\n{\"id\": \"d3\",\n \"title\": \"T\"}]}"))
	ents, r, err := readAll([]string{a, b, c}, "")
	if err != nil || len(ents) != 7 {
		t.Fatalf("%d records, %v", len(ents), err)
	}
	errs := r.Errors([]*registry.RecordError{
		{Kind: "deployment", Index: 1, ID: "d1", Err: &registry.FieldError{Path: "vendors[0].vendor", Msg: "no vendor"}},
		{Kind: "deployment", Index: 3, ID: "sg-y", Err: &registry.FieldError{Path: "certainty", Msg: "bad"}},
		{Kind: "deployment", Index: 5, ID: "d3", Err: &registry.FieldError{Path: "title", Msg: "bad"}},
		{Kind: "deployment", Index: 5, ID: "d3", Err: &registry.FieldError{Path: "summary", Msg: "missing"}},
		{Kind: "vendor", Index: 0, ID: "v", Err: &registry.FieldError{Path: "name", Msg: "missing"}},
	})
	want := []string{
		a + `:6: deployments[1].vendors[0].vendor: deployment "d1": no vendor`,
		b + `:3: deployments[1].certainty: deployment "sg-y": bad`,
		c + `:5: deployments[1].title: deployment "d3": bad`,
		c + `:4: deployments[1].summary: deployment "d3": missing`,
		a + `:1: vendors[0].name: vendor "v": missing`,
	}
	for i, w := range want {
		if got := errs[i].Error(); got != w {
			t.Errorf("error %d: %s\nwant %s", i, got, w)
		}
	}
}

// TestReaderSkipsClassification checks that an export's classification is
// skipped whatever the size of its entries, those the decoder holds whole
// in its buffer and those it does not, strings holding brackets and
// escaped quotes included; and that nesting past registry.MaxDepth or bad
// syntax is refused either way, at the same depth.
func TestReaderSkipsClassification(t *testing.T) {
	deployments := `"deployments": [{"id": "a"}], `
	pad := strings.Repeat("p", 6<<10) // more than skip looks ahead at
	nested := func(depth int, inner string) string {
		return strings.Repeat(`[`, depth) + inner + strings.Repeat(`]`, depth)
	}
	var tiers []string
	for i := range 300 {
		entry := `{"eu-ai-act": "high_risk", "note": "a \"quoted\" ]} bracket", "list": [1, {"x": [null, true]}]}`
		switch i % 3 {
		case 1:
			entry = `{"eu-ai-act": "high_risk", "long": "` + strings.Repeat("x", 900) + `"}`
		case 2:
			entry = `{"long": "` + pad + `", "list": [[["a"]]]}`
		}
		tiers = append(tiers, fmt.Sprintf(`"d%d": %s`, i, entry))
	}
	doc := func(tiers string) []byte {
		return []byte(`{` + deployments + `"classification": {"as_of": "2026-01-01", "frameworks": ["eu-ai-act"], "tiers": {` + tiers + `}}, "vendors": [{"id": "v"}]}`)
	}
	got, _, err := readAll([]string{writeFile(t, "export.json", doc(strings.Join(tiers, ",\n")))}, "")
	if err != nil || len(got) != 2 || got[0].Key() != "a" || got[1].Key() != "v" {
		t.Fatalf("%d records, %v", len(got), err)
	}
	// Inside the document, the classification and its tiers, an entry
	// may nest 29 deep.
	for _, c := range []struct {
		name, entry string
		refused     string
	}{
		{"deepest", nested(29, `"a"`), ""},
		{"deepest-long", nested(29, `"`+pad+`"`), ""},
		{"deeper", nested(30, `"a"`), "classification: nested more than 32 deep"},
		{"deeper-long", nested(30, `"`+pad+`"`), "classification: nested more than 32 deep"},
		{"long-then-deeper", `["` + pad + `", ` + nested(29, `1`) + `]`, "classification: nested more than 32 deep"},
		{"syntax", `{"a": 1,}`, "invalid character"},
		{"syntax-long", `{"a": "` + pad + `",}`, "invalid character"},
		{"unclosed", `{"a": [1}`, "invalid character"},
	} {
		body := doc(`"x": {"eu-ai-act": "high_risk"}, "y": ` + c.entry + `, "z": []`)
		got, _, err := readAll([]string{writeFile(t, c.name+".json", body)}, "")
		switch {
		case c.refused == "" && (err != nil || len(got) != 2):
			t.Errorf("%s: %d records, %v", c.name, len(got), err)
		case c.refused != "" && (err == nil || !strings.Contains(err.Error(), c.refused)):
			t.Errorf("%s: %v, want %q", c.name, err, c.refused)
		}
	}
}
