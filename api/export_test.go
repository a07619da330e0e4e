package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"oversight/export"
	"oversight/internal/fixture"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/rules"
	"oversight/store"
)

// buffered is the export a request asks for, written to a buffer as the
// handler did before it streamed.
func buffered(t *testing.T, s *server, reg export.Register, path string) []byte {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	p := params.Read(r.URL.Query(), append(params.Deployment, "tier", "as_of", "format")...)
	f, asOf := s.deploymentQuery(p)
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.Write(context.Background(), &buf, reg, r.URL.Query().Get("format"), f, s.Classifier.Table(asOf)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExportStreamsTheSameBytes(t *testing.T) {
	db := openSet(t, fixture.Set(30))
	srv, s := serveRegister(t, db, snapshots(db), nil)
	var all []string
	for _, tier := range rules.AllTiers {
		all = append(all, string(tier))
	}
	for _, path := range []string{
		"/api/v1/export?format=csv&jurisdiction=KZ&as_of=2025-06-01",
		"/api/v1/export?format=json&vendor=vendor-a&as_of=2025-06-01",
		"/api/v1/export?format=geojson&jurisdiction=PK,PH&as_of=2025-06-01",
		"/api/v1/export?format=csv&tier=eu-ai-act:" + strings.Join(all, ",") + "&as_of=2025-06-01",
		"/api/v1/export?format=json", // the whole register, every kind
	} {
		resp, b := get(t, srv, path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		want := buffered(t, s, db, path)
		if !bytes.Equal(b, want) {
			t.Errorf("%s: streamed %d bytes differ from the %d export.Write writes", path, len(b), len(want))
		}
		if !bytes.Contains(b, []byte("synthetic-")) {
			t.Errorf("%s: no deployment in the export", path)
		}
		format := strings.TrimPrefix(strings.Split(path, "&")[0], "/api/v1/export?format=")
		if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="oversight-deployments.`+format+`"` {
			t.Errorf("%s: Content-Disposition %q", path, cd)
		}
	}
}

func TestExportETag(t *testing.T) {
	db := openSet(t, fixture.Set(6))
	srv, s := serveRegister(t, db, snapshots(db), nil)
	const path = "/api/v1/export?format=csv&jurisdiction=PK&as_of=2025-06-01"
	resp, before := get(t, srv, path)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || !strings.HasPrefix(etag, `"`) || len(etag) != 34 {
		t.Fatalf("%d, ETag %q", resp.StatusCode, etag)
	}
	if resp, _ := get(t, srv, path); resp.Header.Get("ETag") != etag {
		t.Errorf("the same export twice: ETags %s and %s", etag, resp.Header.Get("ETag"))
	}
	if resp, _ := get(t, srv, "/api/v1/export?as_of=2025-06-01&jurisdiction=PK&format=csv"); resp.Header.Get("ETag") != etag {
		t.Errorf("the order of the parameters changes the ETag")
	}
	for _, other := range []string{
		"/api/v1/export?format=csv&jurisdiction=PK&as_of=2025-06-02",
		"/api/v1/export?format=csv&jurisdiction=PH&as_of=2025-06-01",
		"/api/v1/export?format=json&jurisdiction=PK&as_of=2025-06-01",
	} {
		if resp, _ := get(t, srv, other); resp.Header.Get("ETag") == etag {
			t.Errorf("%s has the ETag of %s", other, path)
		}
	}
	for _, match := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		resp, b := get(t, srv, path, "If-None-Match", match)
		if resp.StatusCode != http.StatusNotModified || len(b) != 0 || resp.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d, %d bytes, ETag %q", match, resp.StatusCode, len(b), resp.Header.Get("ETag"))
		}
	}
	if resp, b := get(t, srv, "/api/v1/export?format=xml", "If-None-Match", "*"); resp.StatusCode != 400 || resp.Header.Get("ETag") != "" {
		t.Errorf("bad format: %d, ETag %q: %s", resp.StatusCode, resp.Header.Get("ETag"), b)
	}
	req, _ := http.NewRequest("HEAD", srv.URL+path, nil)
	if head, err := http.DefaultClient.Do(req); err != nil || head.StatusCode != 200 || head.Header.Get("ETag") != etag || head.Header.Get("Content-Disposition") == "" {
		t.Errorf("HEAD: %v %v", head, err)
	} else {
		head.Body.Close()
	}

	// A change to the register changes the ETag at once: exports do not
	// wait for the response cache to see the log grow.
	d := fixture.Deployment(6, "PK", "vendor-a")
	if _, err := db.Apply(context.Background(), &registry.Set{Deployments: []*registry.Deployment{d}}, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	resp, after := get(t, srv, path, "If-None-Match", etag)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == etag || resp.Header.Get("ETag") == "" {
		t.Fatalf("after a change: %d, ETag %q (was %s)", resp.StatusCode, resp.Header.Get("ETag"), etag)
	}
	if !bytes.Contains(after, []byte(d.ID)) || bytes.Contains(before, []byte(d.ID)) || !bytes.Equal(after, buffered(t, s, db, path)) {
		t.Errorf("after a change the export is not the new state:\n%s", after)
	}
}

// failingRegister fails a filtered walk of the deployments after some of
// them; the unfiltered walk the tier table is built from succeeds.
type failingRegister struct {
	*store.Snapshot
	after int
}

// failing opens snapshots of db that fail a filtered walk after some
// deployments.
func failing(db *store.DB, after int) func(context.Context) (Reader, error) {
	return func(ctx context.Context) (Reader, error) {
		sn, err := db.Snapshot(ctx)
		return failingRegister{sn, after}, err
	}
}

var errWalk = errors.New("walk failed")

func (f failingRegister) EachDeployment(ctx context.Context, filter registry.DeploymentFilter, fn func(*registry.Deployment) error) error {
	if len(filter.Jurisdictions) == 0 {
		return f.Snapshot.EachDeployment(ctx, filter, fn)
	}
	n := 0
	return f.Snapshot.EachDeployment(ctx, filter, func(d *registry.Deployment) error {
		if n == f.after {
			return errWalk
		}
		n++
		return fn(d)
	})
}

func TestExportErrors(t *testing.T) {
	db := openSet(t, fixture.Set(300))
	const path = "/api/v1/export?format=csv&jurisdiction=PK"

	// Before the first byte, an error is a problem response, without the
	// headers of the file.
	srv, _ := serveRegister(t, db, failing(db, 0), nil)
	resp, b := get(t, srv, path)
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/problem+json" ||
		resp.Header.Get("ETag") != "" || resp.Header.Get("Content-Disposition") != "" {
		t.Errorf("error before the first byte: %d %v %s", resp.StatusCode, resp.Header, b)
	}

	// After it, the transfer is cut short rather than ended as if whole.
	const after = 80
	srv, s := serveRegister(t, db, failing(db, after), nil)
	full := buffered(t, s, db, path)
	if n := bytes.Count(full, []byte("\n")); n != 101 {
		t.Fatalf("the full export has %d lines, want 101", n)
	}
	if sent := bytes.Join(bytes.SplitAfter(full, []byte("\n"))[:after+1], nil); len(sent) < 16<<10 {
		t.Fatalf("%d rows are %d bytes, too few to leave the buffers before the error", after, len(sent))
	}
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err = io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("error mid-stream: %d, read %d bytes, err %v", resp.StatusCode, len(b), err)
	}
	if !bytes.HasPrefix(full, b) || len(b) >= len(full) {
		t.Errorf("error mid-stream: the %d bytes read are not a prefix of the %d-byte export", len(b), len(full))
	}
}

// TestExportTable: the spreadsheet export has one column a field, lists
// joined in the same order, amounts never added across currencies, the
// 2021-USD amounts summed, and formula cells escaped.
func TestExportTable(t *testing.T) {
	set := fixture.Set(2)
	d := set.Deployments[0]
	cny, usd, usd21 := 20000000.0, 3000000.0, 3593585.0
	d.Title = "=cmd|' /C calc'!A0"
	d.Financing = []registry.Financing{
		{Lender: "vendor-b", Instrument: "grant", Amount: &cny, Currency: "CNY", Year: 2014, AmountUSD2021: &usd21, Sources: []string{"a"}},
		{Instrument: "donation", Amount: &usd, Currency: "USD", Sources: []string{"a"}},
	}
	d.Origin = &registry.Origin{Dataset: "aiddata-gcdf-3", Title: "AidData GCDF 3.0", Licence: "ODC-By-1.0",
		LicenceURL: "https://opendatacommons.org/licenses/by/1-0/", LicenceFrom: "https://example.org/licence",
		Attribution: "AidData. 2023. Global Chinese Development Finance Dataset, Version 3.0.", Row: "63248"}
	srv, _ := serveSet(t, set, nil)
	resp, body := get(t, srv, "/api/v1/export?format=table&jurisdiction="+d.Jurisdiction)
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "table.csv") {
		t.Fatalf("%d %v %s", resp.StatusCode, err, resp.Header.Get("Content-Disposition"))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["id"]] != d.ID {
			continue
		}
		for name, want := range map[string]string{"title": "'=cmd|' /C calc'!A0", "lenders": "vendor-b; ", "instruments": "grant; donation",
			"amounts": "20000000; 3000000", "currencies": "CNY; USD", "amount_years": "2014; ", "amount_usd_2021": "3593585", "vendors": "vendor-a",
			"origin":        "aiddata-gcdf-3 row 63248",
			"origin_credit": "AidData. 2023. Global Chinese Development Finance Dataset, Version 3.0. Licence: ODC-By-1.0 (https://opendatacommons.org/licenses/by/1-0/)."} {
			if got := r[col[name]]; got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		return
	}
	t.Fatalf("no row for %s:\n%s", d.ID, body)
}
