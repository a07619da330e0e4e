package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"oversight/account"
	"oversight/internal/auth"
	"oversight/internal/testreg"
	"oversight/store"
)

// The pages' forms half of the bad-input battery: every field of every
// form a POST page route reads, sent each hostile value of formValues by a
// signed-in browser with its form token, the other fields at valid values.

// formRoute is a POST page route and where its forms are shown.
type formRoute struct {
	pattern string            // as site.Routes() lists it
	page    string            // the page whose forms post to it
	as      string            // the browser that sends it: "admin", "own" (an account of its own), "leaver" (another) or "anon" (signed out)
	valid   map[string]string // values for fields the form leaves empty, so that the others are read
	same    map[string]string // a field sent the same value as another (a password and its repetition)
	quiet   bool              // it refuses a value without naming the field (a sign-in says nothing of which was wrong)
	// named is the name a refusal gives a field, when it is not the
	// field's own (the submission form names the record's fields).
	named func(field string) string
	// shown is the input an error links to on the form shown again, when
	// it is not the field's own (the submission form numbers its rows as
	// they are filled in); nil when errors do not link to inputs.
	shown func(field string) string
	// unread says whether a field is not read while the others are at
	// their valid values (a row the form leaves empty is skipped): any
	// value of it may then be accepted.
	unread func(field string) bool
}

// formRoutes lists the POST page routes but POST /assess (assessBodies):
// TestNoServerErrorForBadInput fails when one is missing. A form that ends
// sessions is sent by browsers of accounts no other form uses ("own" ends
// its other sessions, "leaver" signs out: each request of it that is
// accepted from a browser signed in for it alone), and the admin's forms
// act on an account of their own ("target"), so that no request cuts the
// ground from under another.
var formRoutes = []formRoute{
	{pattern: "POST /submit", page: "/submit?kind=new", as: "admin", valid: map[string]string{"title": "A test deployment", "jurisdiction": "PK",
		"evidence0.url": "https://example.org/a", "message": "seen in the news", "capabilities": "cctv", "purposes": "criminal_investigation", "certainty": "reported"}, named: recordField, shown: shownInput, unread: emptyRow},
	{pattern: "POST /receipts/{token}", page: "/receipts/{receipt}", as: "anon"},
	{pattern: "POST /login", page: "/login", as: "anon", valid: map[string]string{"name": "battery", "password": testreg.Password}, quiet: true},
	{pattern: "POST /logout", page: "/account", as: "leaver"},
	{pattern: "POST /review/{id}", page: "/review/{submission}", as: "admin", valid: map[string]string{"message": "a reason"}},
	{pattern: "POST /deployments/{id}/reply", page: "/deployments/synthetic-pk-0000000/reply", as: "admin", valid: map[string]string{"text": "A reply."},
		named: func(f string) string { return map[string]string{"source": "sources[0].url"}[f] }},
	{pattern: "POST /admin", page: "/admin", as: "admin", valid: map[string]string{"name": "target", "org": "vendor-a", "days": "30",
		"password": "a long enough new passphrase", "label": "a label", "role": "contributor", "scope": "submit", "org_kind": "vendor"}},
	{pattern: "POST /account", page: "/account", as: "own", valid: map[string]string{"current": testreg.Password}, same: map[string]string{"password": "again"}},
}

var numbered = regexp.MustCompile(`^(evidence|vendor)([0-9]+)\.(.*)$`)

// recordField is the name the submission form's refusals give a field:
// its place in the proposal the form is read into. Its rows of evidence
// and of vendors are numbered as they are filled in: the battery fills in
// the first row of evidence and no vendor, and one field of another row.
func recordField(f string) string {
	if m := numbered.FindStringSubmatch(f); m != nil {
		if m[1] == "evidence" {
			return "evidence[" + min(m[2], "1") + "]." + m[3]
		}
		return "record.vendors[0]." + strings.Replace(m[3], "id", "vendor", 1)
	}
	switch f {
	case "capabilities", "purposes":
		return "record.system." + f + "[0]"
	case "status":
		return "record.status.value"
	case "message", "pseudonym", "contact", "kind", "target", auth.FormField:
		return f
	}
	return "record." + f
}

// shownInput is the input of the submission form an error on field f
// links to: the form is shown again with its rows numbered as recordField
// numbers them.
func shownInput(f string) string {
	if m := numbered.FindStringSubmatch(f); m != nil {
		row := "0"
		if m[1] == "evidence" {
			row = min(m[2], "1")
		}
		return m[1] + row + "." + m[3]
	}
	return f
}

// emptyRow says whether a field of the submission form is in a row the
// battery leaves empty, and is not one that fills it in: the form skips
// such a row, as a browser sends every row of the form whether filled in
// or not. The battery fills in the first row of evidence and no vendor.
func emptyRow(f string) bool {
	m := numbered.FindStringSubmatch(f)
	switch {
	case m == nil:
		return false
	case m[1] == "vendor":
		return m[3] != "id"
	}
	return m[2] != "0" && m[3] != "url" && m[3] != "title" && m[3] != "excerpt"
}

