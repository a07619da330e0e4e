package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"oversight/contrib"
	"oversight/registry"
)

// FuzzProposal feeds any body to the submission's reader and checks: no
// panic; an error names where it is (body…); and a body read whole whose
// proposal passes its checks encodes to JSON that reads back to a proposal
// passing them again, unchanged (what is kept is what was checked).
func FuzzProposal(f *testing.F) {
	for _, s := range []string{
		`{"kind":"new","record":{"id":"pk-x","title":"T","jurisdiction":"PK","status":{"value":"unknown"},"certainty":"reported"},"evidence":[{"url":"https://example.org/a"}]}`,
		`{"kind":"dispute","target":"pk-x","message":"m","evidence":[{"url":"https://example.org/a","language":"ur","translated":true,"excerpt":"q"}]}`,
		`{"kind":"new","kind":"change"}`, `{"evidence":[` + string(bytes.Repeat([]byte("["), 100)) + `]}`, `{"kind":"\xff"}`, `[]`, `null`, ``,
		`{"kind":"new","record":{"place":{"lat":-0}}}`, `{"kind":"new","unknown":1}`,
		`{"kind":"new","record":{"id":"my-x","title":"T","jurisdiction":"MY","operator":{"name":"Council","sources":["e1"]},"status":{"value":"unknown"},"certainty":"self_declared",` +
			`"declaration":{"answers":[{"scheme":"uk-atrs","field":"1.4","answer":"a@example.org"},{"scheme":"eu-ai-act","field":"C.3","answer":"https://example.org/eu"}]}},"evidence":[{"url":"https://example.org/a"}]}`,
		`{"kind":"new","record":{"declaration":{"by":"x","answers":[{"scheme":"eu-ai-act","field":"C.9","answer":"\u0000"}]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/submissions", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var p contrib.Proposal
		if err := readBody(httptest.NewRecorder(), r, &p); err != nil {
			for _, fe := range fieldsOf(err) {
				if fe.Path != "body" {
					t.Fatalf("an error of the body names %q", fe.Path)
				}
			}
			return
		}
		if errs := p.Check(); len(errs) > 0 {
			return
		}
		kept, err := json.Marshal(&p)
		if err != nil {
			t.Fatalf("a checked proposal does not encode: %v", err)
		}
		var again contrib.Proposal
		r = httptest.NewRequest("POST", "/", bytes.NewReader(kept))
		r.Header.Set("Content-Type", "application/json")
		if err := readBody(httptest.NewRecorder(), r, &again); err != nil {
			t.Fatalf("what is kept does not read back: %v\n%s", err, kept)
		}
		if errs := again.Check(); len(errs) > 0 {
			t.Fatalf("what is kept fails its checks: %v\n%s", errs, kept)
		}
		if b, _ := json.Marshal(&again); !bytes.Equal(b, kept) {
			t.Fatalf("read back differently:\n%s\n%s", kept, b)
		}
	})
}

// fieldsOf returns the fields an error names.
func fieldsOf(err error) registry.Errors {
	var e *registry.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
