package site

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"oversight/analysis"
	"oversight/internal/params"
	"oversight/registry"
)

// netFilter is the filter of the vendor network and trends pages: the
// network filters of the API (params.Network), read by the parser the API
// uses, so that a page, its download and /api/v1/network or
// /api/v1/trends select the same deployments, and /search does too.
type netFilter struct {
	Q analysis.NetworkQuery
	// Values are the filters in their canonical form, empty ones left
	// out: what links and downloads carry, and what the memo keys on.
	Values url.Values
}

// readNetFilter reads a request's network filters. A value the parser
// refuses, or a code the register holds no record of (params.Known), is
// an error naming its parameter, which fail answers with 400.
func (s *Site) readNetFilter(r *http.Request, rd Reader) (netFilter, error) {
	p := params.Read(r.URL.Query(), params.Network...)
	q := p.NetworkQuery()
	if err := p.Err(); err != nil {
		return netFilter{}, err
	}
	if _, err := s.known(r.Context(), rd, p, params.NetworkCodes(q)); err != nil {
		return netFilter{}, err
	}
	if err := p.Err(); err != nil {
		return netFilter{}, err
	}
	v := url.Values{}
	for _, p := range q.Params() {
		if p.Value != "" {
			v.Set(p.Name, p.Value)
		}
	}
	return netFilter{Q: q, Values: v}, nil
}

// with returns the filter's values with some replaced, as a query string:
// name, value pairs; an empty value removes the parameter.
func (f netFilter) with(pairs ...string) string {
	v := url.Values{}
	for k, vs := range f.Values {
		v[k] = vs
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			v.Del(pairs[i])
		} else {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// With is with for a template: a query string to append to a path.
func (f netFilter) With(pairs ...string) template.URL { return template.URL(f.with(pairs...)) }

// netForm is what the filter form of the two pages shows (the netfilter
// template).
type netForm struct {
	Action       string
	Values       url.Values
	Subregions   []string
	HQ           []string // the headquarters countries of the register's vendors
	Technologies []string
	Chips        []chip
}

// netForm returns the filter form of the page at path, with the filters in
// force as chips, each removable, in the search's words (chips).
func (s *Site) netForm(ctx context.Context, rd Reader, path string, f netFilter) (netForm, error) {
	fv, err := memoize(s, ctx, rd, "facets", facetsOf)
	if err != nil {
		return netForm{}, err
	}
	nf := netForm{Action: path, Values: f.Values, Subregions: registry.Subregions.Values, HQ: fv.Val.HQ, Technologies: registry.Capabilities.Values}
	for _, p := range f.Q.Params() {
		v := f.Values.Get(p.Name)
		if v == "" {
			continue
		}
		switch p.Name {
		case "subregion", "certainty":
			v = label(p.Name, v)
		case "technology":
			v = label("capability", v)
		case "vendor_hq":
			v = countryName(v)
		case "jurisdiction":
			var names []string
			for _, j := range f.Q.Jurisdictions {
				names = append(names, countryName(j))
			}
			v = strings.Join(names, label("filter separator", p.Name))
		}
		nf.Chips = append(nf.Chips, chip{Name: label("filter", p.Name), Value: v, Remove: path + f.with(p.Name, "")})
	}
	return nf, nil
}

// memoName names a whole-register result for this filter in the memo.
func (f netFilter) memoName(what string) string { return what + "\x00" + f.Values.Encode() }
