package site

import (
	"context"
	"html/template"
	"net/http"

	"oversight/analysis"
	"oversight/registry"
)

// money is the "who paid" page: the lenders, donors and other financiers
// of the deployments a filter selects, with their instruments, amounts in
// their own currency (and in 2021 US dollars where a dataset gives it),
// years and deployments; and the entries that name no lender.
func (s *Site) money(w http.ResponseWriter, r *http.Request, rd Reader) error {
	f, err := s.readNetFilter(r, rd)
	if err != nil {
		return err
	}
	v, err := memoize(s, r.Context(), rd, f.memoName("network"), func(ctx context.Context, rd Reader) (*analysis.Network, error) {
		return analysis.BuildNetwork(ctx, rd, f.Q)
	})
	if err != nil {
		return err
	}
	net := v.Val
	// The tables name each deployment by its title.
	var ids []string
	for _, l := range net.Lenders {
		for _, f := range l.Flows {
			ids = append(ids, f.Deployment)
		}
		if len(l.Flows) == 0 { // named as financier, with no entry: listed by title
			ids = append(ids, l.Deployments...)
		}
	}
	for _, f := range net.Unattributed {
		ids = append(ids, f.Deployment)
	}
	titles, err := names(r.Context(), rd, "deployment", ids)
	if err != nil {
		return err
	}
	data := map[string]any{"Title": "Who paid", "N": net, "Q": r.URL.Query(), "Titles": titles,
		"Subregions": registry.Subregions.Values, "Technologies": registry.Capabilities.Values,
		"API": template.URL("/api/v1/network" + f.with()), "Network": template.URL("/network" + f.with())}
	stale(w, data, v)
	s.render(w, r, http.StatusOK, "money", data)
	return nil
}
