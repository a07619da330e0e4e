package ingest_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/ingest"
	"oversight/internal/yamldoc"
	"oversight/registry"
)

// The fuzz targets feed each importer what `oversight import` gives it: a
// whole file, in one format. Each must refuse or accept quickly, never
// panic, and report errors of bounded size; what it accepts must be
// stable (see accepted).

func FuzzJSON(f *testing.F) {
	for _, s := range dataSets(f) {
		b, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{"deployments":[null]}`, `{"deployments":[{}]}`, `{"claims":[{"value":null}]}`,
		`{"deployments":[{"id":"a","id":"b"}]}`, `{"deployments":[{"place":{"lat":-0.0,"lon":-0}}]}`,
		`{"deployments":[{"place":{"lat":1e309}}]}`, `{"deployments":[{"title":"\ud800"}]}`,
		"{\"deployments\":[{\"title\":\"\xff\xfe\"}]}", `{"deployments":[{"title":"a\u0000b"}]}`,
		"\ufeff{}", "\xff\xfe{\x00}\x00", `{"deployments":[]}}`, strings.Repeat("[", 100),
		`{"claims":[{"id":"x","value":[[[[[["a"]]]]]]}]}`, `{"vendors":[{"id":"` + strings.Repeat("a", 200) + `"}]}`,
		// A fact document alone, and in a list of facts.
		`{"schema":"observatory.facts/v0","deployment":{"id":"a"},"operator":{"type":"police"}}`,
		`{"schema":"observatory.facts/v0","deployment":{"id":"a"},"operator":{"type":"wizard"}}`,
		`{"facts":[{"schema":"observatory.facts/v0","deployment":{"id":"a"}},null,{}]}`, `{"schema":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { importer(t, data, ingest.JSON) })
}

func FuzzYAML(f *testing.F) {
	for _, name := range dataFiles(f) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"deployments:\n  -\n", "deployments: [null]\n", "deployments:\n  - id: a\n    id: b\n",
		"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "deployments:\n  - place: {lat: -0.0, lon: .nan}\n",
		"deployments:\n  - title: !!binary aGk=\n", "<<: {a: 1}\n", "--- 1\n--- 2\n", "\ufeffdeployments: []\n",
		"deployments: [" + strings.Repeat("[", 50) + "\n", "deployments:\n" + strings.Repeat("- \n", 50),
		"deployments:\n  - title: \"\\x00\"\n", "? [a]\n: 1\n", "deployments:\r\n  - id: crlf\r\n",
		"schema: observatory.facts/v0\ndeployment: {id: a}\noperator:\n  type: wizard\n", "schema: [1]\n",
		"facts:\n  - schema: observatory.facts/v0\n    deployment: {id: a}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { importer(t, data, ingest.YAML) })
}

func FuzzCSV(f *testing.F) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(ingest.CSVColumns)
	for _, s := range dataSets(f) {
		for _, d := range s.Deployments {
			rec, err := ingest.CSVRecord(d)
			if err != nil {
				f.Fatal(err)
			}
			w.Write(rec)
		}
	}
	w.Flush()
	f.Add(buf.Bytes())
	head := "id,title,jurisdiction,status,certainty,sources\n"
	src := `"[{""key"":""a"",""url"":""https://example.org/""}]"`
	for _, s := range []string{
		head + "a,'=1+1,SG,unknown,reported," + src + "\n", head + "a,''=x,SG,unknown,reported," + src + "\n",
		head + "a,\"=HYPERLINK(\"\"x\"\")\",SG,unknown,reported," + src + "\n",
		"id,id,title,jurisdiction,status,certainty,sources\n", head + "a,T\xffx,SG,unknown,reported," + src + "\n",
		"id,title,jurisdiction,status,certainty,sources,lat,lon\na,t,SG,unknown,reported," + src + ",-0,NaN\n",
		head + "a,t,SG,unknown,reported,\"[{\"\"key\"\":\"\"a\"\",\"\"key\"\":\"\"b\"\"}]\"\n", "\"", head + "\"a,b\n",
		"\ufeff" + head, strings.Replace(head, "\n", "\r\n", 1) + "a,t\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set := importer(t, data, ingest.CSV)
		if set == nil {
			return
		}
		// What a CSV file gives, a CSV export gives back.
		for _, d := range set.Deployments {
			if d.Validate() != nil {
				continue
			}
			rec, err := ingest.CSVRecord(d)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			w := csv.NewWriter(&out)
			w.Write(ingest.CSVColumns)
			w.Write(rec)
			w.Flush()
			back, _, err := ingest.Parse("back.csv", out.Bytes(), ingest.CSV)
			if err != nil {
				t.Fatalf("%s does not read back: %v\n%s", d.ID, err, out.Bytes())
			}
			a, _ := registry.Canonical(d)
			b, _ := registry.Canonical(back.Deployments[0])
			if !bytes.Equal(a, b) {
				t.Fatalf("CSV round trip changed\n%s\nto\n%s", a, b)
			}
		}
	})
}

