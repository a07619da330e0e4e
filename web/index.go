package web

import (
	"net/http"

	"oversight/analysis"
)

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
	sendJSON(w, r, rep)
}
