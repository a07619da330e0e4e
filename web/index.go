package web

import (
	"net/http"
	"strconv"
	"sync"

	"oversight/analysis"
)

// indexCache keeps the last report: computing the sensitivity takes a
// thousand recomputations, and the register changes only by appending.
type indexCache struct {
	mu   sync.Mutex
	key  string
	body *analysis.Report
}

// index answers with the governance-gap index, its sensitivity and series.
func (s *server) index(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r, "as_of"); err != nil {
		s.fail(w, r, err)
		return
	}
	asOf, err := asOfParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	size, err := s.reg.Size(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := asOf.Format("2006-01-02") + "@" + strconv.FormatInt(size, 10)
	s.indexes.mu.Lock()
	defer s.indexes.mu.Unlock()
	if s.indexes.key != key {
		weights, err := analysis.DefaultWeights()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rep, err := s.cls.IndexReport(r.Context(), s.reg, weights, asOf)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.indexes.key, s.indexes.body = key, rep
	}
	sendJSON(w, r, s.indexes.body)
}
