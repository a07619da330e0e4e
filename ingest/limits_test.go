package ingest_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"oversight/ingest"
	"oversight/registry"
)

const validJSON = `{"deployments":[{"id":"sg-x","title":"X","jurisdiction":"SG","place":{"lat":1.5,"lon":2},` +
	`"status":{"value":"unknown"},"certainty":"reported","sources":[{"key":"a","url":"https://example.org/"}]}]}`

const validYAML = "deployments:\n  - id: sg-x\n    title: X\n    jurisdiction: SG\n    status: {value: unknown}\n" +
	"    certainty: reported\n    sources: [{key: a, url: 'https://example.org/'}]\n"

const csvHead = "id,title,jurisdiction,status,certainty,sources,lat,lon\n"
const csvSources = `"[{""key"":""a"",""url"":""https://example.org/""}]"`

// TestHostileInputs checks that each input the review found accepted, or
// crashing the importer, is refused with its file, line, field and limit.
func TestHostileInputs(t *testing.T) {
	known := func(kind, id string) bool { return true }
	cases := []struct {
		name   string
		format ingest.Format
		in     string
		want   string
	}{
		{"null record", ingest.JSON, `{"deployments":[null]}`, "f:1: deployments[0]: is null"},
		{"empty YAML item", ingest.YAML, "deployments:\n  -\n", "f:2: deployments[0]: is null"},
		{"AIGS quote", ingest.AIGS, `"`, "f:1: extraneous or missing"},
		{"duplicate key", ingest.JSON, strings.Replace(validJSON, `"title":"X"`, `"title":"X","title":"Y"`, 1), `deployments[0].title: key "title" appears twice`},
		{"escaped duplicate key", ingest.JSON, strings.Replace(validJSON, `"title":"X"`, `"title":"X","\u0074itle":"Y"`, 1), `key "title" appears twice`},
		{"field name in another case", ingest.JSON, strings.Replace(validJSON, `"title":"X"`, `"title":"X","Title":"Y"`, 1), "f:1: deployments[0].Title: unknown field"},
		{"YAML field name in another case", ingest.YAML, strings.Replace(validYAML, "title: X\n", "title: X\n    Title: Y\n", 1), "f:4: deployments[0].Title: unknown field"},
		{"duplicate YAML key", ingest.YAML, strings.Replace(validYAML, "title: X\n", "title: X\n    title: Y\n", 1), `f:4: mapping key "title" already defined`},
		{"duplicate CSV column", ingest.CSV, "title," + csvHead, "f:1: title: column given twice (columns 1 and 3)"},
		{"invalid UTF-8 in JSON", ingest.JSON, strings.Replace(validJSON, `"X"`, "\"X\xff\"", 1), "deployments[0].title: invalid UTF-8"},
		{"lone surrogate", ingest.JSON, strings.Replace(validJSON, `"X"`, `"\ud800"`, 1), "deployments[0].title: \\ud800 is half of a UTF-16 surrogate pair"},
		{"invalid UTF-8 in YAML", ingest.YAML, strings.Replace(validYAML, "title: X", "title: X\xff", 1), "f:3: deployments[0].title: invalid UTF-8"},
		{"invalid UTF-8 in CSV", ingest.CSV, csvHead + "sg-x,X\xff,SG,unknown,reported," + csvSources + ",,\n", "f:2: title: invalid UTF-8"},
		{"UTF-16", ingest.JSON, "\xff\xfe{\x00}\x00", "UTF-16"},
		{"4 KB id", ingest.JSON, strings.Replace(validJSON, `"sg-x"`, `"`+strings.Repeat("a", 4096)+`"`, 1), "deployments[0].id: deployment \"aaaa"},
		{"long summary", ingest.YAML, strings.Replace(validYAML, "title: X\n", "title: X\n    summary: "+strings.Repeat("a", 20_001)+"\n", 1), "f:4: deployments[0].summary: deployment \"sg-x\": at most 20000 characters (this one has 20001)"},
		{"-0 latitude", ingest.JSON, strings.Replace(validJSON, `"lat":1.5`, `"lat":-0.0`, 1), "f:1: deployments[0].place.lat: deployment \"sg-x\": is -0: write 0"},
		{"underflow to -0", ingest.JSON, strings.Replace(validJSON, `"lat":1.5`, `"lat":-1e-400`, 1), "is -0: write 0"},
		{"-0 in CSV", ingest.CSV, csvHead + "sg-x,X,SG,unknown,reported," + csvSources + ",-0,0\n", "f:2: deployments[0].place.lat"},
		{"NaN in CSV", ingest.CSV, csvHead + "sg-x,X,SG,unknown,reported," + csvSources + ",NaN,0\n", `f:2: lat: "NaN" is not a number`},
		{"hex in CSV", ingest.CSV, csvHead + "sg-x,X,SG,unknown,reported," + csvSources + ",0x1p3,0\n", `lat: "0x1p3" is not a number`},
		{".nan in YAML", ingest.YAML, strings.Replace(validYAML, "status:", "place: {lat: .nan, lon: 0}\n    status:", 1), "f:5: deployments[0].place.lat: NaN is not a finite number"},
		{"1e309", ingest.JSON, strings.Replace(validJSON, `"lat":1.5`, `"lat":1e309`, 1), "f:1: deployments.place.lat: expected float64, found a number 1e309"},
		{"NUL", ingest.JSON, strings.Replace(validJSON, `"X"`, `"a\u0000b"`, 1), "deployments[0].title: deployment \"sg-x\": holds the control character U+0000"},
		{"deep JSON", ingest.JSON, `{"claims":[{"value":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}]}`, "nested more than 32 deep"},
		{"deep YAML", ingest.YAML, "claims:\n  - value: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n", "nested more than 32 deep"},
		{"billion laughs", ingest.YAML, laughs(), "aliases expand the document"},
		{"YAML too large", ingest.YAML, validYAML + "#" + strings.Repeat("x", registry.MaxYAMLBytes), "a yaml file may have at most 1048576"},
		{"extra JSON", ingest.JSON, validJSON + "}", "f:1: invalid character '}' after top-level value"},
		{"unknown field", ingest.JSON, strings.Replace(validJSON, `"title"`, `"titel"`, 1), "f:1: deployments[0].titel: unknown field"},
		{"huge CSV cell", ingest.CSV, csvHead + "sg-x,\"" + strings.Repeat("a\n", registry.MaxCellBytes/2+1) + "\",SG,unknown,reported," + csvSources + ",,\n", "f:2: title: a cell of 1048580 bytes: a cell holds at most 1048576"},
		{"field name in another case in a JSON cell", ingest.CSV, csvHead + "sg-x,X,SG,unknown,reported,\"[{\"\"Key\"\":\"\"a\"\"}]\",,\n", "f:2: sources: [0].Key: unknown field"},
		{"trailing data in a JSON cell", ingest.CSV, csvHead + "sg-x,X,SG,unknown,reported,\"[] x\",,\n", "f:2: sources: not a JSON list"},
		{"duplicate key in a JSON cell", ingest.CSV, csvHead + "sg-x,X,SG,unknown,reported,\"[{\"\"key\"\":\"\"a\"\",\"\"key\"\":\"\"b\"\"}]\",,\n", `f:2: sources: [0].key: key "key" appears twice`},
	}
	for _, c := range cases {
		set, src, err := ingest.Parse("f", []byte(c.in), c.format)
		if err == nil {
			err = ingest.Check(set, src, known)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %.300v\nwant %q", c.name, err, c.want)
		}
	}
	for _, c := range []struct {
		format ingest.Format
		in     string
	}{{ingest.JSON, validJSON}, {ingest.YAML, validYAML}, {ingest.JSON, "\ufeff" + validJSON}, {ingest.YAML, strings.ReplaceAll(validYAML, "\n", "\r\n")}} {
		set, src, err := ingest.Parse("f", []byte(c.in), c.format)
		if err == nil {
			err = ingest.Check(set, src, known)
		}
		if err != nil {
			t.Errorf("a valid %s file is refused: %v", c.format, err)
		}
	}
}

