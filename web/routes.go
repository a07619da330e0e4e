package web

import "net/http"

// routes mounts the API, the log's tiles and the pages side by side: the
// API owns /api/, /healthz and /openapi.json, the tiles /log/ (C2SP
// tlog-tiles), the pages everything else. Each answers a path it does not
// know in its own format: problem details under the API, plain text under
// the tiles, an HTML page elsewhere.
func routes(mux handler, api, log, pages http.Handler) {
	mux.Handle("/api/", api)
	mux.Handle("/log/", log)
	mux.Handle("/healthz", api)
	mux.Handle("/openapi.json", api)
	mux.Handle("/", pages)
}

// handler is where routes mounts its handlers: the server's ServeMux, or
// the bad-input battery's list of what it must cover.
type handler interface {
	Handle(pattern string, h http.Handler)
}
