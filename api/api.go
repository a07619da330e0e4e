// Package api serves the register as a read-only JSON API under /api/v1,
// its OpenAPI description at /openapi.json, downloads, the log's signed
// checkpoint and inclusion proofs, and /healthz.
//
// Every GET answers with an ETag and honours If-None-Match; errors are RFC
// 9457 problem details that name the parameter at fault. Each request that
// reads the register reads one snapshot of it.
package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/analysis"
	"oversight/contrib"
	"oversight/internal/httperror"
	"oversight/internal/memo"
	"oversight/ledger"
	"oversight/registry"
	"oversight/release"
)

//go:embed openapi.json
var openapi []byte

// Reader is one snapshot of the register, with the log's checkpoint and
// proofs: what the API reads.
type Reader interface {
	registry.Snapshot
	Checkpoint(ctx context.Context) ([]byte, ledger.Checkpoint, error)
	InclusionProof(ctx context.Context, seq, size int64) (tlog.RecordProof, error)
	ConsistencyProof(ctx context.Context, n, t int64) (tlog.TreeProof, error)
	Cosignatures(ctx context.Context, size int64) ([]string, error)
	Releases(ctx context.Context) ([]release.Release, error)
	ChangeCounts(ctx context.Context, from, to int64) (map[string]int, error)
	EachRevision(ctx context.Context, from, to int64, fn func(*registry.Revision) error) error
	// Content returns the salt and content a format-2 revision commits
	// to: nil for format 1, a *registry.RedactedError once redacted.
	Content(ctx context.Context, n int64) (salt, content []byte, err error)
	// TierTable reads deployments' tiers on a day from the tier
	// projection; ok is false while it is not ready.
	TierTable(ctx context.Context, ids []string, day string) (tiers *registry.TierTable, ok bool, err error)
	// DeploymentStates is Deployments with the deployments' stored states
	// (registry.Stored), for lists that send them as they are.
	DeploymentStates(ctx context.Context, f registry.DeploymentFilter) (registry.Page[registry.Stored], error)
}

// Config is what the API is built from.
type Config struct {
	// Open opens a snapshot of the register for one request.
	Open func(ctx context.Context) (Reader, error)
	// Classifier classifies deployments under the frameworks.
	Classifier *analysis.Classifier
	// Memo keeps whole-register results (the index, scenario counts) per
	// register state; the pages share it.
	Memo *memo.Cache
	// Now is the clock; answers default to its UTC date.
	Now func() time.Time
	// Submissions keeps what contributors propose and reviewers decide.
	Submissions contrib.Service
}

type server struct {
	Config
	mux *http.ServeMux
}

// New returns the API's handler.
func New(c Config) http.Handler {
	s := &server{Config: c, mux: http.NewServeMux()}
	for _, rt := range s.routes() {
		s.mux.HandleFunc(rt.pattern, rt.handler)
	}
	return s
}

type route struct {
	pattern string
	handler http.HandlerFunc
}

// routes lists every endpoint; the OpenAPI test checks each is documented.
func (s *server) routes() []route {
	return []route{
		{"GET /healthz", s.read(s.healthz)},
		{"GET /openapi.json", s.openapi},
		{"GET /api/v1/deployments", s.read(s.deployments)},
		{"GET /api/v1/deployments/{id}", s.read(s.deployment)},
		{"GET /api/v1/deployments/{id}/classification", s.read(s.classification)},
		{"GET /api/v1/deployments/{id}/declaration", s.read(s.declaration)},
		{"POST /api/v1/classify", s.classify},
		{"GET /api/v1/frameworks", s.frameworks},
		{"GET /api/v1/frameworks/{id}", s.framework},
		{"GET /api/v1/scenarios", s.read(s.scenario)},
		{"GET /api/v1/schema/facts", s.factSchema},
		{"GET /api/v1/index", s.read(s.index)},
		{"GET /api/v1/network", s.read(table(s, analysis.BuildNetwork))},
		{"GET /api/v1/trends", s.read(table(s, analysis.Trends))},
		{"GET /api/v1/jurisdictions", s.read(s.list("jurisdiction"))},
		{"GET /api/v1/jurisdictions/{id}", s.read(s.jurisdiction)},
		{"GET /api/v1/vendors", s.read(s.list("vendor"))},
		{"GET /api/v1/vendors/{id}", s.read(s.vendor)},
		{"GET /api/v1/instruments", s.read(s.list("instrument"))},
		{"GET /api/v1/instruments/{id}", s.read(s.entity("instrument"))},
		{"GET /api/v1/claims", s.read(s.list("claim"))},
		{"GET /api/v1/claims/{id}", s.read(s.entity("claim"))},
		{"GET /api/v1/sources", s.read(s.sources)},
		{"GET /api/v1/export", s.read(s.export)},
		{"GET /api/v1/log/checkpoint", s.read(s.checkpoint)},
		{"GET /api/v1/log/revisions/{seq}", s.read(s.revision)},
		{"GET /api/v1/log/consistency", s.read(s.consistency)},
		{"GET /api/v1/proofs/{kind}/{id}", s.read(s.proof)},
		{"GET /api/v1/releases", s.read(s.releases)},
		{"GET /api/v1/releases/{tag}", s.read(s.releaseChanges)},
		{"GET /api/v1/releases/{tag}/export", s.read(s.releaseExport)},
		{"POST /api/v1/submissions", s.submit},
		{"GET /api/v1/receipts/{token}", s.receiptStatus},
		{"POST /api/v1/receipts/{token}/answer", s.answer},
		{"POST /api/v1/receipts/{token}/withdraw", s.withdraw},
		{"DELETE /api/v1/receipts/{token}/contact", s.forgetContact},
		{"GET /api/v1/submissions", s.read(s.queue)},
		{"GET /api/v1/submissions/{id}", s.read(s.reviewView)},
		{"POST /api/v1/submissions/{id}/decision", s.decide},
		{"POST /api/v1/deployments/{id}/reply", s.read(s.replyTo)},
	}
}

