package web

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A client sends requests as a browser or a program would: a browser keeps
// the cookies the server sets (the Secure ones too, as a browser does for
// localhost, which Go's cookie jar does not over plain HTTP) and carries
// its forms' tokens; a program sends its API token.
type client struct {
	t       testing.TB
	base    string
	token   string // API token; empty for a browser
	cookies map[string]string
	origin  string // Sec-Fetch-Site to send, when set
}

func newClient(t testing.TB, base, token string) *client {
	return &client{t: t, base: base, token: token, cookies: map[string]string{}}
}

type answer struct {
	status int
	header http.Header
	body   string
}

// do sends a request; body is a form (url.Values) or JSON (string).
func (c *client) do(method, path string, body any, hdr ...string) answer {
	c.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for name, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: v})
	}
	if c.origin != "" {
		req.Header.Set("Sec-Fetch-Site", c.origin)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return answer{resp.StatusCode, resp.Header, string(b)}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// formToken opens a page and returns the token its forms carry.
func (c *client) formToken(path string) string {
	c.t.Helper()
	a := c.do("GET", path, nil)
	m := csrfField.FindStringSubmatch(a.body)
	if m == nil {
		c.t.Fatalf("GET %s: %d, no form token in the page", path, a.status)
	}
	return m[1]
}

// login signs the browser in and fails the test if it cannot.
func (c *client) login(name, password string) {
	c.t.Helper()
	a := c.do("POST", "/login", url.Values{"name": {name}, "password": {password}, "csrf": {c.formToken("/login")}, "next": {"/review"}})
	if a.status != http.StatusSeeOther || c.cookies["__Host-oversight-session"] == "" {
		c.t.Fatalf("sign-in as %s: %d %.300s", name, a.status, a.body)
	}
}
