// Package web serves the register over HTTP: a read-only JSON API under
// /api/v1, its OpenAPI description at /openapi.json, downloads, the log's
// signed checkpoint and inclusion proofs, and /healthz.
//
// Every GET answers with an ETag and honours If-None-Match; errors are RFC
// 9457 problem details that name the parameter at fault.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/analysis"
	"oversight/registry"
	"oversight/rules"
	"oversight/site"
)

//go:embed openapi.json
var openapi []byte

// Register is what the server reads: what the pages read, and the cited
// sources.
type Register interface {
	site.Register
	Sources(ctx context.Context, cursor string, limit int) (registry.Page[registry.SourceUse], error)
}

type server struct {
	reg   Register
	cls   *analysis.Classifier
	mux   *http.ServeMux
	cache responseCache
}

// New returns the HTTP handler for a register.
func New(reg Register, cls *analysis.Classifier) (http.Handler, error) {
	s := &server{reg: reg, cls: cls, mux: http.NewServeMux()}
	for _, rt := range s.routes() {
		s.mux.HandleFunc(rt.pattern, rt.handler)
	}
	pages, err := site.New(reg, cls)
	if err != nil {
		return nil, err
	}
	for pattern, h := range pages.Routes() {
		s.mux.HandleFunc(pattern, h)
	}
	return s, nil
}

type route struct {
	pattern string
	handler http.HandlerFunc
}

// routes lists every endpoint; the OpenAPI test checks each is documented.
func (s *server) routes() []route {
	return []route{
		{"GET /healthz", s.healthz},
		{"GET /openapi.json", s.openapi},
		{"GET /api/v1/deployments", s.deployments},
		{"GET /api/v1/deployments/{id}", s.deployment},
		{"GET /api/v1/deployments/{id}/classification", s.classification},
		{"POST /api/v1/classify", s.classify},
		{"GET /api/v1/frameworks", s.frameworks},
		{"GET /api/v1/frameworks/{id}", s.framework},
		{"GET /api/v1/scenarios", s.scenario},
		{"GET /api/v1/schema/facts", s.factSchema},
		{"GET /api/v1/index", s.index},
		{"GET /api/v1/network", s.network},
		{"GET /api/v1/trends", s.trends},
		{"GET /api/v1/jurisdictions", s.list("jurisdiction")},
		{"GET /api/v1/jurisdictions/{id}", s.jurisdiction},
		{"GET /api/v1/vendors", s.list("vendor")},
		{"GET /api/v1/vendors/{id}", s.vendor},
		{"GET /api/v1/instruments", s.list("instrument")},
		{"GET /api/v1/instruments/{id}", s.entity("instrument")},
		{"GET /api/v1/claims", s.list("claim")},
		{"GET /api/v1/claims/{id}", s.entity("claim")},
		{"GET /api/v1/sources", s.sources},
		{"GET /api/v1/export", s.export},
		{"GET /api/v1/log/checkpoint", s.checkpoint},
		{"GET /api/v1/log/revisions/{seq}", s.revision},
	}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern == "" {
		// ServeMux answers 404 and 405 in plain text; answer in problem
		// details instead, keeping its Allow header.
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		status := rec.status
		if status == 0 {
			status = http.StatusNotFound
		}
		problem(w, status, fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path), nil)
		return
	}
	// The mux, not h, sets the request's path values.
	if cacheable(r) {
		if size, err := s.cache.logSize(func() (int64, error) { return s.reg.Size(r.Context()) }); err == nil {
			s.cache.serve(w, r, size, s.mux)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// headerRecorder captures the status and headers of the mux's own 404/405.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }

// fieldError names the request part at fault, as in "query.limit".
type fieldError struct {
	Location string   `json:"location"`
	Message  string   `json:"message"`
	Allowed  []string `json:"allowed,omitempty"`
}

// problem writes an RFC 9457 problem details response.
func problem(w http.ResponseWriter, status int, detail string, errs []fieldError) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Type   string       `json:"type"`
		Title  string       `json:"title"`
		Status int          `json:"status"`
		Detail string       `json:"detail,omitempty"`
		Errors []fieldError `json:"errors,omitempty"`
	}{"about:blank", http.StatusText(status), status, detail, errs})
}

