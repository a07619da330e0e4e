package registry_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"oversight/registry"
)

// seedDeployment is a valid deployment, the base of the seeds below.
const seedDeployment = `{"id":"sg-example","title":"Example","jurisdiction":"SG","summary":"A <b>test</b> & more",` +
	`"place":{"name":"Singapore","level":"city","lat":1.29,"lon":103.85},"system":{"capabilities":["cctv"],"sources":["a"]},` +
	`"vendors":[{"vendor":"v","role":"prime","sources":["a"]}],"scale":{"cameras":10,"sources":["a"]},` +
	`"dates":[{"event":"live","date":"2019-05","sources":["a"]}],"status":{"value":"active","sources":["a"]},` +
	`"financing":[{"instrument":"grant","amount":1.5e6,"currency":"USD","sources":["a"]}],"certainty":"reported",` +
	`"sources":[{"key":"a","url":"https://example.org/a","published":"2019-01-02"}]}`

// FuzzParseRecord checks the log's record parser against its contract:
// whatever it accepts, json.Unmarshal gives the same revision, and what
// Unmarshal refuses it refuses.
func FuzzParseRecord(f *testing.F) {
	rev := &registry.Revision{Seq: 7, Kind: "deployment", ID: "sg-example", Op: "create", Author: "cli",
		Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), State: json.RawMessage(seedDeployment)}
	rec, err := rev.RecordOfCanonical()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(rec)
	rev.Reason, rev.Op, rev.State = "a reason", "retract", nil
	rec, _ = rev.Record()
	f.Add(rec)
	rev.Into = "sg-other" // a merge
	rec, _ = rev.Record()
	f.Add(rec)
	for _, s := range []string{
		`{"seq":1,"kind":"k","id":"i","op":"create","author":"a","time":"2026-01-01T00:00:00Z","state": {"a":1}}`,
		`{"seq":1,"kind":"k","id":"i","op":"create","author":"a","time":"2026-01-01T00:00:00Z","state":{"a":1} }`,
		`{"seq":1,"kind":"k","id":"i","op":"create","author":"a","time":"2026-01-01T24:00:00Z"}`,
		`{"seq":1,"kind":"k","id":"i","op":"create","author":"a","time":"2026-01-01T00:00:00,5Z"}`,
		`{"seq":01,"kind":"k","id":"i","op":"create","author":"a","time":"2026-01-01T00:00:00Z"}`,
		`{"seq":1,"kind":"k","id":"i","op":"create","author":"a","time":"2026-01-01T00:00:00Z","state":null}`,
		`{"seq":1,"kind":"\u006b","id":"i","op":"create","author":"a","time":"2026-01-01T00:00:00Z"}`,
		`{"seq":1,"kind":"k","id":"i","op":"retract","author":"a","into":"j","time":"2026-01-01T00:00:00Z"}`,
		`{"seq":1,"kind":"k","id":"i","op":"retract","author":"a","into":"j","reason":"r","time":"2026-01-01T00:00:00Z"}`,
		`{"SEQ":1,"seq":2}`, `{"seq":99999999999999999999}`, "", "null", "{}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		got, err := registry.ParseRecord(rec)
		var want registry.Revision
		werr := json.Unmarshal(rec, &want)
		if (err == nil) != (werr == nil) {
			t.Fatalf("ParseRecord: %v; Unmarshal: %v", err, werr)
		}
		if err != nil {
			return
		}
		if !got.Time.Equal(want.Time) || got.Time.Location().String() != want.Time.Location().String() {
			t.Fatalf("time %v, Unmarshal gives %v", got.Time, want.Time)
		}
		got.Time, want.Time = time.Time{}, time.Time{}
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("ParseRecord gives\n%+v\nUnmarshal gives\n%+v", *got, want)
		}
	})
}

// FuzzCanonical decodes any state as each kind of record: what validates
// must encode to canonical JSON that reads back to the same bytes, since
// the log hashes those bytes and verify compares the tables with them.
func FuzzCanonical(f *testing.F) {
	f.Add(seedDeployment)
	for _, s := range []string{
		strings.Replace(seedDeployment, `"lat":1.29`, `"lat":-0.0`, 1),
		strings.Replace(seedDeployment, `"Example"`, `"Ex\u0000ample"`, 1),
		strings.Replace(seedDeployment, `"Example"`, "\"Ex\xffample\"", 1),
		strings.Replace(seedDeployment, `"cctv"]`, `"cctv"],"purposes":[]`, 1),
		strings.Replace(seedDeployment, `"capabilities":["cctv"],"sources":["a"]`, `"capabilities":[]`, 1),
		strings.Replace(seedDeployment, `"amount":1.5e6`, `"amount":12345678901234567890`, 1),
		strings.Replace(seedDeployment, `"sg-example"`, `"`+strings.Repeat("a", 4096)+`"`, 1),
		`{"id":"c","jurisdiction":"SG","dataset":"d","indicator":"i","value":-0,"sources":[{"key":"a","url":"https://x.org"}]}`,
		`{"id":"c","jurisdiction":"SG","dataset":"d","indicator":"i","value":["a",1],"sources":[{"key":"a","url":"https://x.org"}]}`,
		`{"id":"v","name":"V","type":"company","ownership":"private","aliases":[]}`,
		`{"schema":"observatory.facts/v0","deployment":{"id":"a","jurisdiction":"SG"},"deployment_x":1}`,
		`{"schema":"observatory.facts/v0","deployment":{"id":"a","scale":{"cameras":1.0e3}},"system":{"capabilities":["remote_biometric_identification"]}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, state string) {
		for _, kind := range registry.Kinds.Values {
			e, err := registry.Decode(kind, []byte(state))
			if err != nil || e.Validate() != nil {
				continue
			}
			a, err := registry.Canonical(e)
			if err != nil {
				t.Fatalf("%s validates but does not encode: %v", kind, err)
			}
			back, err := registry.Decode(kind, a)
			if err != nil {
				t.Fatalf("%s: canonical JSON does not decode: %v\n%s", kind, err, a)
			}
			if b, _ := registry.Canonical(back); !bytes.Equal(a, b) {
				t.Fatalf("%s: canonical JSON is not stable:\n%s\n%s", kind, a, b)
			}
		}
	})
}
