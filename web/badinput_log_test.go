package web

import (
	"net/http"
	"net/url"
	"strings"
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
