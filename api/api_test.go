package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/fixture"
	"oversight/internal/memo"
	"oversight/internal/params"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/rules"
	"oversight/store"
)

// newServer serves a synthetic register of n deployments, classified on
// facts derived from the records.
func newServer(t *testing.T, n int) (*httptest.Server, *store.DB) {
	t.Helper()
	return serveSet(t, fixture.Set(n), nil)
}

// serveSet serves a register holding set, with curated fact documents.
func serveSet(t *testing.T, set *registry.Set, facts map[string]*rules.Facts) (*httptest.Server, *store.DB) {
	t.Helper()
	db := openSet(t, set)
	srv, _ := serveRegister(t, db, snapshots(db), facts)
	return srv, db
}

// openSet opens a new register holding set.
func openSet(t *testing.T, set *registry.Set) *store.DB { return testreg.Open(t, set) }

// snapshots opens a snapshot of db for each request.
func snapshots(db *store.DB) func(context.Context) (Reader, error) {
	return func(ctx context.Context) (Reader, error) { return db.Snapshot(ctx) }
}

// serveRegister serves the API over open's snapshots of db, with curated
// fact documents, and returns the server too. Like the server, it keeps
// db's tier projection with its classifier.
func serveRegister(t *testing.T, db *store.DB, open func(context.Context) (Reader, error), facts map[string]*rules.Facts) (*httptest.Server, *server) {
	t.Helper()
	cls := testcls.New(t, facts)
	testreg.ProjectTiers(t, db, cls)
	h := New(Config{Open: open, Classifier: cls, Memo: memo.New(64), Now: time.Now})
	return testreg.Serve(t, h), h.(*server)
}

func get(t *testing.T, srv *httptest.Server, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	return testreg.Get(t, srv, path, hdr...)
}

func getJSON(t *testing.T, srv *httptest.Server, path string, v any) {
	t.Helper()
	resp, b := get(t, srv, path)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

type page struct {
	Items []registry.Deployment `json:"items"`
	Next  string                `json:"next"`
}

func TestDeploymentsPagedAndFiltered(t *testing.T) {
	srv, _ := newServer(t, 45)
	seen := map[string]bool{}
	path := "/api/v1/deployments?limit=20"
	for pages := 1; ; pages++ {
		var p page
		getJSON(t, srv, path, &p)
		for _, d := range p.Items {
			if seen[d.ID] {
				t.Fatalf("%s on two pages", d.ID)
			}
			seen[d.ID] = true
			if len(d.Sources) == 0 || d.Sources[0].URL == "" {
				t.Fatalf("%s has no source url", d.ID)
			}
		}
		if p.Next == "" {
			if pages != 3 {
				t.Errorf("%d pages, want 3", pages)
			}
			break
		}
		path = "/api/v1/deployments?limit=20&cursor=" + p.Next
	}
	if len(seen) != 45 {
		t.Fatalf("saw %d deployments, want 45", len(seen))
	}
	var p page
	getJSON(t, srv, "/api/v1/deployments?jurisdiction=ph,kz&vendor_hq=JP&status=active&year_from=2010&year_to=2030&q=synthetic", &p)
	if len(p.Items) == 0 {
		t.Fatal("combined filter matched nothing")
	}
	for _, d := range p.Items {
		if d.Jurisdiction == "PK" || d.Vendors[0].Vendor != "vendor-b" || d.Status.Value != "active" {
			t.Errorf("%s does not match the filter", d.ID)
		}
	}
}

func TestProblemDetails(t *testing.T) {
	srv, _ := newServer(t, 3)
	cases := []struct {
		path, location string
		status         int
	}{
		{"/api/v1/deployments?limit=5000", "query.limit", 400},
		{"/api/v1/deployments?status=live", "query.status", 400},
		{"/api/v1/deployments?technology=x-ray", "query.technology", 400},
		{"/api/v1/deployments?jurisdiction=Pakistan", "query.jurisdiction", 400},
		{"/api/v1/deployments?year_from=2020&year_to=2010", "query.year_from", 400},
		{"/api/v1/deployments?contry=PK", "query.contry", 400},
		{"/api/v1/deployments?cursor=%25%25", "query.cursor", 400},
		{"/api/v1/export?format=xml", "query.format", 400},
		{"/api/v1/log/revisions/-1", "path.seq", 400},
		{"/api/v1/deployments/no-such-deployment", "", 404},
		{"/api/v1/nothing-here", "", 404},
	}
	for _, c := range cases {
		resp, b := get(t, srv, c.path)
		if resp.StatusCode != c.status || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want %d problem+json", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), c.status)
			continue
		}
		var p struct {
			Status int
			Errors []struct{ Location string }
		}
		if err := json.Unmarshal(b, &p); err != nil || p.Status != c.status {
			t.Errorf("%s: body %s", c.path, b)
		}
		if c.location != "" && (len(p.Errors) == 0 || p.Errors[0].Location != c.location) {
			t.Errorf("%s: errors %s do not name %s", c.path, b, c.location)
		}
	}
	_, b := get(t, srv, "/api/v1/deployments?status=live")
	if !strings.Contains(string(b), `"allowed":["planned"`) {
		t.Errorf("an enumeration error does not list the allowed values: %s", b)
	}
}

