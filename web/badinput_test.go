package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"oversight/internal/fixture"
	"oversight/internal/testcls"
	"oversight/internal/testenv"
	"oversight/internal/testreg"
	"oversight/ledger"
	"oversight/registry"
	"oversight/site"
	"oversight/store"
)

// TestNoServerErrorForBadInput sends hostile values for every parameter of
// every route, API and pages, and checks that each is answered with a 4xx
// naming the parameter (or, where the value is one the parameter accepts,
// a 200), and never with a 5xx, a dropped connection or no answer in time.
//
// The API's routes and parameters come from its OpenAPI description, so
// that a route or parameter added there is covered without a change here;
// the pages' come from pageRoutes, which must list site.Routes().
//
// It runs on SQLite, and on PostgreSQL when $OBS_TEST_POSTGRES names one:
// the two refuse different strings (PostgreSQL any text with a NUL or
// invalid UTF-8), so a value one lets through may fail on the other.
//
// Each request has requestTimeout to be answered. A handler that never
// returns also keeps the test server from closing: the test then ends at
// go test's -timeout, with the hang reported above (with -v) and the
// handler's goroutine in the dump.
func TestNoServerErrorForBadInput(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		srv, _ := serveSet(t, fixture.Set(20), nil)
		badInput(t, srv)
	})
	t.Run("postgres", func(t *testing.T) {
		badInput(t, servePostgres(t, fixture.Set(20)))
	})
}

