package ingest_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"oversight/ingest"
	"oversight/internal/yamldoc"
	"oversight/registry"
)

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
