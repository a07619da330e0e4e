package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/registry"
)

func TestJSONLines(t *testing.T) {
	data := []byte("{\n \"deployments\": [\n  {\"id\": \"a\",\n   \"vendors\": [\n     {\"vendor\": \"x\", \"role\": \"bad\"}\n   ]\n  }\n ]\n}\n")
	set, src, err := Parse("f.json", data, JSON)
	if err != nil {
		t.Fatal(err)
	}
	_ = set
	for path, want := range map[string]int{"deployments[0].id": 3, "deployments[0].vendors[0].role": 5, "deployments[0].title": 3, "deployments": 2} {
		if _, line, _ := src.Locate(path); line != want {
			t.Errorf("%s: line %d, want %d", path, line, want)
		}
	}
}

// TestCSVRoundTrip writes every built-in deployment as a CSV row and reads
// it back: the layout loses nothing.
func TestCSVRoundTrip(t *testing.T) {
	names, _ := filepath.Glob("../data/deployments/*.yaml")
	var want []*registry.Deployment
	for _, name := range names {
		b, _ := os.ReadFile(name)
		set, _, err := Parse(name, b, YAML)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, set.Deployments...)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(CSVColumns)
	for _, d := range want {
		rec, err := CSVRecord(d)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(rec)
	}
	w.Flush()
	got, _, err := Parse("round.csv", buf.Bytes(), CSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Deployments) != len(want) || len(want) < 36 {
		t.Fatalf("%d deployments back of %d", len(got.Deployments), len(want))
	}
	for i := range want {
		a, _ := json.Marshal(want[i])
		b, _ := json.Marshal(got.Deployments[i])
		if !bytes.Equal(a, b) {
			t.Errorf("%s changed in the CSV round trip:\n%s\n%s", want[i].ID, a, b)
		}
	}
	// A misspelt header is refused, naming the column and the allowed ones.
	bad := strings.Replace(buf.String(), "certainty", "certainity", 1)
	if _, _, err := Parse("bad.csv", []byte(bad), CSV); err == nil || !strings.Contains(err.Error(), "bad.csv:1: certainity: unknown column") {
		t.Errorf("misspelt header: %v", err)
	}
}