func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var qe queryErrors
	switch {
	case errors.As(err, &qe):
		problem(w, http.StatusBadRequest, "invalid query parameters", qe)
	case errors.Is(err, registry.ErrNotFound):
		problem(w, http.StatusNotFound, "no such record: "+r.URL.Path, nil)
	case strings.HasPrefix(err.Error(), "cursor:"):
		problem(w, http.StatusBadRequest, err.Error(), []fieldError{{Location: "query.cursor", Message: "not a cursor this server returned"}})
	default:
		slog.Error("request failed", "path", r.URL.Path, "err", err)
		problem(w, http.StatusInternalServerError, "internal error", nil)
	}
}

// send writes a response body with a strong ETag over its bytes, and
// answers 304 when the client already has them.
func send(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Type", contentType)
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func sendJSON(w http.ResponseWriter, r *http.Request, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		problem(w, http.StatusInternalServerError, "internal error", nil)
		return
	}
	send(w, r, "application/json", buf.Bytes())
}

// collection is the shape of every list: {"items": [...], "next": "CURSOR"}.
type collection[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	n, err := s.reg.Size(r.Context())
	if err != nil {
		problem(w, http.StatusServiceUnavailable, "database unavailable", nil)
		return
	}
	sendJSON(w, r, map[string]any{"status": "ok", "log_size": n})
}

func (s *server) openapi(w http.ResponseWriter, r *http.Request) {
	send(w, r, "application/json", openapi)
}

// deploymentItem is a deployment with its tier under each framework.
type deploymentItem struct {
	*registry.Deployment
	Tiers map[string]rules.Tier `json:"tiers"`
}

