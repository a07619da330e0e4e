// Package web is Oversight's HTTP server: it mounts the JSON API (package
// api) and the pages (package site) side by side, each answering its own
// 404s in its own format, and keeps the response cache in front of both.
package web

import (
	"context"
	"net/http"
	"time"

	"oversight/analysis"
	"oversight/api"
	"oversight/internal/memo"
	"oversight/site"
	"oversight/store"
)

// Register is the database the server reads: each request reads one
// snapshot of it, and the response cache follows its log size.
type Register interface {
	Size(ctx context.Context) (int64, error)
	Snapshot(ctx context.Context) (*store.Snapshot, error)
}

// memoMax bounds the whole-register results kept per register state:
// frameworks × jurisdiction filters × dates asked for.
const memoMax = 64

type server struct {
	reg   Register
	mux   *http.ServeMux
	cache responseCache
}

// New returns the HTTP handler for a register, classifying with cls.
func New(reg Register, cls *analysis.Classifier) (http.Handler, error) {
	return NewWithClock(reg, cls, time.Now)
}

// NewWithClock is New with the clock that every answer and page reads the
// date from.
func NewWithClock(reg Register, cls *analysis.Classifier, now func() time.Time) (http.Handler, error) {
	m := memo.New(memoMax)
	a := api.New(api.Config{
		Open:       func(ctx context.Context) (api.Reader, error) { return reg.Snapshot(ctx) },
		Classifier: cls, Memo: m, Now: now,
	})
	pages, err := site.New(site.Config{
		Open:       func(ctx context.Context) (site.Reader, error) { return reg.Snapshot(ctx) },
		Classifier: cls, Memo: m, Now: now,
	})
	if err != nil {
		return nil, err
	}
	s := &server{reg: reg, mux: http.NewServeMux()}
	s.cache.now = now
	routes(s.mux, a, pages)
	return s, nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if cacheable(r) {
		if size, err := s.cache.logSize(func() (int64, error) { return s.reg.Size(r.Context()) }); err == nil {
			s.cache.serve(w, r, size, s.mux)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}