// servePostgres serves a register holding set in a schema of its own in
// the database $OBS_TEST_POSTGRES names.
func servePostgres(t *testing.T, set *registry.Set) *httptest.Server {
	url := testenv.PostgresSchema(t, "badinput")
	key, err := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenPostgres(context.Background(), url, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Apply(context.Background(), set, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	h, err := New(db, testcls.New(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	return testreg.Serve(t, h)
}

// badInput sends the battery to srv.
func badInput(t *testing.T, srv *httptest.Server) {
	start := time.Now()
	b := &battery{t: t, base: srv.URL, client: &http.Client{
		Timeout: requestTimeout,
		// A redirect (the mux cleaning "/a/../b") is an answer, not
		// something to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	b.frameworks = b.frameworkIDs()

	spec := readSpec(t)
	b.apiRoutes(spec)
	b.pageRoutes()
	b.classifyBodies()
	b.assessBodies()
	b.run()

	elapsed := time.Since(start)
	t.Logf("%d requests in %v", len(b.reqs), elapsed.Round(time.Millisecond))
	if elapsed > totalBudget {
		t.Errorf("the battery took %v, over its budget of %v", elapsed, totalBudget)
	}
}

const (
	requestTimeout = 5 * time.Second  // an answer later than this is a hang
	totalBudget    = 50 * time.Second // on a 2-core machine it takes a few seconds
)

// workers is how many requests are in flight at once: no more than the
// server reads at once, which would shed the rest with a 503.
var workers = min(8, readers)

// Valid values for the parameters a route needs while another of its
// parameters is tested: required query parameters and path parameters.
// A path missing here is tested with an id that does not exist.
var (
	validQuery = map[string]string{"framework": "apac-baseline", "format": "csv"}
	validPath  = map[string]string{ // by path template
		"/api/v1/deployments/{id}":                "synthetic-pk-0000000",
		"/api/v1/deployments/{id}/classification": "synthetic-pk-0000000",
		"/api/v1/jurisdictions/{id}":              "PK",
		"/api/v1/vendors/{id}":                    "vendor-a",
		"/api/v1/frameworks/{id}":                 "apac-baseline",
		"/api/v1/log/revisions/{seq}":             "0",
	}
)

// lenient lists the API paths that read no query at all (a liveness probe,
// a static document): an unknown parameter may be ignored there.
var lenient = map[string]bool{"/healthz": true, "/openapi.json": true}

// pageRoute is a page, as site.routes() serves it, and the parameters it
// reads.
type pageRoute struct {
	pattern string            // as site.Routes() lists it
	query   []string          // the query parameters the page reads
	strict  bool              // it refuses a parameter it does not read
	base    map[string]string // parameters every request carries, so that the others are read
	path    string            // the path parameter, if any
	valid   string            // a value of it that exists
}

// searchQuery is what the search page reads (site.searchParams).
var searchQuery = []string{"jurisdiction", "vendor", "vendor_hq", "technology", "status", "certainty", "year_from", "year_to", "q", "tier", "cursor"}

// pageRoutes mirrors site.routes(): TestNoServerErrorForBadInput fails
// when the two differ.
var pageRoutes = []pageRoute{
	{pattern: "GET /{$}"},
	{pattern: "GET /countries/{$}"},
	{pattern: "GET /countries/{code}", path: "code", valid: "PK"},
	{pattern: "GET /deployments/{$}", query: searchQuery, strict: true},
	{pattern: "GET /deployments/{id}", path: "id", valid: "synthetic-pk-0000000"},
	{pattern: "GET /vendors/{id}", path: "id", valid: "vendor-a"},
	{pattern: "GET /frameworks/{$}"},
	{pattern: "GET /frameworks/{id}", path: "id", valid: "apac-baseline"},
	{pattern: "GET /scenarios", query: []string{"framework", "cursor"}, strict: true, base: map[string]string{"framework": "apac-baseline"}},
	{pattern: "GET /search", query: searchQuery, strict: true},
	{pattern: "GET /assess"},
	{pattern: "POST /assess"}, // its form: assessBodies
	{pattern: "GET /static/{file...}", path: "file", valid: "style.css"},
}

// hostile is a value sent for a parameter; path values are sent escaped
// as a path segment unless raw.
type hostile struct {
	name, v string
	raw     bool // v is sent as it is, unescaped (path values)
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// queryValues are the values every query parameter is sent.
var queryValues = []hostile{
	{"empty", "", false},
	{"blank", "   ", false},
	{"10 KB", strings.Repeat("a", 10<<10), false},
	{"invalid UTF-8", "\xff\xfe", false},
	{"NUL", "\x00", false},
	{"NUL inside", "PK\x00", false},
	{"negative", "-1", false},
	{"zero", "0", false},
	{"huge", "99999999999999999999999", false},
	{"max int64", "9223372036854775807", false},
	{"fraction", "1.5", false},
	{"not a number", "abc", false},
	{"month 13", "2026-13-45", false},
	{"year 0", "0000-00-00", false},
	{"year 1", "0001-01-01", false},
	{"year 9999", "9999-12-31", false},
	{"not base64", "!!not*base64!!", false},
	{"padded base64", base64.URLEncoding.EncodeToString([]byte("synth")), false},
	{"base64 of garbage", base64.RawURLEncoding.EncodeToString([]byte{0xff, 0x00, 0xfe, 0x80, '\'', 0xc3}), false},
	{"base64 of NUL", b64("synthetic-pk\x00"), false},
	{"base64 of 4 KB", b64(strings.Repeat("z", 4<<10)), false},
	{"base64 of SQL", b64("' OR 1=1 --"), false},
	{"double quote", `"`, false},
	{"star", "*", false},
	{"NEAR(", "NEAR(", false},
	{"SQL", "' OR 1=1 --", false},
	{"unknown value", "bogus", false},
	{"commas", ",,", false},
	{"colon", "eu-ai-act:", false},
	{"unicode", "日本語", false},
}

// pathValues are the values every path parameter is sent.
var pathValues = []hostile{
	{"unknown", "no-such-record", false},
	{"unknown upper", "NO-SUCH", false},
	{"slash", "a/b", true},
	{"escaped slash", "a/b", false},
	{"dot", ".", true},
	{"dots", "..", true},
	{"escaped dots", "%2e%2e", true},
	{"traversal", "../../etc/passwd", true},
	{"dots inside", "a..b", false},
	{"unicode", "日本語-ü", false},
	{"10 KB", strings.Repeat("a", 10<<10), false},
	{"invalid UTF-8", "%ff%fe", true},
	{"NUL", "%00", true},
	{"negative", "-1", false},
	{"huge", "99999999999999999999999", false},
	{"max int64", "9223372036854775807", false},
	{"not a number", "abc", false},
	{"SQL", "' OR 1=1 --", false},
	{"blank", " ", false},
}

// param is a parameter as OpenAPI documents it.
type param struct {
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
	Schema   struct {
		Type      string   `json:"type"`
		Format    string   `json:"format"`
		Enum      []string `json:"enum"`
		Minimum   *int64   `json:"minimum"`
		Maximum   *int64   `json:"maximum"`
		MaxLength *int     `json:"maxLength"`
	} `json:"schema"`
}

type operation struct {
	Parameters  []param         `json:"parameters"`
	RequestBody json.RawMessage `json:"requestBody"`
}

type spec struct {
	Paths map[string]map[string]json.RawMessage `json:"paths"`
}

func readSpec(t *testing.T) spec {
	raw, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var s spec
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Paths) == 0 {
		t.Fatal("openapi.json documents no paths")
	}
	return s
}

// request is one request of the battery and what its answer may be.
type request struct {
	what        string // for messages: route, parameter, value
	method, url string
	ctype       string
	body        []byte
	api         bool   // answered in problem details, else an HTML page
	names       string // the location a 4xx must name: "query.x", "path.id", "body"
	accept      bool   // the value is one the parameter takes: 2xx is right too
	notFound    bool   // a 404 that names nothing is right (an unknown id)
	anyClient   bool   // any 4xx (or 3xx) is right: the value is not the parameter's (a path that is another route)
}

type battery struct {
	t          *testing.T
	base       string
	client     *http.Client
	frameworks []string
	reqs       []request
}

func (b *battery) add(r request) { b.reqs = append(b.reqs, r) }

// frameworkIDs lists the frameworks the server knows.
func (b *battery) frameworkIDs() []string {
	resp, err := b.client.Get(b.base + "/api/v1/frameworks")
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Items) == 0 {
		b.t.Fatalf("GET /api/v1/frameworks: %v, %d items", err, len(out.Items))
	}
	var ids []string
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// apiRoutes adds, for every documented operation, each hostile value of
// each of its parameters, each parameter twice, and an unknown parameter.
func (b *battery) apiRoutes(s spec) {
	paths := make([]string, 0, len(s.Paths))
	for p := range s.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	n := 0
	for _, path := range paths {
		var shared []param
		if raw, ok := s.Paths[path]["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				b.t.Fatalf("%s: parameters: %v", path, err)
			}
		}
		for method, raw := range s.Paths[path] {
			if method == "parameters" || strings.HasPrefix(method, "x-") || method == "summary" || method == "description" {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				b.t.Fatalf("%s %s: %v", method, path, err)
			}
			n++
			b.apiOperation(strings.ToUpper(method), path, append(slices.Clone(shared), op.Parameters...), op.RequestBody != nil)
		}
	}
	if n < 20 {
		b.t.Fatalf("openapi.json documents %d operations; the reading of it is wrong", n)
	}
}

func (b *battery) apiOperation(method, tmpl string, ps []param, hasBody bool) {
	var body []byte
	ctype := ""
	if hasBody {
		body, ctype = []byte(`{"schema":"observatory.facts/v0"}`), "application/json"
	}
	// The path with every path parameter at a valid (or at least
	// well-formed) value.
	fill := func(except string, v hostile) string {
		out := tmpl
		for _, p := range ps {
			if p.In != "path" {
				continue
			}
			val := validPath[tmpl]
			if val == "" {
				val = "no-such-record"
			}
			if p.Name == except {
				val = v.v
				if !v.raw {
					val = url.PathEscape(val)
				}
			}
			out = strings.ReplaceAll(out, "{"+p.Name+"}", val)
		}
		return out
	}
	// The query every request carries: the required parameters, valid.
	baseQuery := func(except string) url.Values {
		q := url.Values{}
		for _, p := range ps {
			if p.In == "query" && p.Required && p.Name != except {
				v, ok := validQuery[p.Name]
				if !ok {
					b.t.Fatalf("%s %s: required parameter %s has no valid value in validQuery", method, tmpl, p.Name)
				}
				q.Set(p.Name, v)
			}
		}
		return q
	}
	route := method + " " + tmpl
	for _, p := range ps {
		switch p.In {
		case "query":
			for _, v := range queryValues {
				q := baseQuery(p.Name)
				q.Set(p.Name, v.v)
				b.add(request{what: fmt.Sprintf("%s ?%s= %s", route, p.Name, v.name), method: method, url: fill("", hostile{}) + "?" + q.Encode(),
					ctype: ctype, body: body, api: true, names: "query." + p.Name, accept: b.accepts(p, v.v)})
			}
			q := baseQuery("")
			q.Add(p.Name, "a")
			q.Add(p.Name, "a")
			b.add(request{what: fmt.Sprintf("%s ?%s twice", route, p.Name), method: method, url: fill("", hostile{}) + "?" + q.Encode(),
				ctype: ctype, body: body, api: true, names: "query." + p.Name})
		case "path":
			for _, v := range pathValues {
				b.add(request{what: fmt.Sprintf("%s {%s}= %s", route, p.Name, v.name), method: method, url: fill(p.Name, v) + "?" + baseQuery("").Encode(),
					ctype: ctype, body: body, api: true, names: "path." + p.Name, notFound: true, anyClient: v.raw})
			}
		default:
			b.t.Errorf("%s: parameter %s in %q is not tested", route, p.Name, p.In)
		}
	}
	q := baseQuery("")
	q.Set("nonsense", "1")
	b.add(request{what: route + " ?nonsense=1", method: method, url: fill("", hostile{}) + "?" + q.Encode(),
		ctype: ctype, body: body, api: true, names: "query.nonsense", accept: lenient[tmpl]})
}

var alpha2 = regexp.MustCompile(`^[A-Za-z]{2}$`)
var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// accepts reports whether v is a value a parameter takes, so that a 200 is
// a right answer to it. Its kind is read from the schema, or, for the
// strings whose form the schema does not say, from its name.
func (b *battery) accepts(p param, v string) bool {
	if v == "" {
		return !p.Required
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return false
	}
	switch {
	case p.Schema.Enum != nil:
		return slices.Contains(p.Schema.Enum, v)
	case p.Schema.Type == "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && (p.Schema.Minimum == nil || n >= *p.Schema.Minimum) && (p.Schema.Maximum == nil || n <= *p.Schema.Maximum)
	case p.Schema.Format == "date":
		d, err := time.Parse(time.DateOnly, v)
		return err == nil && d.Year() >= 1900 && d.Year() <= 2100
	}
	switch p.Name {
	case "q":
		return p.Schema.MaxLength == nil || len(v) <= *p.Schema.MaxLength
	case "cursor":
		// Any string the server could have paged after; it need not exist.
		dec, err := base64.RawURLEncoding.DecodeString(v)
		return err == nil && len(dec) > 0 && utf8.Valid(dec) && !bytes.ContainsRune(dec, 0)
	case "jurisdiction":
		for _, c := range strings.Split(v, ",") {
			if !alpha2.MatchString(strings.TrimSpace(c)) {
				return false
			}
		}
		return true
	case "vendor_hq":
		return alpha2.MatchString(v)
	case "vendor":
		return slugRE.MatchString(v)
	case "framework":
		for _, id := range strings.Split(v, ",") {
			if !slices.Contains(b.frameworks, id) {
				return false
			}
		}
		return true
	case "tier":
		return false // no hostile value is FRAMEWORK:TIER
	}
	b.t.Errorf("parameter %s: the test does not know what values it takes; teach accepts", p.Name)
	return true
}

// pageRoutes adds the pages' parameters, after checking that pageRoutes
// lists every route the site serves.
func (b *battery) pageRoutes() {
	var listed []string
	for _, r := range pageRoutes {
		listed = append(listed, r.pattern)
	}
	slices.Sort(listed)
	if got := site.Routes(); !slices.Equal(got, listed) {
		b.t.Fatalf("pageRoutes lists\n\t%q\nbut the site serves\n\t%q\nlist each new page with the parameters it reads", listed, got)
	}
	queryParam := func(name string) param {
		p := param{Name: name}
		switch name {
		case "technology", "status", "certainty":
			p.Schema.Enum = []string{"never"} // no hostile value is one
		case "year_from", "year_to":
			p.Schema.Type = "integer"
			lo, hi := int64(1900), int64(2100)
			p.Schema.Minimum, p.Schema.Maximum = &lo, &hi
		case "q":
			n := 200
			p.Schema.MaxLength = &n
		}
		return p
	}
	for _, r := range pageRoutes {
		method, tmpl, _ := strings.Cut(r.pattern, " ")
		tmpl = strings.TrimSuffix(tmpl, "{$}")
		if method != http.MethodGet {
			continue
		}
		base := func(except string) url.Values {
			q := url.Values{}
			for k, v := range r.base {
				if k != except {
					q.Set(k, v)
				}
			}
			return q
		}
		path := func(v hostile) string {
			if r.path == "" {
				return tmpl
			}
			val := v.v
			if !v.raw {
				val = url.PathEscape(val)
			}
			return regexp.MustCompile(`\{[a-z]+(\.\.\.)?\}`).ReplaceAllString(tmpl, val)
		}
		valid := path(hostile{v: r.valid})
		for _, name := range r.query {
			for _, v := range queryValues {
				q := base(name)
				q.Set(name, v.v)
				b.add(request{what: fmt.Sprintf("page %s ?%s= %s", r.pattern, name, v.name), method: method, url: valid + "?" + q.Encode(),
					names: name, accept: b.accepts(queryParam(name), v.v)})
			}
			q := base("")
			q.Add(name, "a")
			q.Add(name, "a")
			b.add(request{what: fmt.Sprintf("page %s ?%s twice", r.pattern, name), method: method, url: valid + "?" + q.Encode(), names: name})
		}
		if r.path != "" {
			for _, v := range pathValues {
				b.add(request{what: fmt.Sprintf("page %s {%s}= %s", r.pattern, r.path, v.name), method: method, url: path(v),
					names: r.path, notFound: true, anyClient: v.raw})
			}
		}
		q := base("")
		q.Set("nonsense", "1")
		b.add(request{what: "page " + r.pattern + " ?nonsense=1", method: method, url: valid + "?" + q.Encode(),
			names: "nonsense", accept: !r.strict})
	}
}

// classifyBodies adds hostile bodies for POST /api/v1/classify.
func (b *battery) classifyBodies() {
	deep := func(open, close string, n int) []byte {
		return []byte(strings.Repeat(open, n) + strings.Repeat(close, n))
	}
	for _, c := range []struct {
		name, ctype string
		body        []byte
	}{
		{"empty", "application/json", nil},
		{"blank", "application/json", []byte("  \n ")},
		{"not JSON", "application/json", []byte("{not json")},
		{"not YAML", "application/yaml", []byte("a: [b\n  - : {")},
		{"tab-indented YAML", "application/yaml", []byte("schema:\n\t- x")},
		{"a number", "application/json", []byte("42")},
		{"null", "application/json", []byte("null")},
		{"a string", "application/json", []byte(`"observatory.facts/v0"`)},
		{"a list", "application/json", []byte(`[1,2,3]`)},
		{"wrong types", "application/json", []byte(`{"schema":5,"deployment":"x","system":{"capabilities":"cctv"},"scale":{"people_covered":"many"}}`)},
		{"unknown field", "application/json", []byte(`{"schema":"observatory.facts/v0","nonsense":true}`)},
		{"huge number", "application/json", []byte(`{"schema":"observatory.facts/v0","scale":{"people_covered":1e400}}`)},
		{"invalid UTF-8", "application/json", []byte("{\"schema\":\"\xff\xfe\"}")},
		{"NUL", "application/json", []byte("{\"schema\":\"observatory.facts/v0\x00\"}")},
		{"trailing garbage", "application/json", []byte(`{"schema":"observatory.facts/v0"} {"x":1}`)},
		{"trailing brace", "application/json", []byte(`{"schema":"observatory.facts/v0"}}`)},
		{"nested [ 10,000 deep", "application/json", deep("[", "]", 10000)},
		{"nested { 10,000 deep", "application/json", deep(`{"a":`, "}", 10000)},
		{"YAML nested 10,000 deep", "application/yaml", deep("[", "]", 10000)},
		{"unclosed [ 10,000 deep", "application/json", []byte(strings.Repeat("[", 10000))},
		{"[ 1 MiB deep", "application/yaml", []byte(strings.Repeat("[", 1<<20-1))},
		{"YAML alias bomb", "application/yaml", []byte(yamlBomb())},
		{"2 MB", "application/json", append(append([]byte(`{"schema":"observatory.facts/v0","notes":"`), bytes.Repeat([]byte("a"), 2<<20)...), `"}`...)},
		{"form", "application/x-www-form-urlencoded", []byte("schema=observatory.facts%2Fv0&system.scale.people_covered=abc")},
	} {
		b.add(request{what: "POST /api/v1/classify body " + c.name, method: http.MethodPost, url: "/api/v1/classify",
			ctype: c.ctype, body: c.body, api: true, names: "body"})
	}
}

// yamlBomb is a document whose aliases expand to a billion nodes.
func yamlBomb() string {
	var s strings.Builder
	s.WriteString("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&s, "%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	return s.String()
}

// formField is an input of the assessment form.
type formField struct {
	name    string
	kind    string // select, number, checkbox, text
	options []string
}

var (
	tagRE    = regexp.MustCompile(`<(select|input)\b[^>]*>`)
	nameRE   = regexp.MustCompile(`\bname="([^"]+)"`)
	typeRE   = regexp.MustCompile(`\btype="([^"]+)"`)
	valueRE  = regexp.MustCompile(`\bvalue="([^"]*)"`)
	selectRE = regexp.MustCompile(`(?s)<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>`)
)

// assessFields reads the assessment form's inputs from its page.
func (b *battery) assessFields() []formField {
	resp, err := b.client.Get(b.base + "/assess")
	if err != nil {
		b.t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	byName := map[string]*formField{}
	var order []string
	field := func(name, kind string) *formField {
		f := byName[name]
		if f == nil {
			f = &formField{name: name, kind: kind}
			byName[name] = f
			order = append(order, name)
		}
		return f
	}
	for _, m := range selectRE.FindAllStringSubmatch(string(page), -1) {
		f := field(m[1], "select")
		for _, o := range valueRE.FindAllStringSubmatch(m[2], -1) {
			f.options = append(f.options, o[1])
		}
	}
	for _, tag := range tagRE.FindAllString(string(page), -1) {
		if !strings.HasPrefix(tag, "<input") {
			continue
		}
		nm := nameRE.FindStringSubmatch(tag)
		if nm == nil {
			continue
		}
		kind := "text"
		if ty := typeRE.FindStringSubmatch(tag); ty != nil {
			kind = ty[1]
		}
		f := field(nm[1], kind)
		if v := valueRE.FindStringSubmatch(tag); v != nil && kind == "checkbox" {
			f.options = append(f.options, v[1])
		}
	}
	var out []formField
	for _, n := range order {
		out = append(out, *byName[n])
	}
	if len(out) < 10 {
		b.t.Fatalf("the assessment form has %d inputs; the reading of it is wrong", len(out))
	}
	return out
}

// assessBodies adds hostile bodies for POST /assess: whole bodies, and
// hostile values of each of the form's inputs.
func (b *battery) assessBodies() {
	const form = "application/x-www-form-urlencoded"
	for _, c := range []struct {
		name, ctype string
		body        []byte
		accept      bool
	}{
		{"empty", form, nil, true},
		{"not a form", form, []byte("%%%;&&&=="), false},
		{"JSON", "application/json", []byte(`{"system":{"capabilities":5}}`), true},
		{"nested [ 10,000 deep", form, []byte(strings.Repeat("[", 10000) + "=" + strings.Repeat("]", 10000)), true},
		{"2 MB", form, append([]byte("notes="), bytes.Repeat([]byte("a"), 2<<20)...), false},
		{"unknown field", form, []byte("nonsense=1"), true},
		{"invalid UTF-8", form, []byte("%ff%fe=%ff%fe"), true},
	} {
		b.add(request{what: "POST /assess body " + c.name, method: http.MethodPost, url: "/assess", ctype: c.ctype, body: c.body,
			names: "form", accept: c.accept, anyClient: true})
	}
	for _, f := range b.assessFields() {
		vals := []string{"bogus", "-1", "1.5", "99999999999999999999999", "\xff\xfe", "\x00", strings.Repeat("a", 10<<10), `' OR 1=1 --`}
		for _, v := range vals {
			accept := false
			switch f.kind {
			case "text":
				accept = utf8.ValidString(v) && !strings.ContainsRune(v, 0)
			case "select", "checkbox":
				accept = slices.Contains(f.options, v) || (f.kind == "checkbox" && strings.HasSuffix(f.name, ".none") && v == "on")
			case "number":
				n, err := strconv.ParseInt(v, 10, 64)
				accept = err == nil && n >= 0
			}
			body := url.Values{f.name: {v}}
			b.add(request{what: fmt.Sprintf("POST /assess %s=%q", f.name, trim(v)), method: http.MethodPost, url: "/assess",
				ctype: form, body: []byte(body.Encode()), names: f.name, accept: accept})
		}
		body := url.Values{f.name: {"", ""}}
		b.add(request{what: fmt.Sprintf("POST /assess %s twice", f.name), method: http.MethodPost, url: "/assess",
			ctype: form, body: []byte(body.Encode()), names: f.name, accept: true})
	}
}

func trim(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// run sends every request, several at a time, and checks each answer.
func (b *battery) run() {
	work := make(chan request)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				if msg := b.check(r); msg != "" {
					b.t.Errorf("%s: %s", r.what, msg)
				}
			}
		}()
	}
	for _, r := range b.reqs {
		work <- r
	}
	close(work)
	wg.Wait()
}

// check sends one request and says what is wrong with its answer, "" when
// nothing is.
func (b *battery) check(r request) string {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.method, b.base+r.url, bytes.NewReader(r.body))
	if err != nil {
		return "cannot build the request: " + err.Error()
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	t0 := time.Now()
	resp, err := b.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Sprintf("no answer in %v (a hang)", requestTimeout)
		}
		return "no answer (a panic?): " + err.Error()
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Sprintf("%d, then the body broke off after %v (a panic?): %v", resp.StatusCode, time.Since(t0), err)
	}
	st := resp.StatusCode
	ctype := resp.Header.Get("Content-Type")
	switch {
	case st >= 500:
		return fmt.Sprintf("%d: %.300s", st, body)
	case st < 300:
		if !r.accept {
			return fmt.Sprintf("%d: a wrong value was accepted", st)
		}
		return ""
	case st < 400:
		if r.anyClient || r.notFound {
			return ""
		}
		return fmt.Sprintf("%d to a query value", st)
	}
	// A client error: it must be in the route's format and name the
	// parameter at fault.
	if r.api && ctype != "application/problem+json" || !r.api && !strings.HasPrefix(ctype, "text/html") {
		if !(r.api && st == http.StatusRequestEntityTooLarge) {
			return fmt.Sprintf("%d in %q", st, ctype)
		}
	}
	if r.anyClient || (r.notFound && (st == http.StatusNotFound || st == http.StatusMethodNotAllowed)) || st == http.StatusRequestEntityTooLarge {
		return ""
	}
	if r.api {
		var p struct {
			Errors []struct {
				Location string `json:"location"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return fmt.Sprintf("%d, not problem details: %v", st, err)
		}
		for _, e := range p.Errors {
			if e.Location == r.names || r.names == "body" && strings.HasPrefix(e.Location, "body") {
				return ""
			}
		}
		return fmt.Sprintf("%d does not name %s: %.300s", st, r.names, body)
	}
	// The page's message names the parameter as "name: what is wrong"
	// (a fact-schema error names the field as a JSON pointer).
	text := pageMessage(string(body))
	if strings.Contains(text, " "+r.names+": ") || strings.Contains(text, "/"+strings.ReplaceAll(r.names, ".", "/")+": ") {
		return ""
	}
	return fmt.Sprintf("%d page does not name %s: %.300s", st, r.names, text)
}

var tags = regexp.MustCompile(`<[^>]*>|\s+`)

// pageMessage is the text of a page's main element.
func pageMessage(page string) string {
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	if i := strings.Index(page, "</main>"); i >= 0 {
		page = page[:i]
	}
	return html.UnescapeString(tags.ReplaceAllString(page, " "))
}
