package site

import (
	"net/http"
	"net/url"

	"oversight/analysis"
	"oversight/internal/params"
	"oversight/registry"
)

// money is the "who paid" page: the lenders, donors and other financiers
// of the deployments a filter selects, with their instruments, amounts in
// their own currency (and in 2021 US dollars where a dataset gives it),
// years and deployments; and the entries that name no lender.
func (s *Site) money(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), params.Network...)
	q := p.NetworkQuery()
	if err := p.Err(); err != nil {
		return err
	}
	net, err := analysis.BuildNetwork(r.Context(), rd, q)
	if err != nil {
		return err
	}
	api := url.Values{}
	for k, v := range r.URL.Query() {
		api[k] = v
	}
	s.render(w, r, http.StatusOK, "money", map[string]any{"Title": "Who paid", "N": net, "Q": r.URL.Query(),
		"Subregions": registry.Subregions.Values, "Technologies": registry.Capabilities.Values, "API": "/api/v1/network?" + api.Encode()})
	return nil
}
