package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	good := map[string]Date{"2016": {Year: 2016}, "2016-06": {Year: 2016, Month: 6}, "2024-02-29": {Year: 2024, Month: 2, Day: 29}}
	for s, want := range good {
		d, err := ParseDate(s)
		if err != nil || d != want || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"2019-02-30", "2023-02-29", "2016-13", "16-06-01", "2016-6-1", "1850", "soon", "2016-06-01-01"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted an impossible date", s)
		}
	}
}

func TestDateJSON(t *testing.T) {
	var v struct{ A, B, C Date }
	if err := json.Unmarshal([]byte(`{"A": 2016, "B": "2016-06", "C": "2019-02-30"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.String() != "2016" || v.B.String() != "2016-06" {
		t.Errorf("decoded %v %v", v.A, v.B)
	}
	// An impossible date decodes, so that validation can name its field.
	if v.C.Err() == nil || v.C.IsZero() {
		t.Error("an impossible date was not kept for validation")
	}
}

func TestDateBefore(t *testing.T) {
	if !(Date{Year: 2015}).Before(Date{Year: 2016, Month: 1}) || (Date{Year: 2016}).Before(Date{Year: 2016, Month: 3}) {
		t.Error("Before compares at the coarser precision")
	}
}

func valid() *Deployment {
	return &Deployment{
		ID: "pk-test", Title: "Test", Jurisdiction: "PK", Certainty: "reported",
		Status:  Status{Value: "active", Sources: []string{"a"}},
		Vendors: []VendorRole{{Vendor: "huawei", Role: "prime", Sources: []string{"a"}}},
		Dates:   []DatedEvent{{Event: "live", Date: Date{Year: 2016}, Sources: []string{"a"}}},
		Sources: []Source{{Key: "a", URL: "https://example.org/a"}},
	}
}

func TestDeploymentValidate(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		edit func(*Deployment)
		want string
	}{
		{func(d *Deployment) { d.ID = "Not A Slug" }, "id: "},
		{func(d *Deployment) { d.Jurisdiction = "Pakistan" }, "jurisdiction: "},
		{func(d *Deployment) { d.Sources = nil; d.Status.Sources = nil; d.Vendors = nil; d.Dates = nil }, "sources: at least one source is required"},
		{func(d *Deployment) { d.Sources[0].URL = "ftp://x" }, "sources[0].url"},
		{func(d *Deployment) { d.Sources = append(d.Sources, d.Sources[0]) }, "duplicate source key"},
		{func(d *Deployment) { d.Vendors[0].Sources = nil }, "vendors[0].sources: a stated fact needs"},
		{func(d *Deployment) { d.Vendors[0].Sources = []string{"b"} }, `vendors[0].sources[0]: "b" is not the key`},
		{func(d *Deployment) { d.Vendors[0].Role = "seller" }, "vendors[0].role"},
		{func(d *Deployment) {
			d.System.Capabilities = []string{"mind_reading"}
			d.System.Sources = []string{"a"}
		}, "allowed: cctv"},
		{func(d *Deployment) { d.Certainty = "" }, "certainty: is required"},
		{func(d *Deployment) { d.Sources[0].Original = "Камеры" }, "sources[0].original: the original quote and its translator go with an excerpt marked translated"},
		{func(d *Deployment) { d.Dates[0].Date = Date{bad: "2019-02-30"} }, "dates[0].date: date \"2019-02-30\" does not exist"},
		{func(d *Deployment) {
			d.Dates = append(d.Dates, DatedEvent{Event: "ended", Date: Date{Year: 2015}, Sources: []string{"a"}})
		}, "ended 2015 is before live 2016"},
		{func(d *Deployment) {
			n := -1.0
			d.Financing = []Financing{{Instrument: "grant", Amount: &n, Sources: []string{"a"}}}
		}, "financing[0].amount: must not be negative"},
	}
	for _, c := range cases {
		d := valid()
		c.edit(d)
		err := d.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an error containing %q, got %v", c.want, err)
		}
	}
}

func TestJurisdictionNeedsEverySafeguard(t *testing.T) {
	j := &Jurisdiction{Code: "PK", Name: "Pakistan", Region: "asia_pacific", Subregion: "south_asia"}
	err := j.Validate()
	if err == nil || !strings.Contains(err.Error(), `safeguard "ai_law" is missing`) {
		t.Fatalf("got %v", err)
	}
	for _, k := range SafeguardKinds.Values[:7] {
		j.Safeguards = append(j.Safeguards, Safeguard{Kind: k, Status: "unknown"})
	}
	if err := j.Validate(); err != nil {
		t.Fatal(err)
	}
	j.Safeguards[0].Status = "yes"
	if err := j.Validate(); err == nil {
		t.Error("a known safeguard without a source was accepted")
	}
}

func TestSetCheckReferences(t *testing.T) {
	s := &Set{Deployments: []*Deployment{valid(), valid()}}
	errs := s.Check(func(kind, id string) bool { return kind == "jurisdiction" })
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, `duplicate id "pk-test"`) || !strings.Contains(all, `no vendor "huawei"`) {
		t.Errorf("got:\n%s", all)
	}
}

// TestParseRecord checks that the fast reading of records gives what a
// full decode gives, for records of the usual shape and others.
func TestParseRecord(t *testing.T) {
	at := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)
	revs := []Revision{
		{Seq: 0, Kind: "deployment", ID: "pk-a", Op: "create", Author: "someone", Time: at, State: json.RawMessage(`{"id":"pk-a","title":"A \"quoted\" title"}`)},
		{Seq: 12345, Kind: "vendor", ID: "v", Op: "update", Author: "a", Reason: "fix", Time: at.Add(1500 * time.Millisecond), State: json.RawMessage(`{"id":"v"}`)},
		{Seq: 7, Kind: "deployment", ID: "pk-a", Op: "retract", Author: "Zoë", Reason: "duplicate of pk-b", Time: at},
		{Seq: 8, Kind: "claim", ID: "c", Op: "create", Author: `back\slash`, Time: at, State: json.RawMessage(`{}`)},
	}
	for _, r := range revs {
		rec, err := r.Record()
		if err != nil {
			t.Fatal(err)
		}
		var want Revision
		if err := json.Unmarshal(rec, &want); err != nil {
			t.Fatal(err)
		}
		got, err := ParseRecord(rec)
		if err != nil {
			t.Fatalf("%s: %v", rec, err)
		}
		if got.Seq != want.Seq || got.Kind != want.Kind || got.ID != want.ID || got.Op != want.Op || got.Author != want.Author ||
			got.Reason != want.Reason || !got.Time.Equal(want.Time) || !bytes.Equal(got.State, want.State) {
			t.Errorf("%s:\n got %+v\nwant %+v", rec, got, want)
		}
	}
	// The usual fields in another order, spaces, a leading zero, and
	// trailing bytes are not the usual shape: decoded in full or refused.
	for _, rec := range []string{
		`{"kind":"vendor","seq":3,"id":"v","op":"create","author":"a","time":"2026-11-24T19:00:00Z"}`,
		`{"seq": 3,"kind":"vendor","id":"v","op":"create","author":"a","time":"2026-11-24T19:00:00Z"}`,
	} {
		got, err := ParseRecord([]byte(rec))
		if err != nil || got.Seq != 3 || got.Kind != "vendor" {
			t.Errorf("%s: %+v, %v", rec, got, err)
		}
	}
	for _, rec := range []string{
		`{"seq":03,"kind":"vendor","id":"v","op":"create","author":"a","time":"2026-11-24T19:00:00Z"}`,
		`{"seq":3,"kind":"vendor","id":"v","op":"create","author":"a","time":"2026-11-24T19:00:00Z"}x`,
		`{"seq":3,"kind":"vendor","id":"v","op":"create","author":"a","time":"2026-11-24T19:00:00Z","state":{"id":"v"}`,
	} {
		if got, err := ParseRecord([]byte(rec)); err == nil {
			t.Errorf("%s: accepted as %+v", rec, got)
		}
	}
}

// TestRecordOfCanonical checks the short way to a record against Record,
// for states with characters JSON escapes.
func TestRecordOfCanonical(t *testing.T) {
	at := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)
	for _, e := range []Entity{
		&Vendor{ID: "v", Name: "A <b> & \"c\" \u2028", Type: "company", Ownership: "private", Headquarters: "CN"},
		&Jurisdiction{Code: "PK", Name: "Pakistan", Subregion: "south_asia"},
	} {
		state, err := Canonical(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []Revision{
			{Seq: 3, Kind: e.Kind(), ID: e.Key(), Op: "create", Author: "a", Time: at, State: state},
			{Seq: 4, Kind: e.Kind(), ID: e.Key(), Op: "update", Author: "a <b>", Reason: "x & y", Time: at, State: state},
			{Seq: 5, Kind: e.Kind(), ID: e.Key(), Op: "retract", Author: "a", Time: at},
		} {
			want, err := r.Record()
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.RecordOfCanonical()
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("got %s, %v\nwant %s", got, err, want)
			}
		}
	}
}

// TestSetCheckReferencesOfEveryKind: a reference to a record neither the
// batch nor the register holds is named with the kind, position and id of
// the record it is in and the field that holds it, for every kind of
// record that refers to another.
func TestSetCheckReferencesOfEveryKind(t *testing.T) {
	j := &Jurisdiction{Code: "PK", Safeguards: []Safeguard{{Kind: "ai_law"}, {Kind: "dp_law", Instrument: "gone-law"}}}
	s := &Set{
		Jurisdictions: []*Jurisdiction{j},
		Deployments:   []*Deployment{{ID: "d-1", Jurisdiction: "PK", Vendors: []VendorRole{{Vendor: "gone-vendor"}}, Financing: []Financing{{Lender: "gone-bank"}}}},
		Claims:        []*Claim{nil, {ID: "c-1", Jurisdiction: "XX"}},
		Replies:       []*Reply{{ID: "r-1", Deployment: "gone-deployment"}},
		Facts:         []*FactDoc{{ID: "d-1"}, {ID: "gone-facts"}},
	}
	want := map[string]bool{
		`jurisdiction 0 PK safeguards[1].instrument no instrument "gone-law"`: true,
		`deployment 0 d-1 vendors[0].vendor no vendor "gone-vendor"`:          true,
		`deployment 0 d-1 financing[0].lender no vendor "gone-bank"`:          true,
		`claim 1 c-1 jurisdiction no jurisdiction "XX"`:                       true,
		`reply 0 r-1 deployment no deployment "gone-deployment"`:              true,
		`facts 1 gone-facts deployment.id no deployment "gone-facts"`:         true,
	}
	for _, e := range s.Check(nil) {
		if !strings.Contains(e.Err.Msg, "in the register or this batch") {
			continue // the records are not valid otherwise either
		}
		got := fmt.Sprintf("%s %d %s %s %s", e.Kind, e.Index, e.ID, e.Err.Path, strings.TrimSuffix(e.Err.Msg, " in the register or this batch"))
		if !want[got] {
			t.Errorf("unexpected: %s", got)
		}
		delete(want, got)
	}
	for w := range want {
		t.Errorf("not reported: %s", w)
	}
}
