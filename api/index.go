package api

import (
	"net/http"

	"oversight/analysis"
	"oversight/internal/cached"
	"oversight/internal/params"
)

// index answers with the governance-gap index, its sensitivity and series.
func (s *server) index(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), "as_of")
	asOf := p.AsOf(s.today())
	if err := p.Err(); err != nil {
		return err
	}
	rep, err := cached.IndexReport(r.Context(), rd, s.Classifier, s.Memo, s.Now(), asOf)
	if err != nil {
		return err
	}
	return sendJSON(w, r, rep)
}

// network answers with the vendor network of the deployments selected:
// vendor → jurisdiction edges, shares by supplier headquarters overall and
// per subregion with the deployments behind them, and lenders.
func (s *server) network(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), params.Network...)
	q := p.NetworkQuery()
	if err := p.Err(); err != nil {
		return err
	}
	n, err := analysis.BuildNetwork(r.Context(), rd, q)
	if err != nil {
		return err
	}
	return sendJSON(w, r, n)
}

// trends answers with the deployments selected per year, by subregion and
// by technology, with the deployments behind each cell.
func (s *server) trends(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), params.Network...)
	q := p.NetworkQuery()
	if err := p.Err(); err != nil {
		return err
	}
	t, err := analysis.Trends(r.Context(), rd, q)
	if err != nil {
		return err
	}
	return sendJSON(w, r, t)
}
