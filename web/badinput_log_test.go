package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"oversight/api"
)

// logPaths are the paths the log's tiles answer under /log/, each with
// "%s" where the battery puts a hostile value: the levels, indexes and
// widths of tiles (C2SP tlog-tiles), an entry bundle's, a revision's
// content, and a path that is no tile at all.
var logPaths = []string{
	"tile/%s/000",
	"tile/0/%s",
	"tile/0/000.p/%s",
	"tile/0/x001/%s",
	"tile/entries/%s",
	"tile/entries/000.p/%s",
	"content/%s",
	"%s",
}

// logValues are the values a tile's path is sent besides pathValues: the
// numbers a tile path is made of, out of range or malformed.
var logValues = []hostile{
	{"tile beyond the log", "x999/999", true},
	{"index 2^55", "x036/x028/x797/x018/x963/968", true}, // times 256 wraps an int64
	{"level 64", "64", false},
	{"width 0", "000.p/0", true},
	{"width 257", "000.p/257", true},
	{"leading plus", "+1", false},
	{"four digits", "0001", false},
	{"empty segment", "", true},
}

// logRoutes adds the log's tile paths with hostile values, and the
// methods the tiles do not answer. The tiles answer in plain text, for the
// tools that read them; a path that is no tile, or a tile beyond the log,
// is a 404 that names nothing else, and never a 5xx.
func (b *battery) logRoutes() {
	for _, p := range logPaths {
		for _, v := range append(pathValues[:len(pathValues):len(pathValues)], logValues...) {
			val := v.v
			if !v.raw {
				val = url.PathEscape(val)
			}
			b.add(request{what: "log /log/" + strings.ReplaceAll(p, "%s", "{"+v.name+"}"), method: http.MethodGet,
				url: "/log/" + strings.ReplaceAll(p, "%s", val), plain: true, anyClient: true})
		}
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		b.add(request{what: "log " + m + " /log/checkpoint", method: m, url: "/log/checkpoint", plain: true, anyClient: true})
	}
}

// batteryMounts is what the battery sends under each path web's routes
// mount: a path mounted without an entry here fails the battery.
var batteryMounts = map[string]string{
	"/api/":         "apiRoutes: every operation of api/openapi.json",
	"/healthz":      "apiRoutes",
	"/openapi.json": "apiRoutes",
	"/log/":         "logRoutes",
	"/":             "pageRoutes and formRoutes: every route of site.Routes()",
}

// mountList records the patterns routes mounts.
type mountList []string

func (m *mountList) Handle(pattern string, _ http.Handler) { *m = append(*m, pattern) }

// mounts checks that the battery covers every path routes mounts, and
// every route the API serves: the API's part is read from its OpenAPI
// description, so a route missing there would be missed here.
func (b *battery) mounts(s spec) {
	var got mountList
	routes(&got, nil, nil, nil)
	for _, p := range got {
		if _, ok := batteryMounts[p]; !ok {
			b.t.Errorf("web's routes mount %s, which the bad-input battery does not send to: add it to batteryMounts and send it hostile values", p)
		}
	}
	for p := range batteryMounts {
		if !slices.Contains(got, p) {
			b.t.Errorf("batteryMounts lists %s, which web's routes do not mount", p)
		}
	}
	for _, pattern := range api.Routes() {
		method, path, _ := strings.Cut(pattern, " ")
		if _, ok := s.Paths[path][strings.ToLower(method)]; !ok {
			b.t.Errorf("the API serves %s, which api/openapi.json does not document: the battery sends it nothing", pattern)
		}
	}
}
