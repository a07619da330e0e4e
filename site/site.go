// Package site serves Oversight's web pages: server-rendered HTML over the
// register, the classification and the index, with every asset embedded so
// that it works offline. Maps and charts are SVG drawn on the server, each
// with a table that says the same.
package site

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"oversight/account"
	"oversight/analysis"
	"oversight/contrib"
	"oversight/internal/auth"
	"oversight/internal/cached"
	"oversight/internal/httperror"
	"oversight/internal/memo"
	"oversight/ledger"
	"oversight/registry"
	"oversight/release"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Reader is one snapshot of the register: what the pages read.
type Reader interface {
	registry.Snapshot
	// Checkpoint is the latest signed checkpoint, which a record's page
	// cites.
	Checkpoint(ctx context.Context) ([]byte, ledger.Checkpoint, error)
	// Releases and what changed in each, from the log.
	Releases(ctx context.Context) ([]release.Release, error)
	ChangeCounts(ctx context.Context, from, to int64) (map[string]int, error)
	EachRevision(ctx context.Context, from, to int64, fn func(*registry.Revision) error) error
	// Facets counts what each value of each search filter would select;
	// the counts may be shared with other requests, and are not changed.
	Facets(ctx context.Context, f registry.DeploymentFilter) (*registry.Facets, error)
	// The history of changes, newest first, and each record's state before.
	RecentRevisions(ctx context.Context, before int64, limit int) ([]*registry.Revision, error)
	// StateBefore is a *registry.RedactedError when that state was redacted.
	StateBefore(ctx context.Context, kind, id string, seq int64) (json.RawMessage, error)
	// TiersOn reads deployments' tiers on a day from the tier projection;
	// ok is false while it is not ready.
	TiersOn(ctx context.Context, ids []string, day string) (tiers map[string]map[string]string, ok bool, err error)
}

// Config is what the pages are built from.
type Config struct {
	// Open opens a snapshot of the register for one request.
	Open func(ctx context.Context) (Reader, error)
	// Classifier classifies deployments under the frameworks.
	Classifier *analysis.Classifier
	// Memo keeps whole-register results per register state; the API
	// shares it.
	Memo *memo.Cache
	// Now is the clock; pages classify at its UTC date.
	Now func() time.Time
	// Submissions keeps what contributors propose and reviewers decide;
	// Auth signs reviewers in and out.
	Submissions contrib.Service
	Auth        *auth.Auth
	// Accounts keeps the accounts an admin manages.
	Accounts account.Store
	// LogKey is the verifier key of the log's checkpoints, in note's text
	// form, which every page shows.
	LogKey string
}

// Site serves the pages.
type Site struct {
	Config
	cls   *analysis.Classifier
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// memoize returns what fn computes from the whole register at the state rd
// reads, computed once per state on a snapshot of its own (see memo.Get).
func memoize[T any](s *Site, ctx context.Context, rd Reader, name string, fn func(context.Context, Reader) (T, error)) (memo.Value[T], error) {
	key, err := memo.KeyOf(ctx, rd, s.Now())
	if err != nil {
		return memo.Value[T]{}, err
	}
	return memo.Get(ctx, s.Memo, key, "site\x00"+name, func(ctx context.Context) (T, error) {
		sn, err := s.Open(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		defer sn.Close()
		return fn(ctx, sn)
	})
}

// stale notes on a page that some of its figures come from an earlier
// state of the register while newer ones are computed, and keeps the page
// out of caches.
func stale[T any](w http.ResponseWriter, data map[string]any, v memo.Value[T]) {
	if v.Stale {
		data["Stale"] = v.Key.Size
		w.Header().Set("Cache-Control", "no-store")
	}
}

// New parses the templates and returns the pages' handler.
func New(c Config) (*Site, error) {
	s := &Site{Config: c, cls: c.Classifier, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue // the frame and the parts (_*.html) every page may use
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, err
		}
		s.pages[base] = t
	}
	for pattern, h := range s.routes() {
		s.mux.HandleFunc(pattern, h)
	}
	return s, nil
}

// routes lists the pages' patterns and handlers.
func (s *Site) routes() map[string]http.HandlerFunc {
	static, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	return map[string]http.HandlerFunc{
		"GET /{$}":              s.read(s.home),
		"GET /countries/{code}": s.read(s.country),
		"GET /deployments/{id}": s.read(s.deployment),
		"GET /vendors/{id}":     s.read(s.vendor),
		"GET /frameworks/{$}":   s.frameworks,
		"GET /frameworks/{id}":  s.framework,
		"GET /scenarios":        s.read(s.scenario),
		"GET /assess":           s.read(s.assessForm),
		"POST /assess":          s.read(s.assess),
		"GET /search":           s.read(s.search),
		"GET /releases":         s.read(s.releases),
		"GET /history":          s.read(s.history),
		"GET /feed.atom":        s.read(s.feed),
		"GET /money":            s.read(s.money),
		"GET /network":          s.read(s.network),
		"GET /network.csv":      s.read(s.networkCSV),
		"GET /trends":           s.read(s.trends),
		"GET /about":            s.document,
		"GET /method":           s.document,
		"GET /about/api":        s.apiPage,
		"GET /releases/{tag}":   s.read(s.releasePage),
		"GET /static/{file...}": func(w http.ResponseWriter, r *http.Request) {
			// Files only: a directory would be listed, and a name that
			// is no file (or no valid name: the file server answers
			// 500 to invalid UTF-8) gets the site's own 404.
			if st, err := fs.Stat(static, r.PathValue("file")); err != nil || st.IsDir() {
				s.fail(w, r, registry.NotFound("file"))
				return
			}
			w.Header().Set("Cache-Control", "public, max-age=3600")
			files.ServeHTTP(w, r)
		},
		"GET /countries/{$}":   s.read(s.home),
		"GET /deployments/{$}": s.read(s.search),
		// Contributions and their review; who may use each is in web's
		// route table, and web checks every form's token.
		"GET /submit":                  s.read(s.submitForm),
		"POST /submit":                 s.read(s.submit),
		"GET /receipts/{token}":        s.receipt,
		"POST /receipts/{token}":       s.answerReceipt,
		"GET /login":                   s.loginForm,
		"POST /login":                  s.login,
		"POST /logout":                 s.logout,
		"GET /review":                  s.read(s.reviewQueue),
		"GET /review/{id}":             s.read(s.reviewPage),
		"POST /review/{id}":            s.read(s.decide),
		"GET /deployments/{id}/reply":  s.read(s.replyForm),
		"POST /deployments/{id}/reply": s.read(s.reply),
		"GET /admin":                   s.adminPage,
		"POST /admin":                  s.admin,
		"GET /account":                 s.accountPage,
		"POST /account":                s.changePassword,
	}
}

// Routes lists the patterns of the pages, sorted.
func Routes() []string {
	return slices.Sorted(maps.Keys((&Site{}).routes()))
}

// ServeHTTP serves a page, and answers a path that is no page with an HTML
// 404 (or 405) page of its own.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern == "" {
		status, allow := httperror.Unrouted(s.mux, r)
		if allow != "" {
			w.Header().Set("Allow", allow)
		}
		s.render(w, r, status, "error", map[string]any{"Title": http.StatusText(status), "Message": "There is no such page."})
		return
	}
	s.mux.ServeHTTP(w, r)
}

