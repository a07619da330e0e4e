package web

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"oversight/contrib"
	"oversight/site"
)

// Valid values for the parameters a route needs while another of its
// parameters is tested: required query parameters and path parameters.
// A path missing here is tested with an id that does not exist.
var (
	validQuery = map[string]string{"framework": "apac-baseline", "format": "csv", "scheme": "eu-ai-act", "from": "1"}
	validPath  = map[string]string{ // by path template
		"/api/v1/deployments/{id}":                "synthetic-pk-0000000",
		"/api/v1/deployments/{id}/classification": "synthetic-pk-0000000",
		"/api/v1/jurisdictions/{id}":              "PK",
		"/api/v1/vendors/{id}":                    "vendor-a",
		"/api/v1/frameworks/{id}":                 "apac-baseline",
		"/api/v1/log/revisions/{seq}":             "0",
		// Made by the battery before it runs (battery.made).
		"/api/v1/receipts/{token}":             "{receipt}",
		"/api/v1/receipts/{token}/answer":      "{receipt}",
		"/api/v1/receipts/{token}/withdraw":    "{receipt}",
		"/api/v1/receipts/{token}/contact":     "{receipt}",
		"/api/v1/submissions/{id}":             "{submission}",
		"/api/v1/submissions/{id}/decision":    "{submission}",
		"/api/v1/deployments/{id}/reply":       "synthetic-pk-0000000",
		"/api/v1/deployments/{id}/declaration": "synthetic-pk-0000000",
		"/api/v1/releases/{tag}":               "2026-12",
		"/api/v1/releases/{tag}/export":        "2026-12",
		"/api/v1/proofs/{kind}/{id}#kind":      "deployment",
		"/api/v1/proofs/{kind}/{id}#id":        "synthetic-pk-0000000",
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
var searchQuery = []string{"jurisdiction", "subregion", "vendor", "vendor_hq", "technology", "purpose", "status", "certainty", "year_from", "year_to", "q", "tier", "cursor"}

// networkQuery is what the network, trends and who-paid pages read
// (params.Network).
var networkQuery = []string{"subregion", "jurisdiction", "vendor_hq", "certainty", "technology", "year_from", "year_to"}

// pageRoutes mirrors site.routes(): TestNoServerErrorForBadInput fails
// when the two differ.
var pageRoutes = []pageRoute{
	{pattern: "GET /{$}", query: []string{"member"}},
	{pattern: "GET /countries/{$}"},
	{pattern: "GET /countries/{code}", path: "code", valid: "PK"},
	{pattern: "GET /deployments/{$}", query: searchQuery, strict: true},
	{pattern: "GET /deployments/{id}", path: "id", valid: "synthetic-pk-0000000"},
	{pattern: "GET /vendors/{id}", path: "id", valid: "vendor-a"},
	{pattern: "GET /frameworks/{$}"},
	{pattern: "GET /frameworks/{id}", path: "id", valid: "apac-baseline"},
	{pattern: "GET /scenarios", query: []string{"framework", "cursor", "jurisdiction", "region"}, strict: true, base: map[string]string{"framework": "apac-baseline"}},
	{pattern: "GET /search", query: searchQuery, strict: true},
	{pattern: "GET /releases"},
	{pattern: "GET /history", query: []string{"before"}, strict: true},
	{pattern: "GET /feed.atom"},
	{pattern: "GET /money", query: networkQuery, strict: true},
	{pattern: "GET /network", query: networkQuery, strict: true},
	{pattern: "GET /network.csv", query: networkQuery, strict: true},
	{pattern: "GET /trends", query: networkQuery, strict: true},
	{pattern: "GET /about"},
	{pattern: "GET /method"},
	{pattern: "GET /about/api"},
	{pattern: "GET /releases/{tag}", path: "tag", valid: "2026-12", query: []string{"from"}, strict: true},
	{pattern: "GET /assess"},
	{pattern: "POST /assess"}, // its form: assessBodies
	{pattern: "GET /static/{file...}", path: "file", valid: "style.css"},
	{pattern: "GET /submit", query: []string{"kind", "target"}, strict: true},
	{pattern: "POST /submit"}, // a form: the write tests send it
	{pattern: "GET /receipts/{token}", path: "token", valid: "{receipt}", strict: true},
	{pattern: "POST /receipts/{token}"},
	{pattern: "GET /login", query: []string{"next"}, strict: true},
	{pattern: "POST /login"},
	{pattern: "POST /logout"},
	{pattern: "GET /review", query: []string{"state", "jurisdiction", "kind", "after", "limit"}, strict: true},
	{pattern: "GET /review/{id}", path: "id", valid: "{submission}", strict: true},
	{pattern: "POST /review/{id}"},
	{pattern: "GET /deployments/{id}/reply", path: "id", valid: "synthetic-pk-0000000", strict: true},
	{pattern: "POST /deployments/{id}/reply"},
	{pattern: "GET /admin", strict: true},
	{pattern: "POST /admin"},
	{pattern: "GET /account", strict: true},
	{pattern: "POST /account"},
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
	// Well formed, naming nothing the register holds: refused where a
	// filter's codes are checked (params.Known), and named.
	{"unknown code", "XX", false},
	{"unknown id", "no-such-id", false},
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
		case "technology", "purpose", "status", "certainty", "member":
			p.Schema.Enum = []string{"never"} // no hostile value is one
		case "year_from", "year_to":
			p.Schema.Type = "integer"
			lo, hi := int64(1900), int64(2100)
			p.Schema.Minimum, p.Schema.Maximum = &lo, &hi
		case "q":
			n := 200
			p.Schema.MaxLength = &n
		case "state":
			p.Schema.Enum = contrib.StateEnum.Values
		case "kind":
			p.Schema.Enum = contrib.KindEnum.Values
		case "after", "limit":
			p.Schema.Type = "integer"
			lo, hi := int64(1), int64(contrib.MaxQueue)
			p.Schema.Minimum = &lo
			if name == "limit" {
				p.Schema.Maximum = &hi
			}
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
		valid := path(hostile{v: b.made(r.valid), raw: true})
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
			// The search takes several vendors as a select of several
			// sends them, each once: "a" twice is a list of ids.
			b.add(request{what: fmt.Sprintf("page %s ?%s twice", r.pattern, name), method: method, url: valid + "?" + q.Encode(), names: name,
				accept: name == "vendor" && slices.Equal(r.query, searchQuery)})
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