func (s *server) deployments(w http.ResponseWriter, r *http.Request) {
	f, asOf, err := s.deploymentQuery(r, "limit", "cursor")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.reg.Deployments(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := make([]deploymentItem, len(p.Items))
	for i, d := range p.Items {
		tiers, err := s.cls.TiersOf(d, asOf)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		items[i] = deploymentItem{d, tiers}
	}
	sendJSON(w, r, collection[deploymentItem]{Items: items, Next: p.Next})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// revisionSummary is a revision without its state, for histories.
type revisionSummary struct {
	Seq    int64  `json:"seq"`
	Op     string `json:"op"`
	Author string `json:"author"`
	Reason string `json:"reason,omitempty"`
	Time   string `json:"time"`
	Proof  string `json:"proof"` // URL of the revision with its inclusion proof
}

func (s *server) history(ctx context.Context, kind, id string) ([]revisionSummary, error) {
	revs, err := s.reg.History(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	out := make([]revisionSummary, len(revs))
	for i, rv := range revs {
		out[i] = revisionSummary{rv.Seq, rv.Op, rv.Author, rv.Reason, rv.Time.Format("2006-01-02T15:04:05Z"), fmt.Sprintf("/api/v1/log/revisions/%d", rv.Seq)}
	}
	return out, nil
}

func (s *server) deployment(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.reg.Get(r.Context(), "deployment", r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hist, err := s.history(r.Context(), "deployment", e.Key())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tiers, err := s.cls.TiersOf(e.(*registry.Deployment), time.Now().UTC())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, struct {
		*registry.Deployment
		Tiers          map[string]rules.Tier `json:"tiers"`
		Classification string                `json:"classification"`
		Revisions      []revisionSummary     `json:"revisions"`
	}{e.(*registry.Deployment), tiers, "/api/v1/deployments/" + e.Key() + "/classification", hist})
}

func (s *server) list(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		allowed := []string{"limit", "cursor"}
		if kind == "claim" || kind == "instrument" {
			allowed = append(allowed, "jurisdiction")
		}
		limit, err := pageParams(r, allowed...)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p, err := s.reg.List(r.Context(), kind, r.URL.Query().Get("jurisdiction"), r.URL.Query().Get("cursor"), limit)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sendJSON(w, r, collection[registry.Entity]{Items: nonNil(p.Items), Next: p.Next})
	}
}

func (s *server) entity(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := onlyParams(r); err != nil {
			s.fail(w, r, err)
			return
		}
		e, err := s.reg.Get(r.Context(), kind, r.PathValue("id"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		hist, err := s.history(r.Context(), kind, e.Key())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sendJSON(w, r, map[string]any{"item": e, "revisions": hist})
	}
}

// deploymentRef is a deployment as a vendor or jurisdiction lists it.
type deploymentRef struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Jurisdiction string   `json:"jurisdiction"`
	Roles        []string `json:"roles,omitempty"`
	URL          string   `json:"url"`
}

func (s *server) refs(ctx context.Context, f registry.DeploymentFilter, vendor string) ([]deploymentRef, error) {
	out := []deploymentRef{}
	err := s.reg.EachDeployment(ctx, f, func(d *registry.Deployment) error {
		ref := deploymentRef{ID: d.ID, Title: d.Title, Jurisdiction: d.Jurisdiction, URL: "/api/v1/deployments/" + d.ID}
		for _, v := range d.Vendors {
			if v.Vendor == vendor {
				ref.Roles = append(ref.Roles, v.Role)
			}
		}
		for _, fin := range d.Financing {
			if vendor != "" && fin.Lender == vendor && !slices.Contains(ref.Roles, "financier") {
				ref.Roles = append(ref.Roles, "financier")
			}
		}
		out = append(out, ref)
		return nil
	})
	return out, err
}

func (s *server) jurisdiction(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	e, err := s.reg.Get(ctx, "jurisdiction", strings.ToUpper(r.PathValue("id")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	j := e.(*registry.Jurisdiction)
	deps, err := s.refs(ctx, registry.DeploymentFilter{Jurisdictions: []string{j.Code}}, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	claims, err := s.reg.List(ctx, "claim", j.Code, "", registry.MaxLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hist, err := s.history(ctx, "jurisdiction", j.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, struct {
		*registry.Jurisdiction
		Deployments []deploymentRef   `json:"deployments"`
		Claims      []registry.Entity `json:"claims"`
		Revisions   []revisionSummary `json:"revisions"`
	}{j, deps, nonNil(claims.Items), hist})
}

func (s *server) vendor(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	e, err := s.reg.Get(ctx, "vendor", r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	deps, err := s.refs(ctx, registry.DeploymentFilter{Vendor: e.Key()}, e.Key())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hist, err := s.history(ctx, "vendor", e.Key())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, struct {
		*registry.Vendor
		Deployments []deploymentRef   `json:"deployments"`
		Revisions   []revisionSummary `json:"revisions"`
	}{e.(*registry.Vendor), deps, hist})
}

func (s *server) sources(w http.ResponseWriter, r *http.Request) {
	limit, err := pageParams(r, "limit", "cursor")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.reg.Sources(r.Context(), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, collection[registry.SourceUse]{Items: nonNil(p.Items), Next: p.Next})
}

func (s *server) checkpoint(w http.ResponseWriter, r *http.Request) {
	signed, _, err := s.reg.Checkpoint(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	send(w, r, "text/plain; charset=utf-8", signed)
}

// revision answers with one revision, its canonical record, and the proof
// that the record is in the tree the latest signed checkpoint commits to.
func (s *server) revision(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil || seq < 0 {
		problem(w, http.StatusBadRequest, "invalid revision number", []fieldError{{Location: "path.seq", Message: "must be a whole number from 0"}})
		return
	}
	ctx := r.Context()
	rev, rec, err := s.reg.Revision(ctx, seq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	signed, cp, err := s.reg.Checkpoint(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	proof, err := s.reg.InclusionProof(ctx, seq, cp.Size)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hashes := make([]string, len(proof))
	for i, h := range proof {
		hashes[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	leaf := tlog.RecordHash(rec)
	sendJSON(w, r, map[string]any{
		"revision":   rev,
		"record":     string(rec),
		"leaf_hash":  base64.StdEncoding.EncodeToString(leaf[:]),
		"tree_size":  cp.Size,
		"checkpoint": string(signed),
		"proof":      hashes,
	})
}
