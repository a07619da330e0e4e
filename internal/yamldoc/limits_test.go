package yamldoc

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// TestConvertMatchesGoccy converts every YAML file of the project (data,
// fact documents, frameworks) and compares the values with goccy/go-yaml's
// own YAMLToJSON, and checks each value kept its line.
func TestConvertMatchesGoccy(t *testing.T) {
	var names []string
	filepath.Walk("../..", func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".yaml") && !strings.Contains(p, "/testdata/") {
			names = append(names, p)
		}
		return nil
	})
	if len(names) < 200 {
		t.Fatalf("only %d YAML files", len(names))
	}
	for _, name := range names {
		b, _ := os.ReadFile(name)
		d, err := Parse(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, err := yaml.YAMLToJSON(b)
		if err != nil {
			t.Fatalf("%s: goccy: %v", name, err)
		}
		var a, w any
		if err := json.Unmarshal(d.JSON, &a); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		json.Unmarshal(want, &w)
		if !reflect.DeepEqual(a, w) {
			t.Errorf("%s: the conversions differ", name)
		}
	}
}

// TestLinesKept checks that a value's line in the JSON is its YAML line.
func TestLinesKept(t *testing.T) {
	src := "# comment\nlist:\n  - id: a\n    note: |\n      two\n      lines\n    after: 1\n  - {id: b}\n"
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"list": 3, "list[0].id": 3, "list[0].note": 4, "list[0].after": 7, "list[1]": 8, "list[1].id": 8}
	got := Paths(d.JSON, nil)
	for p, l := range want {
		if got[p] != l {
			t.Errorf("%s: line %d, want %d", p, got[p], l)
		}
	}
}

// TestBounds checks that each bound refuses its document, naming the bound,
// and that none runs away: the time limit catches a parse that grows
// without bound (minutes, or memory exhausted), not a slow machine, so it
// is far above the fraction of a second each takes on an idle one. (It was
// 2 s, which a 200,000-token document passed 3.7 s into on a busy 2-core
// machine.)
func TestBounds(t *testing.T) {
	laughs := "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for i, p := 1, "a"; i < 9; i++ {
		n := string(rune('a' + i))
		laughs += n + ": &" + n + " [" + strings.Repeat("*"+p+", ", 8) + "*" + p + "]\n"
		p = n
	}
	cases := map[string]string{
		laughs: "aliases expand the document",
		"s: &s \"" + strings.Repeat("x", 100_000) + "\"\nl: [" + strings.Repeat("*s, ", 20) + "*s]\n": "aliases expand the document",
		strings.Repeat("[", MaxDepth+1):                          "nested more than 1000 deep",
		"l: [" + strings.Repeat("1,", MaxTokens) + "1]\n":        "more than 200000 tokens",
		"m:\n" + strings.Repeat("  k: 1\n", MaxBlockKeys+1):      "more than 5000 keys",
		"l:\n" + strings.Repeat("  -\n", MaxEmptyValues+1):       "more than 1000 values are left empty",
		"a:\n  b: ok\n  c: \"x\xffy\"\n":                         "invalid UTF-8 (byte 0xff)",
		"\xff\xfea\x00:\x00":                                     "UTF-16",
		"base: &b {id: x}\nd:\n  <<: *b\n":                       "merge keys",
		"a: [1, .nan]\n":                                         "not a finite number",
		"a: &a [*a]\n":                                           "names no anchor",
		"x: " + strings.Repeat("- ", 100) + "y\n":                "",
		"m:\n" + strings.Repeat("  k: 1\n", 2) + "  k: 2\n":      "already defined",
		"1: a\n\"1\": b\n":                                       "already defined",
		"l:\n" + strings.Repeat("  - a\n", MaxEmptyValues+1):     "-",
		"m:\n" + strings.Repeat("  - k: \n    v: 1\n", 600):      "-",
		"l: [\n" + strings.Repeat("  [a, b],\n", 10_000) + "]\n": "-",
	}
	for doc, want := range cases {
		start := time.Now()
		_, err := Parse([]byte(doc))
		if took := time.Since(start); took > 30*time.Second {
			t.Errorf("%.40q took %v", doc, took)
		}
		switch {
		case want == "-" && err != nil:
			t.Errorf("%.40q: %v", doc, err)
		case want != "-" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%.40q: %v, want %q", doc, err, want)
		}
	}
	// Invalid UTF-8 is reported at its line, in its field.
	_, err := Parse([]byte("a:\n  b: ok\n  c: \"x\xffy\"\n"))
	if e, ok := err.(*Error); !ok || e.Line != 3 || e.Path != "a.c" {
		t.Errorf("invalid UTF-8: %#v", err)
	}
}

func TestCheckJSON(t *testing.T) {
	many := make([]string, 40)
	for i := range many {
		many[i] = `"k` + strings.Repeat("x", i) + `":1`
	}
	cases := map[string]string{
		`{"a":[1,{"b":"c"}],"d":"\u00e9\ud83d\ude00"}`: "",
		`{"a":1,"a":2}`:                                 `a: key "a" appears twice`,
		`{"a":{"b":1,"\u0062":2}}`:                      `a.b: key "b" appears twice`,
		`{` + strings.Join(many, ",") + `,"kxx":2}`:     `kxx: key "kxx" appears twice`,
		`{"l":[0,"\ud800"]}`:                            `l[1]: \ud800 is half`,
		`{"l":[0,"\udc00\ud800"]}`:                      `\udc00 is half`,
		"{\"l\":\n[\"\xff\"]}":                          "l[0]: invalid UTF-8",
		strings.Repeat("[", 9) + strings.Repeat("]", 9): "nested more than 8 deep",
		`{"a":1} x`:                                     "extra data",
	}
	for doc, want := range cases {
		err := CheckJSON([]byte(doc), 8)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("%.60s: %v, want %q", doc, err, want)
		}
	}
	if e, ok := CheckJSON([]byte("{\"l\":\n[\"\xff\"]}"), 8).(*Error); !ok || e.Line != 2 {
		t.Errorf("the error is not at line 2: %v", e)
	}
	if !bytes.Equal([]byte(`"x"`), appendString(nil, "x")) {
		t.Error("appendString")
	}
}
