package ratelimit

import (
	"net/http/httptest"
	"testing"
)

// TestClientAddr: the connection's address, unless behind a trusted
// proxy, whose last X-Forwarded-For entry is the client; canonical, so
// that one client has one key.
func TestClientAddr(t *testing.T) {
	cases := []struct {
		remote string
		xff    []string
		direct string // without a proxy
		proxy  string // with TrustForwardedFor
	}{
		{"192.0.2.1:5000", []string{"198.51.100.9, 203.0.113.7"}, "192.0.2.1", "203.0.113.7"},
		{"192.0.2.1:5000", []string{"198.51.100.9", "203.0.113.7,203.0.113.8"}, "192.0.2.1", "203.0.113.8"},
		{"192.0.2.1:5000", nil, "192.0.2.1", "192.0.2.1"},
		{"192.0.2.1:5000", []string{"203.0.113.7, unknown"}, "192.0.2.1", "192.0.2.1"},
		{"192.0.2.1:5000", []string{"203.0.113.7:4711"}, "192.0.2.1", "203.0.113.7"},
		{"192.0.2.1:5000", []string{"[2001:db8::7]:4711"}, "192.0.2.1", "2001:db8::7"},
		{"[::ffff:192.0.2.1]:80", []string{"2001:DB8:0::1"}, "192.0.2.1", "2001:db8::1"},
		{"[fe80::1%eth0]:80", nil, "fe80::1", "fe80::1"},
		{"@", nil, "@", "@"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := (Keyer{}).ClientAddr(r); got != c.direct {
			t.Errorf("%s %q without a proxy: %q, want %q", c.remote, c.xff, got, c.direct)
		}
		if got := ClientAddr(r); got != c.direct {
			t.Errorf("%s %q with TrustProxy unset: %q, want %q", c.remote, c.xff, got, c.direct)
		}
		if got := (Keyer{TrustForwardedFor: true}).ClientAddr(r); got != c.proxy {
			t.Errorf("%s %q behind a proxy: %q, want %q", c.remote, c.xff, got, c.proxy)
		}
	}

	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Forwarded-For", "203.0.113.7")
	TrustProxy = true
	defer func() { TrustProxy = false }()
	if got := ClientAddr(r); got != "203.0.113.7" {
		t.Errorf("with TrustProxy set: %q", got)
	}
}