// formValues are the values every form field is sent.
var formValues = []hostile{
	{"empty", "", false},
	{"blank", "   ", false},
	{"100 KB", strings.Repeat("a", 100<<10), false},
	{"invalid UTF-8", "\xff\xfe", false},
	{"NUL", "\x00", false},
	{"NUL inside", "a\x00b", false},
	{"control characters", "a\x01\x1b[31m\r\nb", false},
	{"negative", "-1", false},
	{"huge", "99999999999999999999999", false},
	{"max int64", "9223372036854775807", false},
	{"fraction", "1.5", false},
	{"unknown value", "bogus", false},
	{"SQL", "' OR 1=1 --", false},
	{"unicode", "日本語", false},
}

// formInput is an input of a form as the page shows it.
type formInput struct {
	name, kind string   // kind: input type, "select" or "textarea"
	value      string   // what the page fills in
	options    []string // a select's, a checkbox's or a radio's values
}

// pageForm is a form a page shows.
type pageForm struct {
	action string // the path it posts to
	inputs []formInput
}

var (
	formRE     = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	actionRE   = regexp.MustCompile(`\baction="([^"]*)"`)
	postRE     = regexp.MustCompile(`\bmethod="post"`)
	inputTagRE = regexp.MustCompile(`(?s)<(input|textarea|select)\b([^>]*)>(.*?)(?:</select>|</textarea>|$)`)
	optionRE   = regexp.MustCompile(`<option\b[^>]*?\bvalue="([^"]*)"`)
)

// pageForms reads the POST forms of a page.
func pageForms(page, path string) []pageForm {
	var out []pageForm
	for _, m := range formRE.FindAllStringSubmatch(page, -1) {
		if !postRE.MatchString(m[1]) {
			continue
		}
		f := pageForm{action: path}
		if a := actionRE.FindStringSubmatch(m[1]); a != nil {
			f.action = html.UnescapeString(a[1])
		}
		byName := map[string]int{}
		for _, tag := range splitTags(m[2]) {
			t := inputTagRE.FindStringSubmatch(tag)
			nm := nameRE.FindStringSubmatch(t[2])
			if nm == nil {
				continue
			}
			in := formInput{name: html.UnescapeString(nm[1]), kind: t[1]}
			if ty := typeRE.FindStringSubmatch(t[2]); t[1] == "input" && ty != nil {
				in.kind = ty[1]
			}
			v := valueRE.FindStringSubmatch(t[2])
			switch in.kind {
			case "select":
				for _, o := range optionRE.FindAllStringSubmatch(t[3], -1) {
					in.options = append(in.options, html.UnescapeString(o[1]))
				}
			case "textarea":
				in.value = html.UnescapeString(t[3])
			case "checkbox", "radio":
				if v != nil {
					in.options = []string{html.UnescapeString(v[1])}
				}
			default:
				if v != nil {
					in.value = html.UnescapeString(v[1])
				}
			}
			if i, ok := byName[in.name]; ok { // a radio or checkbox group
				f.inputs[i].options = append(f.inputs[i].options, in.options...)
				continue
			}
			byName[in.name] = len(f.inputs)
			f.inputs = append(f.inputs, in)
		}
		out = append(out, f)
	}
	return out
}

// splitTags returns the input, select and textarea elements of a form's
// HTML, each from its start tag to the end of its element (a select or a
// textarea) or of its start tag (an input).
func splitTags(form string) []string {
	var out []string
	for {
		i := strings.IndexAny(form, "<")
		if i < 0 {
			return out
		}
		form = form[i:]
		var end string
		switch {
		case strings.HasPrefix(form, "<input"):
			end = ">"
		case strings.HasPrefix(form, "<select"):
			end = "</select>"
		case strings.HasPrefix(form, "<textarea"):
			end = "</textarea>"
		default:
			form = form[1:]
			continue
		}
		j := strings.Index(form, end)
		if j < 0 {
			return out
		}
		out = append(out, form[:j+len(end)])
		form = form[j+len(end):]
	}
}

// signedIn are the battery's signedIn, by formRoute.as: each a Cookie
// header and the form token that goes with it.
type formBrowser struct {
	c      *client
	cookie string
}

// newBrowsers signs in the battery's signedIn: "admin" as the battery's
// account, "own" as an account of its own, "anon" not at all.
func newBrowsers(b *battery, db *store.DB) map[string]*formBrowser {
	testreg.Account(b.t, db, "own", account.Reviewer, nil)
	testreg.Account(b.t, db, "leaver", account.Contributor, nil)
	testreg.Account(b.t, db, "target", account.Contributor, nil)
	out := map[string]*formBrowser{}
	for as, name := range map[string]string{"admin": "battery", "own": "own", "leaver": "leaver", "anon": ""} {
		c := newClient(b.t, b.base, "")
		if name != "" {
			c.login(name, testreg.Password)
		}
		out[as] = &formBrowser{c: c}
	}
	return out
}