func FuzzAIGS(f *testing.F) {
	sheet, err := os.ReadFile("../../shared/data/aigs-2022/aigs_2022_sheet1.csv")
	if err != nil {
		f.Skip("no AIGS sheet:", err)
	}
	f.Add(sheet)
	lines := strings.SplitAfter(string(sheet), "\n")
	f.Add([]byte(lines[0]))
	f.Add([]byte(lines[0] + lines[5]))
	f.Add([]byte(lines[0] + lines[5][:len(lines[5])/2]))
	f.Add([]byte(strings.Join(lines[:10], "")[:len(lines[0])+30] + "\""))
	for _, s := range []string{`"`, `""`, "\"a\nb", ",,,", "\xff\xfe", "\ufeff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { importer(t, data, ingest.AIGS) })
}

func FuzzAidData(f *testing.F) {
	extract, err := os.ReadFile("testdata/aiddata-gcdf3-extract.csv")
	if err != nil {
		f.Fatal(err)
	}
	// The three-row extract, not the stored 84-row one: the fuzzer
	// minimises each new input it finds by re-running it byte by byte,
	// which on a 40 KB seed takes the whole fuzzing time.
	f.Add(extract)
	lines := strings.SplitAfter(string(extract), "\n")
	f.Add([]byte(lines[0]))
	f.Add([]byte(lines[0] + lines[3] + lines[3]))
	f.Add([]byte(lines[0] + strings.Replace(lines[3], "Surveillance", "", 1) + lines[3]))
	f.Add([]byte(lines[0] + lines[1][:len(lines[1])/2]))
	f.Add([]byte(strings.ReplaceAll(lines[0], ".(MM/DD/YYYY)", "") + strings.Replace(lines[2], "2021-06-17", "6/17/2021", 1)))
	f.Add([]byte(lines[0] + strings.Replace(lines[3], "31760398.6190843", "-0", 1)))
	for _, s := range []string{`"`, "\ufeff", ",,,", "\xff\xfe", "Title\n\"a\nb"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { importer(t, data, ingest.AidData) })
}

// importer parses a file as `oversight import` does and checks it as
// against an empty register; it returns the set when it parses. Whatever
// the input, every record that validates must encode to canonical JSON
// that reads back to the same bytes: the log hashes those bytes and
// verify compares the tables with them.
func importer(t *testing.T, data []byte, f ingest.Format) *registry.Set {
	set, src, err := ingest.Parse("fuzz", data, f)
	if err != nil {
		boundedError(t, err)
		return nil
	}
	if err := ingest.Check(set, src, nil); err != nil {
		boundedError(t, err)
	}
	for _, e := range set.Entities() {
		if e.Validate() != nil {
			continue
		}
		a, err := registry.Canonical(e)
		if err != nil {
			t.Fatalf("%s %s validates but does not encode: %v", e.Kind(), e.Key(), err)
		}
		back, err := registry.Decode(e.Kind(), a)
		if err != nil {
			t.Fatalf("%s %s: canonical JSON does not decode: %v\n%s", e.Kind(), e.Key(), err, a)
		}
		if b, _ := registry.Canonical(back); !bytes.Equal(a, b) {
			t.Fatalf("canonical JSON is not stable:\n%s\n%s", a, b)
		}
	}
	return set
}

// boundedError fails when an error message is out of proportion: a
// message quotes clipped values, and lists at most 50 problems.
func boundedError(t *testing.T, err error) {
	if n := len(err.Error()); n > 64<<10 {
		t.Fatalf("an error message of %d bytes: %.300s", n, err)
	}
}

// dataFiles lists some of the built-in register's files, for seeds.
func dataFiles(f *testing.F) []string {
	var names []string
	for _, dir := range []string{"deployments", "jurisdictions", "vendors", "instruments", "claims", "facts"} {
		m, _ := filepath.Glob("../data/" + dir + "/*.yaml")
		names = append(names, m[:min(len(m), 8)]...)
	}
	if len(names) < 20 {
		f.Fatalf("only %d data files", len(names))
	}
	return names
}

// dataSets parses dataFiles.
func dataSets(f *testing.F) []*registry.Set {
	var out []*registry.Set
	for _, name := range dataFiles(f) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		s, _, err := ingest.Parse(name, b, ingest.YAML)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// FuzzDecodeJSON feeds DecodeJSON a deployment's JSON, as the API's bodies
// and the review page's edited record reach it. It must not panic; what it
// accepts must hold no key twice and only valid UTF-8 (yamldoc.CheckJSON),
// and encode to JSON it accepts again, encoding to the same bytes.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range dataSets(f) {
		for _, d := range s.Deployments[:min(3, len(s.Deployments))] {
			b, err := json.Marshal(d)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{"id":"a","id":"b"}`, `{"Title":"x"}`, `{"title":"x"}}`, `{"title":"x"} {"title":"y"}`,
		"{\"title\":\"\xff\"}", `{"title":"\ud800"}`, `{"place":{"lat":-0.0}}`, `{"nonsense":1}`,
		`null`, `[]`, `{"vendors":[null]}`, strings.Repeat(`{"place":`, 40) + "1" + strings.Repeat("}", 40),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d *registry.Deployment
		if err := ingest.DecodeJSON(data, &d); err != nil {
			return
		}
		if err := yamldoc.CheckJSON(data, registry.MaxDepth); err != nil {
			t.Fatalf("accepted what CheckJSON refuses (%v): %q", err, data)
		}
		again, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("accepted %q, which does not encode: %v", data, err)
		}
		var e *registry.Deployment
		if err := ingest.DecodeJSON(again, &e); err != nil {
			t.Fatalf("accepted %q but not its own encoding %s: %v", data, again, err)
		}
		// Encoded again, it is the same: an empty list, which the
		// encoding leaves out, reads back as none, and is logged as none.
		if twice, _ := json.Marshal(e); !bytes.Equal(again, twice) {
			t.Fatalf("%q encodes as %s, which reads back as %s", data, again, twice)
		}
	})
}
