package registry

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// wantValue is isValue's contract, in the standard library's terms.
func wantValue(b []byte) bool {
	return len(b) > 0 && len(bytes.TrimSpace(b)) == len(b) && json.Valid(b)
}

// valueCases are values and near-values at each of JSON's edges.
var valueCases = []string{
	``, ` `, `0`, `-0`, `-`, `01`, `1.`, `1.5`, `.5`, `1e5`, `1E+5`, `1e-05`, `1e`, `1e+`, `-01`, `2.5e3.1`,
	`true`, `tru`, `truex`, `false`, `null`, `nul`, `NaN`, `Infinity`,
	`""`, `"`, `"a`, `"\"`, `"\\"`, `"\/"`, `"\u00e9"`, `"\u00E9"`, `"\u00g9"`, `"\u00e"`, `"\x"`, `"\'"`,
	"\"\x1f\"", "\"\x7f\"", "\"\xff\xfe\"", "\"é\"", "\"\t\"",
	`{}`, `{ }`, `{"a":1}`, `{"a" : 1 , "b" : [ ] }`, `{"a":1,}`, `{,}`, `{"a"}`, `{"a":}`, `{1:2}`, `{"a":1 "b":2}`,
	`[]`, `[ ]`, `[1,2]`, `[1,]`, `[,1]`, `[1 2]`, `[[[]]]`, `[`, `]`, `[}`, `{]`,
	` 1`, `1 `, "1\n", "\t{}", `1 2`, `{}{}`, `{} `, "\v1", "1\f", "\u00a01", "1\u0085",
	"{\"a\":\r\n\t1}", `[1,{"b":[true,false,null,"x",-1.5e-3]}]`,
}

func TestIsValue(t *testing.T) {
	cases := valueCases
	deep := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	deeper := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	deepObj := strings.Repeat(`{"a":`, maxDepth) + "1" + strings.Repeat("}", maxDepth)
	deeperObj := strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1)
	cases = append(cases, deep, deeper, deepObj, deeperObj)
	for _, c := range cases {
		if got, want := isValue([]byte(c)), wantValue([]byte(c)); got != want {
			t.Errorf("isValue(%.40q) = %v, json.Valid and no space around says %v", c, got, want)
		}
	}
	// The edges above are not all one answer: the test would pass a
	// validator that said yes, or no, to everything.
	if !isValue([]byte(deep)) || isValue([]byte(deeper)) || !isValue([]byte(`{"a":[1,"x"]}`)) || isValue([]byte(`{"a":[1,"x"]`)) {
		t.Fatal("isValue is wrong at the depth limit or on a plain object")
	}
}

// FuzzIsValue compares isValue with json.Valid on any bytes.
func FuzzIsValue(f *testing.F) {
	for _, c := range valueCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := isValue(b), wantValue(b); got != want {
			t.Fatalf("isValue(%q) = %v, want %v", b, got, want)
		}
	})
}

// BenchmarkIsValue times both on a state of the synthetic register's size.
func BenchmarkIsValue(b *testing.B) {
	state := []byte(`{"id":"synthetic-00000003","title":"Smart city surveillance in Lahore","jurisdiction":"PK",` +
		`"summary":"A synthetic deployment of video analytics and facial recognition with \"quotes\" and \u00e9.",` +
		`"place":{"name":"Lahore","level":"city","lat":31.52,"lon":74.35},"system":{"capabilities":["cctv","facial_recognition","behaviour_anomaly_detection"],"sources":["a"]},` +
		`"vendors":[{"vendor":"huawei","role":"prime","sources":["a"]}],"scale":{"cameras":8000,"sources":["a"]},` +
		`"dates":[{"event":"live","date":"2019-05","sources":["a"]}],"status":{"value":"active","sources":["a"]},` +
		`"financing":[{"instrument":"loan","amount":1.5e6,"currency":"USD","sources":["a"]}],"certainty":"reported",` +
		`"sources":[{"key":"a","url":"https://example.org/a","title":"A page","published":"2019-01-02"}]}`)
	b.Run("isValue", func(b *testing.B) {
		b.SetBytes(int64(len(state)))
		for b.Loop() {
			if !isValue(state) {
				b.Fatal("not a value")
			}
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(state)))
		for b.Loop() {
			if !wantValue(state) {
				b.Fatal("not a value")
			}
		}
	})
}
