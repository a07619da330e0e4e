package ratelimit

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustProxy says the server runs behind a proxy that appends each
// client's address to X-Forwarded-For; [ClientAddr] then reads it there.
// The operator who puts the server behind a reverse proxy (one that ends
// TLS, say) sets it, before serving; without such a proxy it must stay
// false, since X-Forwarded-For is then whatever the client sent.
var TrustProxy bool

// A Keyer reads the address of the client that sent a request.
type Keyer struct {
	// TrustForwardedFor says that every request comes through a proxy
	// that appends the address it was sent from to X-Forwarded-For, and
	// that the last address there is the client's. Set it only behind
	// such a proxy: addresses before the last one, and the whole header
	// when no proxy is in front, are written by the client and prove
	// nothing.
	TrustForwardedFor bool
}

// ClientAddr returns the address of the client that sent r, without the
// port, in canonical form: an IPv4 address mapped into IPv6 is written as
// IPv4, and an IPv6 zone is dropped. It is the host of r.RemoteAddr, or
// with TrustForwardedFor the last address of the last X-Forwarded-For
// header, when that is an address (with or without a port); when it is not,
// or there is none, the host of r.RemoteAddr is used, so that requests
// whose proxy gave no address share the proxy's bucket. A RemoteAddr that
// is not an address is returned as it is.
//
// The address is for the length of the request: to key a [Limiter], not to
// keep.
func (k Keyer) ClientAddr(r *http.Request) string {
	if k.TrustForwardedFor {
		if v := r.Header.Values("X-Forwarded-For"); len(v) > 0 {
			last := v[len(v)-1]
			last = strings.TrimSpace(last[strings.LastIndexByte(last, ',')+1:])
			if a, ok := parseAddr(last); ok {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if a, ok := parseAddr(host); ok {
		return a
	}
	return host
}

// ClientAddr returns Keyer{TrustForwardedFor: TrustProxy}.ClientAddr(r):
// the address of the client that sent r, read off the connection unless
// the server is configured to run behind a proxy.
func ClientAddr(r *http.Request) string {
	return Keyer{TrustForwardedFor: TrustProxy}.ClientAddr(r)
}

// parseAddr returns s, an IP address with or without a port, in canonical
// form without its port and zone.
func parseAddr(s string) (string, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return "", false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone("").String(), true
}
