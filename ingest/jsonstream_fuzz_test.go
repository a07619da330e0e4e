package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"oversight/registry"
)

// FuzzStream feeds the streaming JSON reader what FuzzJSON feeds Parse,
// and holds it to Parse: whatever one accepts, the other accepts with the
// same records, and every error is of bounded size. The one input the
// stream may take and Parse refuse is an export's classification (which
// import ignores) holding a key twice or a string that is not UTF-8: the
// stream skips it without keeping it. It reads from memory, not a file,
// so that the fuzzer runs it often.
func FuzzStream(f *testing.F) {
	// Small built-in files only: the fuzzer minimises each new input it
	// finds byte by byte, which on the 100 KB of claims takes the whole
	// fuzzing time.
	names, _ := filepath.Glob("../data/*/*.yaml")
	seeds := 0
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 4<<10 || seeds == 12 {
			continue
		}
		seeds++
		set, _, err := Parse(name, b, YAML)
		if err != nil {
			f.Fatal(err)
		}
		js, err := json.Marshal(set)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(js)
	}
	for _, s := range []string{
		`{"deployments":[null]}`, `{"deployments":[{}]}`, `{"claims":[{"value":null}]}`, `{"deployments":null}`, `null`,
		`{"deployments":[{"id":"a","id":"b"}]}`, `{"deployments":[{"place":{"lat":-0.0,"lon":-0}}]}`,
		`{"deployments":[{"place":{"lat":1e309}}]}`, `{"deployments":[{"title":"\ud800"}]}`,
		"{\"deployments\":[{\"title\":\"\xff\xfe\"}]}", `{"deployments":[{"title":"a\u0000b"}]}`,
		"\ufeff{}", "\xff\xfe{\x00}\x00", `{"deployments":[]}}`, strings.Repeat("[", 100), `{"deployments":[]} {}`,
		`{"claims":[{"id":"x","value":[[[[[["a"]]]]]]}]}`, `{"vendors":[{"id":"` + strings.Repeat("a", 200) + `"}]}`,
		`{"classification":{"tiers":{"a":{"x":"y"},"b":[1,2,{"c":null}]}},"vendors":[]}`, `{"\u0076endors":[]}`,
		`{"Vendors":[]}`, `{"deployments":[],"deployments":[]}`, `{"deployments":[1,"a",true,[]]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []registry.Entity
		var err error
		r, err := newJSONRecords("fuzz", bytes.NewReader(data))
		for err == nil {
			var e registry.Entity
			if e, err = r.next(); err == nil {
				got = append(got, e)
			}
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
		if err != nil && len(err.Error()) > 64<<10 {
			t.Fatalf("an error message of %d bytes", len(err.Error()))
		}
		want, _, perr := Parse("fuzz", data, JSON)
		switch {
		case err != nil && perr == nil:
			t.Fatalf("the stream refuses what Parse reads: %v", err)
		case err == nil && perr != nil:
			if !strings.Contains(perr.Error(), "classification") {
				t.Fatalf("the stream reads what Parse refuses: %v", perr)
			}
		case err == nil:
			for _, kind := range registry.Kinds.Values {
				if a, b := canonicalOf(t, got, kind), canonicalOf(t, want.Entities(), kind); !slices.Equal(a, b) {
					t.Fatalf("the %s records streamed differ from those parsed:\n%s\n%s", kind, a, b)
				}
			}
		}
	})
}

// canonicalOf lists the canonical JSON of the records of a kind, in order.
func canonicalOf(t *testing.T, ents []registry.Entity, kind string) []string {
	var out []string
	for _, e := range ents {
		if e.Kind() != kind {
			continue
		}
		b, err := registry.Canonical(e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// FuzzStreamCSV holds the streaming CSV reader to Parse as FuzzStream
// holds the JSON one: the same deployments from whatever both accept, and
// no file one accepts that the other refuses.
func FuzzStreamCSV(f *testing.F) {
	head := "id,title,jurisdiction,status,certainty,sources\n"
	src := `"[{""key"":""a"",""url"":""https://example.org/""}]"`
	for _, s := range []string{
		head + "a,T,SG,unknown,reported," + src + "\n", head + "a,'=1+1,SG,unknown,reported," + src + "\n",
		head + "a,\"=HYPERLINK(\"\"x\"\")\",SG,unknown,reported," + src + "\n" + "b,T,SG,unknown,reported," + src + "\n",
		"id,id,title,jurisdiction,status,certainty,sources\n", head + "a,T\xffx,SG,unknown,reported," + src + "\n",
		"id,title,jurisdiction,status,certainty,sources,lat,lon\na,t,SG,unknown,reported," + src + ",-0,NaN\n",
		head + "a,t,SG,unknown,reported,\"[{\"\"key\"\":\"\"a\"\",\"\"key\"\":\"\"b\"\"}]\"\n", "\"", head + "\"a,b\n",
		"\ufeff" + head, strings.Replace(head, "\n", "\r\n", 1) + "a,t\r\n", head + "a,b\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []registry.Entity
		c, err := newCSVRecords("fuzz", bytes.NewReader(data))
		for err == nil {
			var e registry.Entity
			if e, err = c.next(); err == nil {
				got = append(got, e)
			}
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
		want, _, perr := Parse("fuzz", data, CSV)
		switch {
		case err != nil && perr == nil:
			t.Fatalf("the stream refuses what Parse reads: %v", err)
		case err == nil && perr != nil:
			t.Fatalf("the stream reads what Parse refuses: %v", perr)
		case err == nil:
			if a, b := canonicalOf(t, got, "deployment"), canonicalOf(t, want.Entities(), "deployment"); !slices.Equal(a, b) {
				t.Fatalf("the deployments streamed differ from those parsed:\n%s\n%s", a, b)
			}
		}
	})
}
