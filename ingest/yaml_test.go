package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"oversight/registry"
)

// TestYAMLFastPathMatchesStrictDecoder checks, on every built-in data
// file, that decoding through JSON gives exactly what goccy/go-yaml's own
// strict decoder gives (dates, bare years and numbers included).
func TestYAMLFastPathMatchesStrictDecoder(t *testing.T) {
	names, _ := filepath.Glob("../data/*/*.yaml")
	if len(names) < 50 {
		t.Fatalf("only %d data files found", len(names))
	}
	for _, name := range names {
		if filepath.Base(filepath.Dir(name)) == "facts" {
			continue // fact documents are read by package rules
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := Parse(name, b, YAML)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var want registry.Set
		if err := yaml.UnmarshalWithOptions(b, &want, yaml.Strict(), yaml.UseJSONUnmarshaler()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("%s: the two decoders disagree", name)
		}
	}
}

func TestYAMLErrorsNameLine(t *testing.T) {
	cases := map[string]string{
		"deployments:\n  - id: x\n    titel: y\n":               "f.yaml:3",
		"deployments:\n  - id: x\n    scale: {cameras: many}\n": "f.yaml:3",
		"deployments: [\n": "f.yaml:",
	}
	for body, want := range cases {
		_, _, err := Parse("f.yaml", []byte(body), YAML)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v does not name %s", body, err, want)
		}
	}
}