func TestETag(t *testing.T) {
	srv, _ := newServer(t, 3)
	for _, path := range []string{"/api/v1/deployments", "/api/v1/jurisdictions/PK", "/api/v1/vendors/vendor-a", "/openapi.json", "/api/v1/log/checkpoint", "/api/v1/export?format=csv", "/api/v1/sources", "/healthz"} {
		resp, _ := get(t, srv, path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || etag == "" {
			t.Errorf("%s: %d, ETag %q", path, resp.StatusCode, etag)
			continue
		}
		resp, b := get(t, srv, path, "If-None-Match", etag)
		if resp.StatusCode != http.StatusNotModified || len(b) != 0 {
			t.Errorf("%s with If-None-Match: %d, %d bytes", path, resp.StatusCode, len(b))
		}
		resp, _ = get(t, srv, path, "If-None-Match", `"stale"`)
		if resp.StatusCode != 200 {
			t.Errorf("%s with a stale ETag: %d", path, resp.StatusCode)
		}
	}
}

func TestRecordsAndHistory(t *testing.T) {
	srv, db := newServer(t, 6)
	var d struct {
		registry.Deployment
		Revisions []revisionSummary
	}
	getJSON(t, srv, "/api/v1/deployments/synthetic-pk-0000000", &d)
	if d.Title == "" || len(d.Revisions) != 1 || d.Revisions[0].Op != "create" {
		t.Fatalf("deployment: %+v", d)
	}
	var j struct {
		registry.Jurisdiction
		Deployments []deploymentRef
	}
	getJSON(t, srv, "/api/v1/jurisdictions/pk", &j)
	if j.Code != "PK" || len(j.Deployments) != 2 || len(j.Safeguards) != 7 {
		t.Fatalf("jurisdiction: %+v", j)
	}
	var v struct {
		registry.Vendor
		Deployments []deploymentRef
	}
	getJSON(t, srv, "/api/v1/vendors/vendor-b", &v)
	if v.Headquarters != "JP" || len(v.Deployments) != 3 || v.Deployments[0].Roles[0] != "prime" {
		t.Fatalf("vendor: %+v", v)
	}
	var js struct{ Items []registry.Jurisdiction }
	getJSON(t, srv, "/api/v1/jurisdictions", &js)
	if len(js.Items) != 3 {
		t.Fatalf("%d jurisdictions", len(js.Items))
	}
	// The revision endpoint's proof checks against the signed checkpoint
	// with the standard sumdb packages alone.
	var rp struct {
		Record     string
		TreeSize   int64 `json:"tree_size"`
		Checkpoint string
		Proof      []string
	}
	getJSON(t, srv, "/api/v1/log/revisions/4", &rp)
	verifier, err := note.NewVerifier(db.Key().Public)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open([]byte(rp.Checkpoint), note.VerifierList(verifier))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(n.Text, "\n")
	rootBytes, _ := base64.StdEncoding.DecodeString(lines[2])
	var root tlog.Hash
	copy(root[:], rootBytes)
	proof := make(tlog.RecordProof, len(rp.Proof))
	for i, h := range rp.Proof {
		b, _ := base64.StdEncoding.DecodeString(h)
		copy(proof[i][:], b)
	}
	if err := tlog.CheckRecord(proof, rp.TreeSize, root, 4, tlog.RecordHash([]byte(rp.Record))); err != nil {
		t.Fatalf("inclusion proof: %v", err)
	}
}

func TestExportFollowsFilter(t *testing.T) {
	srv, _ := newServer(t, 9)
	resp, b := get(t, srv, "/api/v1/export?format=csv&jurisdiction=KZ")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if lines := strings.Count(strings.TrimSpace(string(b)), "\n"); lines != 3 {
		t.Errorf("csv export of KZ has %d data rows, want 3", lines)
	}
	var fc struct {
		Features []struct {
			Geometry struct{ Coordinates [2]float64 }
		}
	}
	getJSON(t, srv, "/api/v1/export?format=geojson&vendor=vendor-a", &fc)
	if len(fc.Features) != 5 {
		t.Errorf("geojson export has %d features, want 5", len(fc.Features))
	}
}

// TestOpenAPIDocumentsEveryRoute keeps /openapi.json honest: every route is
// documented, and the deployment filters it lists are the ones accepted.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var spec struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(openapi, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", spec.OpenAPI)
	}
	s := &server{}
	for _, rt := range s.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		op, ok := spec.Paths[path][strings.ToLower(method)]
		if !ok {
			t.Errorf("%s is not documented", rt.pattern)
			continue
		}
		if path == "/api/v1/deployments" {
			var names []string
			for _, p := range op.Parameters {
				names = append(names, p.Name)
			}
			for _, want := range append(params.Deployment, "limit", "cursor") {
				if !slices.Contains(names, want) {
					t.Errorf("parameter %s of %s is not documented", want, path)
				}
			}
		}
	}
	ops := 0
	for _, methods := range spec.Paths {
		ops += len(methods)
	}
	if ops != len(s.routes()) {
		t.Errorf("openapi documents %d operations, the server has %d routes", ops, len(s.routes()))
	}
}
