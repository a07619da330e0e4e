package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"oversight/analysis"
	"oversight/registry"
)

// networkParams are the filters of /api/v1/network and /api/v1/trends.
var networkParams = []string{"subregion", "jurisdiction", "certainty", "technology", "year_from", "year_to"}

// networkQuery reads and checks the filters of the network and trends
// endpoints; every value that is wrong is named with the allowed values.
func networkQuery(r *http.Request) (analysis.NetworkQuery, error) {
	var q analysis.NetworkQuery
	if err := onlyParams(r, networkParams...); err != nil {
		return q, err
	}
	v := r.URL.Query()
	var errs queryErrors
	enum := func(name string, e registry.Enum) string {
		s := v.Get(name)
		if s != "" && !e.Has(s) {
			errs = append(errs, fieldError{Location: "query." + name, Message: fmt.Sprintf("%q is not a known %s", s, e.Name), Allowed: e.Values})
		}
		return s
	}
	year := func(name string) int {
		s := v.Get(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1900 || n > 2100 {
			errs = append(errs, fieldError{Location: "query." + name, Message: "must be a year from 1900 to 2100"})
		}
		return n
	}
	q.Subregion = enum("subregion", registry.Subregions)
	q.Certainty = enum("certainty", registry.Certainties)
	q.Capability = enum("technology", registry.Capabilities)
	if s := v.Get("jurisdiction"); s != "" {
		for _, c := range strings.Split(s, ",") {
			c = strings.ToUpper(strings.TrimSpace(c))
			if !alpha2.MatchString(c) {
				errs = append(errs, fieldError{Location: "query.jurisdiction", Message: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", c)})
			}
			q.Jurisdictions = append(q.Jurisdictions, c)
		}
	}
	q.YearFrom, q.YearTo = year("year_from"), year("year_to")
	if q.YearFrom != 0 && q.YearTo != 0 && q.YearFrom > q.YearTo {
		errs = append(errs, fieldError{Location: "query.year_from", Message: "must not be after year_to"})
	}
	if len(errs) > 0 {
		return q, errs
	}
	return q, nil
}

// network answers with the vendor network of the deployments selected:
// vendor → jurisdiction edges, shares by supplier headquarters overall and
// per subregion with the deployments behind them, and lenders.
func (s *server) network(w http.ResponseWriter, r *http.Request) {
	q, err := networkQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := analysis.BuildNetwork(r.Context(), s.reg, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, n)
}

// trends answers with the deployments selected per year, by subregion and
// by technology, with the deployments behind each cell.
func (s *server) trends(w http.ResponseWriter, r *http.Request) {
	q, err := networkQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := analysis.Trends(r.Context(), s.reg, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, t)
}
