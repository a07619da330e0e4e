package api

import (
	"context"
	"net/http"

	"oversight/analysis"
	"oversight/internal/cached"
	"oversight/internal/memo"
	"oversight/internal/params"
)

// index answers with the governance-gap index, its sensitivity and series.
func (s *server) index(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), "as_of")
	asOf := p.AsOf(s.today())
	if err := p.Err(); err != nil {
		return err
	}
	key, err := memo.KeyOf(r.Context(), rd, s.Now())
	if err != nil {
		return err
	}
	rep, err := cached.IndexReport(r.Context(), s.Memo, key, s.open, s.Classifier, asOf)
	if err != nil {
		return err
	}
	stale(w, rep)
	return sendJSON(w, r, rep.Val)
}

// table answers a table built from the deployments the network filters
// select: the vendor network (vendor → jurisdiction edges, shares by
// supplier headquarters overall and per subregion, lenders) or the trends
// (deployments per year by subregion and technology), each with the
// deployments behind its cells.
func table[T any](s *server, build func(context.Context, analysis.NetworkRegister, analysis.NetworkQuery) (T, error)) reading {
	return func(w http.ResponseWriter, r *http.Request, rd Reader) error {
		p := params.Read(r.URL.Query(), params.Network...)
		q := p.NetworkQuery()
		if err := p.Err(); err != nil {
			return err
		}
		if _, err := s.known(r.Context(), rd, p, params.NetworkCodes(q)); err != nil {
			return err
		}
		if err := p.Err(); err != nil {
			return err
		}
		t, err := build(r.Context(), rd, q)
		if err != nil {
			return err
		}
		return sendJSON(w, r, t)
	}
}