// Routes lists the patterns of the API's endpoints, in order.
func Routes() []string {
	var out []string
	for _, rt := range (&server{}).routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// reading is a handler that reads the register through one snapshot and
// returns its error for fail to answer.
type reading func(w http.ResponseWriter, r *http.Request, rd Reader) error

// read adapts a reading handler (see httperror.Reading).
func (s *server) read(h reading) http.HandlerFunc { return httperror.Reading(s.Open, s.fail, h) }

// open opens a snapshot for a computation that outlives the request.
func (s *server) open(ctx context.Context) (registry.Snapshot, error) { return s.Open(ctx) }

// stale marks an answer computed from an earlier state of the register
// than the request's, while a newer one is computed: the header names the
// log size it was computed at, and no cache keeps it.
func stale[T any](w http.ResponseWriter, v memo.Value[T]) {
	if v.Stale {
		w.Header().Set("Oversight-Computed-At", fmt.Sprintf("log-size=%d; stale", v.Key.Size))
		w.Header().Set("Cache-Control", "no-store")
	}
}

// today is the date answers classify at by default.
func (s *server) today() time.Time { return memo.Day(s.Now()) }

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern == "" {
		// ServeMux answers 404 and 405 in plain text; answer in problem
		// details instead, keeping its Allow header.
		status, allow := httperror.Unrouted(s.mux, r)
		if allow != "" {
			w.Header().Set("Allow", allow)
		}
		problem(w, status, fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path), nil)
		return
	}
	// The mux, not h, sets the request's path values.
	s.mux.ServeHTTP(w, r)
}

// fieldError is a registry.FieldError as problem details write it.
type fieldError struct {
	Location string   `json:"location"`
	Message  string   `json:"message"`
	Allowed  []string `json:"allowed,omitempty"`
}

// problem writes an RFC 9457 problem details response.
func problem(w http.ResponseWriter, status int, detail string, errs registry.Errors) {
	out := make([]fieldError, len(errs))
	for i, e := range errs {
		out[i] = fieldError{e.Path, e.Msg, e.Allowed}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Type   string       `json:"type"`
		Title  string       `json:"title"`
		Status int          `json:"status"`
		Detail string       `json:"detail,omitempty"`
		Errors []fieldError `json:"errors,omitempty"`
	}{"about:blank", http.StatusText(status), status, detail, out})
}

func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) { Fail(w, r, err) }

// Fail answers an error as problem details, with the status its code maps
// to and the fields it names. The server answers with it too, for a
// request its route table refuses.
func Fail(w http.ResponseWriter, r *http.Request, err error) {
	status := httperror.Status(err)
	switch {
	case httperror.Gone(r, err):
		return
	case status == http.StatusNotFound:
		problem(w, status, "no such record: "+httperror.LogPath(r), httperror.Fields(err))
	case status == http.StatusBadRequest:
		detail := "invalid query parameters"
		var e *registry.Error
		if errors.As(err, &e) && e.Message != "" {
			detail = e.Message
		}
		problem(w, status, detail, httperror.Fields(err))
	case status == http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="oversight"`)
		problem(w, status, err.Error(), nil)
	case status == http.StatusForbidden || status == http.StatusTooManyRequests:
		problem(w, status, err.Error(), nil)
	case status == http.StatusUnsupportedMediaType:
		problem(w, status, "send the body as application/json", httperror.Fields(err))
	case status == http.StatusConflict:
		problem(w, status, err.Error(), nil) // the register's state, said for people
	case status == http.StatusServiceUnavailable:
		unavailable(w, "the answer is being computed; retry after the time in Retry-After")
	default:
		slog.Error("request failed", "path", httperror.LogPath(r), "err", err)
		problem(w, status, "internal error", nil)
	}
}

// send writes a response body with a strong ETag over its bytes, and
// answers 304 when the client already has them.
func send(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Type", contentType)
	if match := r.Header.Get("If-None-Match"); match != "" && EtagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// EtagMatches reports whether an If-None-Match header names etag.
func EtagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// sendJSON answers v as JSON; it returns an error only if v cannot be
// encoded, before anything is written.
func sendJSON(w http.ResponseWriter, r *http.Request, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	send(w, r, "application/json", buf.Bytes())
	return nil
}

// collection is the shape of every list: {"items": [...], "next": "CURSOR"}.
type collection[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// unavailable answers 503 with the Retry-After every 503 of the server
// carries.
func unavailable(w http.ResponseWriter, msg string) {
	w.Header().Set("Retry-After", httperror.RetryAfter)
	problem(w, http.StatusServiceUnavailable, msg, nil)
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request, rd Reader) error {
	n, err := rd.Size(r.Context())
	if err != nil {
		unavailable(w, "database unavailable")
		return nil
	}
	return sendJSON(w, r, map[string]any{"status": "ok", "log_size": n})
}

func (s *server) openapi(w http.ResponseWriter, r *http.Request) {
	send(w, r, "application/json", openapi)
}
