package yamldoc

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// FuzzParse checks Parse against goccy/go-yaml's own YAMLToJSON: where
// both give valid JSON they give the same values, and every value is on
// its YAML line. Parse must stay within its bounds whatever the input.
func FuzzParse(f *testing.F) {
	names, _ := filepath.Glob("../../data/*/*.yaml")
	for _, name := range names[:min(len(names), 20)] {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"a: &a [x, x]\nb: &b [*a, *a]\n", "a: &a [*a]\n", "<<: {a: 1}\n", "a: [1, -0.0, .inf, 0x1F, 1_000, ~, yes, True]\n",
		"a: !!str 12\nb: !!binary aGk=\n", "'x\xffy'", "a: |\n  x\n  y\n", "--- 1\n--- 2\n", "- \n- a\n", "1: a\n\"1\": b\n",
		"a:\r\n  - b\r\n", strings.Repeat("[", 1001), "\ufeffa: 1\n", "\xff\xfe", "? [a]\n: 1\n", "a: \"\\ud83d\\ude00\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		var got any
		if err := json.Unmarshal(d.JSON, &got); err != nil {
			t.Fatalf("Parse wrote invalid JSON: %v\n%s", err, d.JSON)
		}
		if n := bytes.Count(d.JSON, []byte("\n")); n > yamlLineBreaks(data) {
			t.Fatalf("the JSON has %d lines, more than the YAML", n)
		}
		want, err := yaml.YAMLToJSON(bytes.TrimPrefix(data, []byte("\ufeff"))) // goccy keeps a BOM in the first key
		var w any
		if err != nil || json.Unmarshal(want, &w) != nil {
			return // goccy/go-yaml writes no valid JSON for it: nothing to compare
		}
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("Parse and YAMLToJSON disagree:\n%s\n%s", d.JSON, want)
		}
	})
}

// FuzzCheckJSON runs CheckJSON and Paths on anything: they must not
// panic, and on a document encoding/json reads, a document CheckJSON
// passes decodes to what the scanner saw.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"c"}]}`, `{"a":1,"a":2}`, `{"a":"\ud800"}`, "{\"a\":\"\xff\"}", `[[[[]]]]`,
		`{"a\u0062":1,"ab":2}`, `"x"`, `1e309`, `{"a":1} x`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := CheckJSON(data, 8)
		paths := Paths(data, nil)
		if err != nil || !json.Valid(data) {
			return
		}
		if _, ok := paths[""]; !ok {
			t.Fatalf("Paths found no root value")
		}
	})
}

// yamlLineBreaks counts the line breaks of a YAML document as YAML reads
// them: CR LF, a lone CR and a lone LF each end a line.
func yamlLineBreaks(data []byte) int {
	return bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n"))
}