// page is a page handler that reads the register through one snapshot and
// returns its error for fail to answer.
type page func(w http.ResponseWriter, r *http.Request, rd Reader) error

// read adapts a page (see httperror.Reading).
func (s *Site) read(p page) http.HandlerFunc { return httperror.Reading(s.Open, s.fail, p) }

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, page string, data map[string]any) {
	t, ok := s.pages[page]
	if !ok {
		http.Error(w, "no page "+page, http.StatusInternalServerError)
		return
	}
	data["Path"], data["LogKey"] = r.URL.Path, s.LogKey
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

// Fail answers an error as a page, with the status its code maps to; a bad
// parameter is named. The server answers with it too, for a request its
// route table refuses.
func (s *Site) Fail(w http.ResponseWriter, r *http.Request, err error) { s.fail(w, r, err) }

// fail answers an error as a page, with the status its code maps to; a bad
// parameter is named.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := httperror.Status(err)
	msg := "Something went wrong on our side."
	switch {
	case httperror.Gone(r, err):
		return
	case status == http.StatusNotFound:
		msg = "There is no such record in the register."
	case status == http.StatusBadRequest:
		msg = badRequestMessage(err)
	case status == http.StatusConflict:
		msg = err.Error() // the register's state, said for people (a retracted id, a cited record)
	case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusTooManyRequests:
		msg = err.Error()
	case status == http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", httperror.RetryAfter)
		msg = "The figures for this page are being computed. Please reload it in a few seconds."
	default:
		slog.Error("page failed", "path", httperror.LogPath(r), "err", err)
	}
	s.render(w, r, status, "error", map[string]any{"Title": http.StatusText(status), "Message": msg})
}

// badRequestMessage says in words which parameters are wrong and why.
func badRequestMessage(err error) string {
	var e *registry.Error
	if errors.As(err, &e) && e.Code == registry.EInvalid && e.Message != "" && len(e.Fields) == 0 {
		return e.Message
	}
	parts := badParams(err)
	if len(parts) == 0 {
		return "The request is not one this site understands."
	}
	return "This page cannot be shown: " + strings.Join(parts, "; ") + "."
}

// badParams says of each parameter an error names what is wrong with it,
// "name: what".
func badParams(err error) []string {
	var parts []string
	for _, f := range httperror.Fields(err) {
		msg := strings.TrimPrefix(f.Path, "query.") + ": " + f.Msg
		if len(f.Allowed) > 0 && len(f.Allowed) <= 12 {
			msg += " (allowed: " + strings.Join(f.Allowed, ", ") + ")"
		}
		parts = append(parts, msg)
	}
	return parts
}

// today is the date pages classify at.
func (s *Site) today() time.Time { return memo.Day(s.Now()) }

// indexReport returns the index as of today with the built-in weights.
// opener opens snapshots for whole-register results, which need only the
// register's records.
func (s *Site) opener() cached.Opener {
	return func(ctx context.Context) (registry.Snapshot, error) { return s.Open(ctx) }
}

func (s *Site) indexReport(ctx context.Context, rd Reader) (memo.Value[*analysis.Report], error) {
	key, err := memo.KeyOf(ctx, rd, s.Now())
	if err != nil {
		return memo.Value[*analysis.Report]{}, err
	}
	return cached.IndexReport(ctx, s.Memo, key, s.opener(), s.cls, s.today())
}
