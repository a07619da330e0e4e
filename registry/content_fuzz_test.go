package registry_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"oversight/registry"
)

// FuzzOpenRecord checks the reader of the log's record formats against
// its contract: whatever record, salt and content it is given, it returns
// an error or a revision; a format-2 revision it opens has content whose
// canonical bytes are the ones given and hash with the salt to its
// commitment, and sealing it again with that salt gives a leaf that opens
// to the same revision.
func FuzzOpenRecord(f *testing.F) {
	salt := bytes.Repeat([]byte{7}, registry.SaltSize)
	rev := &registry.Revision{Seq: 7, Kind: "deployment", ID: "sg-example", Op: "update", Author: "cli", Reason: "a reason", Contributor: "anon-1",
		Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), State: json.RawMessage(seedDeployment)}
	leaf, content, err := rev.Seal(salt)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(leaf, salt, content)
	f.Add(leaf, []byte(nil), []byte(nil))                                        // redacted
	f.Add(leaf, salt[1:], content)                                               // short salt
	f.Add(leaf, salt, append(content[:len(content)-1:len(content)-1], ' ', '}')) // not canonical
	n := int64(3)
	red := &registry.Revision{Seq: 9, Kind: "deployment", ID: "sg-example", Op: "redact", Redacts: &n, Author: "court", Reason: "order", Time: rev.Time}
	leaf, content, _ = red.Seal(salt)
	f.Add(leaf, salt, content)
	one := &registry.Revision{Seq: 1, Kind: "vendor", ID: "v", Op: "create", Author: "a", Time: rev.Time, State: json.RawMessage(`{"id":"v"}`)}
	rec, _ := one.Record()
	f.Add(rec, []byte(nil), []byte(nil))
	f.Add(rec, salt, []byte(`{}`))
	f.Add([]byte(`{"format":3,"seq":1}`), []byte(nil), []byte(nil))
	f.Add([]byte(`{"format":2,"seq":1,"kind":"k","id":"i","op":"redact","author":"a","redacts":1,"time":"2026-01-01T00:00:00Z","commitment":"00"}`), []byte(nil), []byte(nil))
	f.Fuzz(func(t *testing.T, rec, salt, content []byte) {
		r, err := registry.OpenRecord(rec, salt, content)
		if err != nil || r.Format != registry.Format2 || r.Redacted {
			return
		}
		again, err := r.Content()
		if err != nil || !bytes.Equal(again, content) {
			t.Fatalf("content opened is not the bytes given:\n%s\n%s", content, again)
		}
		if registry.Commit(salt, content) != r.Commitment {
			t.Fatal("content opened that does not hash to the commitment")
		}
		leaf, c2, err := r.Seal(salt)
		if err != nil || !bytes.Equal(c2, content) {
			t.Fatalf("sealing again: %v", err)
		}
		back, err := registry.OpenRecord(leaf, salt, c2)
		if err != nil {
			t.Fatalf("a sealed leaf does not open: %v\n%s", err, leaf)
		}
		if !back.Time.Equal(r.Time) {
			t.Fatalf("time %v, was %v", back.Time, r.Time)
		}
		back.Time, r.Time = time.Time{}, time.Time{}
		if !reflect.DeepEqual(back, r) {
			t.Fatalf("sealed and opened again:\n%+v\nwas\n%+v", back, r)
		}
	})
}
