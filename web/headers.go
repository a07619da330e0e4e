package web

import "net/http"

// securityHeaders are sent with every response. The pages carry no inline
// script or style, so the policy allows only the site's own files; SVG
// images drawn on the server are inline markup, not fetched.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	// Browsers heed it only over HTTPS, where a public instance serves
	// (behind its TLS proxy); over plain HTTP to localhost they ignore it.
	"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}

// securityValues are securityHeaders as a header holds them, made once:
// every response shares the slices, which nothing writes into (Set and
// Add replace or grow a value, never change it in place).
var securityValues = func() http.Header {
	h := http.Header{}
	for k, v := range securityHeaders {
		h.Set(k, v)
	}
	return h
}()

// setSecurityHeaders sets the security headers on a response's header.
func setSecurityHeaders(h http.Header) {
	for k, v := range securityValues {
		h[k] = v
	}
}