func laughs() string {
	s := "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for i, p := 1, "a"; i < 9; i++ {
		n := string(rune('a' + i))
		s += n + ": &" + n + " [" + strings.Repeat("*"+p+", ", 8) + "*" + p + "]\n"
		p = n
	}
	return s
}

// TestCSVFormulaEscape checks that no exported cell starts as a formula,
// and that import gives back exactly what export was given, values that
// start with a quote included.
func TestCSVFormulaEscape(t *testing.T) {
	for _, v := range []string{"=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx", "'=x", "''=x", "'", "''", "'x", "-33.8",
		"'-33.8", "=", "plain", "", "-", "'\t", "-1e5", "+5", "1"} {
		e := ingest.EscapeCell(v)
		number := v == "-33.8" || v == "-1e5" || v == "1" // a plain number is left alone
		if e != "" && strings.IndexByte("=+-@\t\r", e[0]) >= 0 && !number {
			t.Errorf("EscapeCell(%q) = %q starts as a formula", v, e)
		}
		if got := ingest.UnescapeCell(e); got != v {
			t.Errorf("UnescapeCell(EscapeCell(%q)) = %q via %q", v, got, e)
		}
	}
	if got := ingest.EscapeCell("=1+1"); got != "'=1+1" {
		t.Errorf("EscapeCell(=1+1) = %q, want the OWASP single quote", got)
	}
	// Through a whole row: what export writes, import reads back.
	for _, title := range []string{"=cmd|' /C calc'!A0", "'=already quoted", "''+two", "'plain quote", "@user"} {
		set, _, err := ingest.Parse("f", []byte(validJSON), ingest.JSON)
		if err != nil {
			t.Fatal(err)
		}
		d := set.Deployments[0]
		d.Title, d.Notes = title, title
		rec, err := ingest.CSVRecord(d)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(ingest.CSVColumns)
		w.Write(rec)
		w.Flush()
		if c := rec[1]; strings.IndexByte("=+-@", c[0]) >= 0 {
			t.Errorf("title cell %q starts as a formula", c)
		}
		back, _, err := ingest.Parse("f.csv", b.Bytes(), ingest.CSV)
		if err != nil {
			t.Fatal(err)
		}
		if got := back.Deployments[0]; got.Title != title || got.Notes != title {
			t.Errorf("%q came back as %q / %q", title, got.Title, got.Notes)
		}
	}
}
