package web

import "net/http"

// routes mounts the API and the pages side by side: the API owns /api/,
// /healthz and /openapi.json, the pages everything else. Each answers a
// path it does not know in its own format: problem details under the API,
// an HTML page elsewhere.
func routes(mux *http.ServeMux, api, pages http.Handler) {
	mux.Handle("/api/", api)
	mux.Handle("/healthz", api)
	mux.Handle("/openapi.json", api)
	mux.Handle("/", pages)
}
