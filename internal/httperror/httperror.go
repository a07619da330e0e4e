// Package httperror maps the register's errors to HTTP statuses, in one
// place for the API and the pages.
package httperror

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"oversight/internal/memo"
	"oversight/internal/params"
	"oversight/registry"
)

// RetryAfter is what a 503 tells the client to wait, in seconds.
const RetryAfter = "5"

// Status returns the status an error is answered with: 404 for ENotFound,
// 400 for EInvalid, 503 for an answer still being computed or a request
// that ran out of time (send RetryAfter with it), 409 for EConflict, 401
// for EUnauthorized, 403 for EForbidden, 429 for ETooMany (the caller
// sets Retry-After), 415 for EUnsupported, 500 for anything else.
func Status(err error) int {
	if errors.Is(err, memo.ErrPending) || errors.Is(err, context.DeadlineExceeded) {
		return http.StatusServiceUnavailable
	}
	switch registry.ErrorCode(err) {
	case registry.ENotFound:
		return http.StatusNotFound
	case registry.EInvalid:
		return http.StatusBadRequest
	case registry.EConflict:
		return http.StatusConflict
	case registry.EUnauthorized:
		return http.StatusUnauthorized
	case registry.EForbidden:
		return http.StatusForbidden
	case registry.ETooMany:
		return http.StatusTooManyRequests
	case registry.EUnsupported:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// Fields returns the fields an EInvalid error names, each located in the
// request: a name without a location ("cursor") is a query parameter.
func Fields(err error) registry.Errors {
	var e *registry.Error
	if !errors.As(err, &e) {
		return nil
	}
	out := make(registry.Errors, len(e.Fields))
	for i, f := range e.Fields {
		g := *f
		if !HasLocation(g.Path) {
			g.Path = "query." + g.Path
		}
		out[i] = &g
	}
	return out
}

// HasLocation reports whether a field's path says where in the request it
// is: query., path. or body.
func HasLocation(path string) bool {
	for _, loc := range []string{"query.", "path.", "body", "header."} {
		if len(path) >= len(loc) && path[:len(loc)] == loc {
			return true
		}
	}
	return false
}

// LogPath is the request's path as a log or an error message may say it:
// the route's pattern where a path holds a secret (a receipt token), so
// that no secret is written to a log.
func LogPath(r *http.Request) string {
	if strings.Contains(r.Pattern, "{token}") {
		return r.Pattern
	}
	return r.URL.Path
}

// Gone reports whether a request failed because its client went away:
// such an error is no fault of the server, is not logged as one, and has
// nobody to be answered to.
func Gone(r *http.Request, err error) bool {
	return errors.Is(r.Context().Err(), context.Canceled) && errors.Is(err, context.Canceled)
}

// Unrouted returns the status a ServeMux gives a request no pattern matches
// (404, or 405 with the methods it would allow), so that a handler can
// answer it in its own format instead of the mux's plain text.
func Unrouted(mux *http.ServeMux, r *http.Request) (status int, allow string) {
	h, _ := mux.Handler(r)
	rec := &headerRecorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusNotFound
	}
	return rec.status, rec.header.Get("Allow")
}

// headerRecorder captures the status and headers of the mux's own 404/405.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }

// Reading adapts a handler that reads one snapshot of the register: it
// checks the path parameters (see params.Path), opens the snapshot, closes
// it after the handler, and answers any error with fail. The API and the
// pages each pass their own fail, which answers in their format.
func Reading[R interface{ Close() error }](open func(context.Context) (R, error), fail func(http.ResponseWriter, *http.Request, error),
	h func(http.ResponseWriter, *http.Request, R) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := params.Path(r); err != nil {
			fail(w, r, err)
			return
		}
		rd, err := open(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		defer rd.Close()
		if err := h(w, r, rd); err != nil {
			fail(w, r, err)
		}
	}
}
