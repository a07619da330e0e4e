// Package web is Oversight's HTTP server: it mounts the JSON API (package
// api) and the pages (package site) side by side, each answering its own
// 404s in its own format, and keeps the response cache in front of both.
package web

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"time"

	"oversight/account"
	"oversight/analysis"
	"oversight/api"
	"oversight/contrib"
	"oversight/internal/auth"
	"oversight/internal/memo"
	"oversight/internal/ratelimit"
	"oversight/ledger"
	"oversight/registry"
	"oversight/site"
	"oversight/store"
	"oversight/tiles"
	"oversight/tilestore"
)

// Register is the database the server reads, and writes what
// contributors and reviewers send: each request reads one snapshot of it,
// and the response cache follows its log size.
type Register interface {
	Size(ctx context.Context) (int64, error)
	Snapshot(ctx context.Context) (*store.Snapshot, error)
	Key() *ledger.Key // signs the log's checkpoints
	// SetTierProjector has each deployment's tiers stored as it is
	// written, for lists to read and tier filters to look up.
	SetTierProjector(ctx context.Context, p registry.TierProjector) (ready bool, err error)
	// The classifier reads the register's fact documents (factSync).
	analysis.FactReader
	auth.Store
	account.Store
	contrib.Service
}

// memoMax bounds the whole-register results kept per register state:
// frameworks × jurisdiction filters × dates asked for.
const memoMax = 64

// RequestDeadline bounds the time one request takes from its arrival,
// queueing included (exports excepted, see withDeadline); whole-register
// results are computed apart from requests, so no page needs longer. It
// is under the 10 s after which clients commonly give up (bench/load's
// time-out), with room to send the 503 on a loaded machine: at 10 s,
// counted from when a request got a place, the answer came after the
// client had gone (docs/performance.md, "Overload"). A variable so that
// the browser tests, which judge the pages and not the load, can wait
// longer on a busy machine.
var RequestDeadline = 8 * time.Second

// Limits of the serving layer.
const (
	// shedWait is how long a request waits for a place before it is shed:
	// short, so that the requests accepted keep their latency.
	shedWait = 250 * time.Millisecond
	// shedRetry is the Retry-After of a shed request.
	shedRetry = 2 * time.Second
)

// readers is how many requests read the register at once. Reads are CPU
// bound (SQLite in process, classification, a file the page cache holds),
// so one per core keeps the cores busy; more only share them thinner, and
// a slow request then takes longer still. At 1M deployments under twice
// its capacity, four per core served 35 requests/s with a p99 of 7.5 s,
// two per core 53/s with a p99 of 2.4 s; offered its capacity (7 Dec), two
// per core accepted 793-894 requests/s with a p99 of 65-66 ms, one per
// core 966-1,069/s with 51 ms, the queue's standing at 50 ms
// (docs/performance.md, "At capacity, 1M, 7 Dec"). A register larger
// than the memory would wait on the disk, and want more.
var readers = runtime.GOMAXPROCS(0)

type server struct {
	reg    Register
	inner  http.Handler // the mux behind the shedder and the deadline
	cache  responseCache
	auth   *auth.Auth
	access *accessTable
	pages  *site.Site
	facts  *factSync
	tiles  *tiles.Server // answers a full tile it made before ahead of the rest
	// tilesPublic: the route table lets anyone read the log's tiles, so
	// a request for a full tile without a token is served first of all.
	tilesPublic bool
	// writes bounds each client's writes (submissions, answers, sign-ins,
	// decisions), keyed without keeping its address.
	writes  *ratelimit.Limiter
	origins *http.CrossOriginProtection
}

// New returns the HTTP handler for a register, classifying with cls.
func New(reg Register, cls *analysis.Classifier) (http.Handler, error) {
	return NewWithOptions(reg, cls, Options{})
}

// NewWithClock is New with the clock that every answer and page reads the
// date from.
func NewWithClock(reg Register, cls *analysis.Classifier, now func() time.Time) (http.Handler, error) {
	return NewWithOptions(reg, cls, Options{Now: now})
}

// Options are what a server may be given besides its register; the zero
// value of each field means its default.
type Options struct {
	// Now is the clock every answer and page reads the date from.
	Now func() time.Time
	// Writes bounds each client's writes; Logins each account name's
	// sign-in attempts.
	Writes, Logins ratelimit.Limit
	// ResponseCache and TileCache bound the bytes the response cache
	// and the full tiles' cache keep (cacheMaxBytes and the tiles
	// package's default when 0): shares of the server's memory budget
	// (package budget).
	ResponseCache, TileCache int
	// Tiles, when set, keeps the log's full tiles in files, served from
	// there; otherwise they are kept in memory, up to a bound, and made
	// again from the register past it.
	Tiles *tilestore.Files
}

