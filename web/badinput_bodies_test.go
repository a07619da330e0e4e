package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
	name      string
	kind      string // select, number, checkbox, radio, text
	options   []string
	maxLength int // a text input's maxlength, 0 for none
}

var (
	tagRE    = regexp.MustCompile(`<(select|input)\b[^>]*>`)
	nameRE   = regexp.MustCompile(`\bname="([^"]+)"`)
	typeRE   = regexp.MustCompile(`\btype="([^"]+)"`)
	valueRE  = regexp.MustCompile(`\bvalue="([^"]*)"`)
	maxlenRE = regexp.MustCompile(`\bmaxlength="([0-9]+)"`)
	selectRE = regexp.MustCompile(`(?s)<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>`)
)

// nextRE finds a questionnaire step's button to the next step.
var nextRE = regexp.MustCompile(`<button type="submit" name="to" value="([^"]+)" class="primary">Next`)

// assessFields reads the assessment form's inputs from each of its steps,
// following the buttons to the next.
func (b *battery) assessFields() []formField {
	resp, err := b.client.Get(b.base + "/assess")
	if err != nil {
		b.t.Fatal(err)
	}
	first, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(first)
	for step := page; ; {
		m := nextRE.FindStringSubmatch(step)
		if m == nil {
			break
		}
		resp, err := b.client.PostForm(b.base+"/assess", url.Values{"to": {m[1]}})
		if err != nil {
			b.t.Fatal(err)
		}
		next, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		step = string(next)
		page += step
	}
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
	for _, m := range selectRE.FindAllStringSubmatch(page, -1) {
		f := field(m[1], "select")
		for _, o := range valueRE.FindAllStringSubmatch(m[2], -1) {
			f.options = append(f.options, o[1])
		}
	}
	for _, tag := range tagRE.FindAllString(page, -1) {
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
		if kind == "hidden" {
			continue // an answer carried from another step: on the first, none
		}
		f := field(nm[1], kind)
		if v := valueRE.FindStringSubmatch(tag); v != nil && (kind == "checkbox" || kind == "radio") {
			f.options = append(f.options, v[1])
		}
		if m := maxlenRE.FindStringSubmatch(tag); m != nil {
			f.maxLength, _ = strconv.Atoi(m[1])
		}
	}
	var out []formField
	for _, n := range order {
		out = append(out, *byName[n])
	}
	if len(out) < 40 {
		b.t.Fatalf("the assessment form has %d inputs over its steps; the reading of it is wrong", len(out))
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
		{"nested [ 10,000 deep", form, []byte(strings.Repeat("[", 10000) + "=" + strings.Repeat("]", 10000)), false},
		{"2 MB", form, append([]byte("notes="), bytes.Repeat([]byte("a"), 2<<20)...), false},
		{"unknown field", form, []byte("nonsense=1"), false},
		{"invalid UTF-8", form, []byte("%ff%fe=%ff%fe"), false},
		{"10,000 values", form, []byte(strings.Repeat("purposes=marketing&", 10000)), false},
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
				accept = utf8.ValidString(v) && !strings.ContainsRune(v, 0) && (f.maxLength == 0 || len(v) <= f.maxLength)
			case "select", "checkbox", "radio":
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
			ctype: form, body: []byte(body.Encode()), names: f.name, accept: f.kind != "checkbox" || slices.Contains(f.options, "")})
	}
	// The step asked for next (the buttons' "to"): a section's id or the
	// result, and nothing else.
	for _, v := range formValues {
		body := url.Values{"to": {v.v}}
		b.add(request{what: "POST /assess to= " + v.name, method: http.MethodPost, url: "/assess", ctype: form,
			body: []byte(body.Encode()), names: "to", accept: v.v == "",
			anyClient: len(v.v) > 64<<10}) // past the form's bound, which "form" names
	}
}

func trim(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// run sends every request, several at a time, and checks each answer.
