package ratelimit

import (
	"net"
	"net/http/httptest"
	"testing"
)

// FuzzClientAddr: any X-Forwarded-For and remote address give a client key
// without a panic, and behind a trusted proxy the key is an IP address or
// the connection's own host.
func FuzzClientAddr(f *testing.F) {
	f.Add("203.0.113.7, 10.0.0.1", "127.0.0.1:4000")
	f.Add("", "[::1]:80")
	f.Add(",,,", "garbage")
	f.Add("2001:db8::1", "192.0.2.1:1")
	f.Add("[fe80::1%eth0]:9", "[fe80::2%lo]:1")
	f.Fuzz(func(t *testing.T, xff, remote string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		got := Keyer{TrustForwardedFor: true}.ClientAddr(r)
		host, _, err := net.SplitHostPort(remote)
		if err != nil {
			host = remote
		}
		if net.ParseIP(got) == nil && got != host {
			t.Fatalf("ClientAddr = %q from %q, %q", got, xff, remote)
		}
	})
}
