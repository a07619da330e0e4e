package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"oversight/internal/fixture"
	"oversight/registry"
)

// The API half of the bad-input battery: its routes and parameters read
// from the OpenAPI description, and what each parameter accepts.

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
			val := b.made(validPath[tmpl])
			if v, ok := validPath[tmpl+"#"+p.Name]; ok { // a path of two parameters
				val = v
			}
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

// held reports whether the battery's register (fixture.Set) holds a code
// of a filter: a jurisdiction, a vendor, or a vendor's headquarters.
func held(param, code string) bool {
	set := fixture.Set(0)
	for _, j := range set.Jurisdictions {
		if param == "jurisdiction" && j.Code == code {
			return true
		}
	}
	for _, v := range set.Vendors {
		if param == "vendor" && v.ID == code || param == "vendor_hq" && v.Headquarters == code {
			return true
		}
	}
	return false
}

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
	// A code must name a record the register holds: every route that
	// takes one refuses one it holds no record of (cached.Known).
	case "jurisdiction":
		for _, c := range strings.Split(v, ",") {
			if c = strings.ToUpper(strings.TrimSpace(c)); !alpha2.MatchString(c) || !held("jurisdiction", c) {
				return false
			}
		}
		return true
	case "vendor_hq":
		return alpha2.MatchString(v) && held("vendor_hq", strings.ToUpper(v))
	case "vendor":
		return slugRE.MatchString(v) && held("vendor", v)
	case "framework":
		for _, id := range strings.Split(v, ",") {
			if !slices.Contains(b.frameworks, id) {
				return false
			}
		}
		return true
	case "tier":
		return false // no hostile value is FRAMEWORK:TIER
	case "target":
		return slugRE.MatchString(v)
	case "next":
		return true // any text: a sign-in goes to it only if it is a path here
	case "subregion":
		return registry.Subregions.Has(v)
	case "region":
		return registry.Memberships.Has(v)
	case "from", "before":
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n >= 1 && n <= 1<<50 && (len(v) == 1 || v[0] != '0') // a log size
	}
	b.t.Errorf("parameter %s: the test does not know what values it takes; teach accepts", p.Name)
	return true
}
