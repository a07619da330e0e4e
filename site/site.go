// Package site serves Oversight's web pages: server-rendered HTML over the
// register, the classification and the index, with every asset embedded so
// that it works offline. Maps and charts are SVG drawn on the server, each
// with a table that says the same.
package site

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/analysis"
	"oversight/ledger"
	"oversight/registry"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Register is what the pages read from the store.
type Register interface {
	Get(ctx context.Context, kind, id string) (registry.Entity, error)
	Each(ctx context.Context, kind string, fn func(registry.Entity) error) error
	EachDeployment(ctx context.Context, f registry.DeploymentFilter, fn func(*registry.Deployment) error) error
	Deployments(ctx context.Context, f registry.DeploymentFilter) (registry.Page[*registry.Deployment], error)
	List(ctx context.Context, kind, jurisdiction, cursor string, limit int) (registry.Page[registry.Entity], error)
	History(ctx context.Context, kind, id string) ([]*registry.Revision, error)
	Revision(ctx context.Context, seq int64) (*registry.Revision, []byte, error)
	Checkpoint(ctx context.Context) ([]byte, ledger.Checkpoint, error)
	InclusionProof(ctx context.Context, seq, size int64) (tlog.RecordProof, error)
	Size(ctx context.Context) (int64, error)
	Count(ctx context.Context, kind string) (int, error)
}

// Site serves the pages.
type Site struct {
	reg   Register
	cls   *analysis.Classifier
	pages map[string]*template.Template

	memoMu  sync.Mutex
	memoKey string         // register size and day the memos hold for
	memos   map[string]any // what pages compute from the whole register
}

// memo returns what fn computes from the whole register, once per register
// size and day: the register changes only by appending to its log.
func memo[T any](s *Site, ctx context.Context, name string, fn func() (T, error)) (T, error) {
	var zero T
	size, err := s.reg.Size(ctx)
	if err != nil {
		return zero, err
	}
	key := fmt.Sprintf("%d@%s", size, today().Format(time.DateOnly))
	s.memoMu.Lock()
	if s.memoKey != key {
		s.memoKey, s.memos = key, map[string]any{}
	}
	v, ok := s.memos[name]
	s.memoMu.Unlock()
	if ok {
		return v.(T), nil
	}
	t, err := fn()
	if err != nil {
		return zero, err
	}
	s.memoMu.Lock()
	if s.memoKey == key {
		s.memos[name] = t
	}
	s.memoMu.Unlock()
	return t, nil
}

// New parses the templates and returns the site.
func New(reg Register, cls *analysis.Classifier) (*Site, error) {
	s := &Site{reg: reg, cls: cls, pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		s.pages[base] = t
	}
	return s, nil
}

// Routes lists the pages' patterns and handlers, for a ServeMux.
func (s *Site) Routes() map[string]http.HandlerFunc {
	static, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	return map[string]http.HandlerFunc{
		"GET /{$}":              s.home,
		"GET /countries/{code}": s.country,
		"GET /deployments/{id}": s.deployment,
		"GET /vendors/{id}":     s.vendor,
		"GET /frameworks/{$}":   s.frameworks,
		"GET /frameworks/{id}":  s.framework,
		"GET /scenarios":        s.scenario,
		"GET /assess":           s.assessForm,
		"POST /assess":          s.assess,
		"GET /search":           s.search,
		"GET /static/{file...}": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=3600")
			files.ServeHTTP(w, r)
		},
		"GET /countries/{$}":   s.home,
		"GET /deployments/{$}": s.search,
	}
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, page string, data map[string]any) {
	t, ok := s.pages[page]
	if !ok {
		http.Error(w, "no page "+page, http.StatusInternalServerError)
		return
	}
	data["Path"] = r.URL.Path
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		slog.Error("render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail answers an error as a page.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "Something went wrong on our side."
	var bad badRequest
	switch {
	case errors.Is(err, registry.ErrNotFound):
		status, msg = http.StatusNotFound, "There is no such record in the register."
	case errors.As(err, &bad):
		status, msg = http.StatusBadRequest, string(bad)
	default:
		slog.Error("page failed", "path", r.URL.Path, "err", err)
	}
	s.render(w, r, status, "error", map[string]any{"Title": http.StatusText(status), "Message": msg})
}

type badRequest string

func (b badRequest) Error() string { return string(b) }

// today is the date pages classify at.
func today() time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// indexReport returns the index as of today with the built-in weights.
func (s *Site) indexReport(ctx context.Context) (*analysis.Report, error) {
	w, err := analysis.DefaultWeights()
	if err != nil {
		return nil, err
	}
	return s.cls.IndexReport(ctx, s.reg, w, today())
}