// Readers is how many requests read the register at once: a server's
// memory budget gives each of them a database connection.
func Readers() int { return readers }

// NewWithOptions is New with options.
func NewWithOptions(reg Register, cls *analysis.Classifier, o Options) (http.Handler, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if o.Writes == (ratelimit.Limit{}) {
		o.Writes = writeLimit
	}
	if o.Logins == (ratelimit.Limit{}) {
		o.Logins = loginLimit
	}
	// Until the tiers are all stored (the server's caller runs
	// ProjectTiers), tier filters classify as they read.
	if _, err := reg.SetTierProjector(context.Background(), cls); err != nil {
		return nil, err
	}
	facts := &factSync{size: -1, cls: cls, reg: reg}
	size, err := reg.Size(context.Background())
	if err == nil {
		err = facts.sync(context.Background(), size)
	}
	if err != nil {
		return nil, err
	}
	m := memo.New(memoMax)
	authn := &auth.Auth{Store: reg, Now: now, Throttle: ratelimit.New(o.Logins, maxClients, now)}
	a := api.New(api.Config{
		Open:       func(ctx context.Context) (api.Reader, error) { return reg.Snapshot(ctx) },
		Classifier: cls, Memo: m, Now: now, Submissions: reg,
	})
	pages, err := site.New(site.Config{
		Open:       func(ctx context.Context) (site.Reader, error) { return reg.Snapshot(ctx) },
		Classifier: cls, Memo: m, Now: now, Submissions: reg, Auth: authn, Accounts: reg, LogKey: reg.Key().Public,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	log := tiles.HandlerWithFiles("/log", func(ctx context.Context) (tiles.Reader, error) { return reg.Snapshot(ctx) }, o.Tiles, o.TileCache)
	routes(mux, a, log, pages)
	shed := newShedder(readers, shedWait, shedRetry)
	s := &server{reg: reg, facts: facts, cache: responseCache{now: now, maxBytes: o.ResponseCache}, auth: authn, access: newAccessTable(access), pages: pages, tiles: log,
		writes: ratelimit.New(o.Writes, maxClients, now), origins: http.NewCrossOriginProtection()}
	if probe, err := http.NewRequest(http.MethodGet, "/log/tile/0/000", nil); err == nil {
		s.tilesPublic = s.access.rule(probe).public()
	}
	s.inner = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			mux.ServeHTTP(w, r)
			return
		}
		shed.serve(w, r, mux)
	})
	return s, nil
}

// ServeHTTP checks who makes a request and whether the route table lets
// them, then answers from the response cache where it can, or with the
// answer another request for the URL is making (see flight), and otherwise
// runs the request if the register has room for it (see shedder); all of
// it within RequestDeadline of its arrival. A full tile made before, which
// reads nothing of the register, is answered ahead of all that. Every
// response carries the security headers.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	// A full tile never changes, and anyone may read it: it needs no read
	// of the register, so neither the response cache nor the shedder, no
	// deadline (nothing in it waits; the server's write timeout bounds
	// its sending), and no admission but the route table's, checked once
	// (tilesPublic). A request with a token is admitted first, so that a
	// program learns at once that its token is not valid.
	tried := s.tilesPublic && len(r.Header["Authorization"]) == 0
	if tried && s.tiles.ServeCached(w, r) {
		return
	}
	r, cancel := withDeadline(RequestDeadline, r)
	defer cancel()
	r, rl, err := s.admit(w, r)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	if rl == nil {
		return // admit answered
	}
	if !tried && s.tiles.ServeCached(w, r) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w = &afterWrite{ResponseWriter: w, c: &s.cache}
	}
	size, err := s.cache.logSize(func() (int64, error) { return s.reg.Size(r.Context()) })
	if err == nil {
		// A page classifies with the facts of the register it reads;
		// should the sync fail, it shows the facts synced before.
		s.facts.sync(r.Context(), size)
	}
	if cacheable(r) && !rl.private && err == nil {
		s.cache.serve(w, r, size, s.inner)
		return
	}
	s.inner.ServeHTTP(w, r)
}