// cookieHeader is the Cookie header of c's cookies.
func cookieHeader(c *client) string {
	var parts []string
	for k, v := range c.cookies {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}

// formRoutes adds, for every POST page route, each hostile value of each
// field of each of its forms, each field twice, a body of another type, a
// body over the limit and an unknown field.
func (b *battery) formRoutes(db *store.DB) {
	var listed []string
	for _, r := range formRoutes {
		listed = append(listed, r.pattern)
	}
	for _, r := range pageRoutes {
		if strings.HasPrefix(r.pattern, "POST ") && r.pattern != "POST /assess" && !slices.Contains(listed, r.pattern) {
			b.t.Errorf("%s is not in formRoutes: list it with the page that shows its forms", r.pattern)
		}
	}
	signedIn := newBrowsers(b, db)
	const ctype = "application/x-www-form-urlencoded"
	for _, r := range formRoutes {
		br := signedIn[r.as]
		page := br.c.do("GET", b.made(r.page), nil)
		if page.status != http.StatusOK {
			b.t.Fatalf("%s: GET %s: %d", r.pattern, r.page, page.status)
		}
		_, tmpl, _ := strings.Cut(r.pattern, " ")
		re := regexp.MustCompile("^" + regexp.MustCompile(`\\\{[a-z]+\\\}`).ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`) + "$")
		seen := map[string]bool{}
		n := 0
		for _, f := range pageForms(page.body, strings.Split(b.made(r.page), "?")[0]) {
			if !re.MatchString(f.action) {
				continue
			}
			// One form of each action: the admin page shows one of each
			// per account.
			base := url.Values{}
			for _, in := range f.inputs {
				v := in.value
				if w, ok := r.valid[in.name]; ok {
					v = w
				} else if v == "" && len(in.options) > 0 && in.kind != "checkbox" {
					v = in.options[0]
				}
				base.Set(in.name, v)
			}
			key := f.action + "?" + base.Get("action")
			if seen[key] {
				continue
			}
			seen[key] = true
			n++
			br.cookie = cookieHeader(br.c)
			send := func(what string, body url.Values, names, input string, accept, quiet bool) {
				cookie := br.cookie
				if accept && r.as == "leaver" {
					// It signs out: from a browser of its own.
					c := newClient(b.t, b.base, "")
					c.login(r.as, testreg.Password)
					body = cloneValues(body)
					body.Set(auth.FormField, c.formToken(r.page))
					cookie = cookieHeader(c)
				}
				b.add(request{what: fmt.Sprintf("%s (%s) %s", r.pattern, base.Get("action"), what), method: http.MethodPost, url: f.action,
					ctype: ctype, body: []byte(body.Encode()), cookie: cookie, names: names, input: input, accept: accept, form: true, anyClient: quiet && body.Get(auth.FormField) != ""})
			}
			for _, in := range f.inputs {
				names, input := in.name, ""
				if r.named != nil && r.named(in.name) != "" {
					names = r.named(in.name)
				}
				if r.shown != nil {
					input = r.shown(in.name)
				}
				for _, v := range formValues {
					body := cloneValues(base)
					body.Set(in.name, v.v)
					if other, ok := r.same[in.name]; ok {
						body.Set(other, v.v)
					}
					accept := formAccepts(in, v.v) || r.unread != nil && r.unread(in.name)
					send(fmt.Sprintf("%s= %s", in.name, v.name), body, names, input, accept, r.quiet)
				}
				body := cloneValues(base)
				body[in.name] = []string{"a", "b"}
				send(in.name+" twice", body, names, input, in.name != auth.FormField, r.quiet)
			}
			body := cloneValues(base)
			body.Set("nonsense", "1")
			send("nonsense=1", body, "nonsense", "", true, false)
			b.add(request{what: r.pattern + " a JSON body", method: http.MethodPost, url: f.action, ctype: "application/json",
				body: []byte(`{"csrf":"x"}`), cookie: br.cookie, names: auth.FormField, form: true}) // not read as a form: no token
			big := cloneValues(base)
			big.Set("nonsense", strings.Repeat("a", 2<<20))
			b.add(request{what: r.pattern + " a body of 2 MB", method: http.MethodPost, url: f.action, ctype: ctype,
				body: []byte(big.Encode()), cookie: br.cookie, names: "body", form: true})
		}
		if n == 0 {
			b.t.Errorf("%s: %s shows no form that posts to it", r.pattern, r.page)
		}
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// formAccepts reports whether a form field takes v, so that a 2xx (or the
// 303 a form answers when it succeeds) is a right answer to it. A free
// text field may take any text; a choice takes its options; the form's
// token only the one the page gave.
func formAccepts(in formInput, v string) bool {
	if in.name == auth.FormField {
		return false
	}
	switch in.kind {
	case "select", "radio", "checkbox":
		return slices.Contains(in.options, v) || v == ""
	case "hidden":
		return true // which action, which record: the route decides
	}
	return utf8.ValidString(v) && !strings.ContainsRune(v, 0)
}
