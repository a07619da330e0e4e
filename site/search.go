package site

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"oversight/analysis"
	"oversight/internal/cached"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/rules"
)

// searchParams are the parameters of the search page: the deployment
// filters the API takes, a tier, and the page.
var searchParams = append(append([]string{}, params.Deployment...), "tier", "cursor")

// search lists deployments with facets; the download links carry the same
// filters to the export endpoint.
func (s *Site) search(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	q := r.URL.Query()
	// Several countries or vendors come as one parameter each (a select
	// of several), or as one comma-separated: the page, its links and its
	// downloads carry them as one.
	for _, name := range []string{"jurisdiction", "vendor"} {
		if vs := q[name]; len(vs) > 1 {
			q.Set(name, strings.Join(vs, ","))
			r.URL.RawQuery = q.Encode()
		}
	}
	p := params.Read(q, searchParams...)
	f := p.DeploymentFilter()
	f.Limit = 50
	p.Tier(s.cls, s.today(), &f)
	codes, err := s.known(ctx, rd, p, f)
	if err != nil {
		return err
	}
	fv, err := memoize(s, ctx, rd, "facets", facetsOf)
	if err != nil {
		return err
	}
	facets := fv.Val
	// A value refused is shown beside its field, on the form as sent, with
	// nothing listed: the reader puts it right where it is.
	status, refused := http.StatusOK, refusalOf(p.Err(), refusalSearch)
	var page registry.Page[*registry.Deployment]
	var counts *registry.Facets
	var reach *bindsView
	var left []string
	if refused != nil {
		status = http.StatusBadRequest
	} else {
		if f.Tier != nil {
			reach, left = s.reach(codes, &f)
		}
		if page, err = rd.Deployments(ctx, f); err != nil {
			return err
		}
		// Counts beside each choice, where the database can make them:
		// not under a tier filter while the tier projection is being
		// written. They are summed from counts kept by every write
		// (store's Facets), or counted over what a search by words
		// selects.
		if counts, err = rd.Facets(ctx, f); err != nil {
			return err
		}
	}
	export := r.URL.Query()
	export.Del("cursor")
	for k, v := range export {
		if len(v) == 0 || v[0] == "" {
			export.Del(k)
		}
	}
	downloads := map[string]template.URL{}
	for _, f := range []string{"csv", "json", "geojson", "table"} {
		export.Set("format", f)
		downloads[f] = template.URL("/api/v1/export?" + export.Encode())
	}
	next := ""
	if page.Next != "" {
		nq := r.URL.Query()
		nq.Set("cursor", page.Next)
		next = "/search?" + nq.Encode()
	}
	// The list shows each deployment's result under one framework: the
	// one the tier filter names, else the EU AI Act, the benchmark. It is
	// classified here rather than read from the stored tiers: those hold
	// today's tier, and "minimal risk" must come with the high risk a rule
	// makes it from its first day (rules.Result.Raising), as the
	// deployment's page says. A page is 50 deployments under one framework.
	tiers := map[string]rules.Result{}
	column, ok := s.cls.Framework("eu-ai-act")
	if f.Tier != nil {
		column, ok = s.cls.Framework(f.Tier.Framework)
	}
	if ok {
		for _, d := range page.Items {
			tiers[d.ID] = s.cls.Deployment(d, []*rules.Framework{column}, s.today()).Results[0]
		}
	}
	chosen, chosenVendors := strings.Split(q.Get("jurisdiction"), ","), strings.Split(q.Get("vendor"), ",")
	data := map[string]any{
		"Title": "Search deployments", "Items": page.Items, "Next": next, "Q": q, "Facets": facets, "Tiers": tiers, "Column": column,
		"JurisdictionBoxes": chosenFirst(facets.Jurisdictions, chosen, func(j *registry.Jurisdiction) string { return j.Code }),
		"VendorBoxes":       chosenFirst(facets.Vendors, chosenVendors, func(v *registry.Vendor) string { return v.ID }),
		"Downloads":         downloads, "TierOptions": tierOptions(s.cls), "Chips": s.chips(q, vendorNames(facets)), "Subregions": registry.Subregions.Values,
		"Chosen": chosen, "ChosenVendors": chosenVendors, "VendorNames": vendorNames(facets), "Counts": counts, "Matching": matching(counts, f.Status),
		"Reach": reach, "LeftOut": left, "Refused": refused, "Errs": map[string]string{},
	}
	if refused != nil {
		data["Errs"] = refused.Fields
	}
	s.render(w, r, status, "search", data)
	return nil
}

// known refuses, in p, the codes of f the register holds no record of
// (cached.Known), as every route that takes a code does, and returns the
// codes checked.
func (s *Site) known(ctx context.Context, rd Reader, p *params.Reader, f registry.DeploymentFilter) (*params.Codes, error) {
	return cached.Known(ctx, s.Memo, rd, s.Now(), s.opener(), p, f)
}

// reach narrows a tier filter on a national law to the jurisdictions it
// binds among those the register holds (params.Reach), and returns them
// in words, with the chosen countries it left out; nil for a benchmark.
func (s *Site) reach(codes *params.Codes, f *registry.DeploymentFilter) (*bindsView, []string) {
	fw, _ := s.cls.Framework(f.Tier.Framework)
	chosen := f.Jurisdictions
	binds := params.Reach(fw, codes.Jurisdictions, f)
	if binds == nil {
		return nil, nil
	}
	var left []string
	for _, c := range chosen {
		if !slices.Contains(binds, c) {
			left = append(left, countryName(c))
		}
	}
	v := bindsWords(binds)
	return &v, left
}

// chosenFirst orders a list of boxes to tick with the ticked ones first,
// so that a reader sees what is chosen without scrolling the box.
func chosenFirst[T any](items []T, chosen []string, key func(T) string) []T {
	out := make([]T, 0, len(items))
	for _, first := range []bool{true, false} {
		for _, it := range items {
			if slices.Contains(chosen, key(it)) == first {
				out = append(out, it)
			}
		}
	}
	return out
}

// A chip is an active filter of the search, with the address of the search
// without it.
type chip struct {
	Name, Value string
	Remove      string
}

// chips lists the search's active filters, each removable, in words: each
// filter named by the "filter" vocabulary of labels/en.json, several values
// of one joined by its "filter separator".
func (s *Site) chips(q url.Values, vendors map[string]string) []chip {
	var out []chip
	for _, name := range searchParams {
		v := q.Get(name)
		if name == "cursor" || v == "" {
			continue
		}
		switch name {
		case "jurisdiction":
			var names []string
			for _, c := range strings.Split(v, ",") {
				names = append(names, countryName(strings.TrimSpace(c)))
			}
			v = strings.Join(names, label("filter separator", name))
		case "subregion", "status", "certainty", "purpose":
			v = label(name, v)
		case "technology":
			v = label("capability", v)
		case "vendor_hq":
			v = countryName(v)
		case "vendor":
			var names []string
			for _, id := range strings.Split(v, ",") {
				id = strings.TrimSpace(id)
				names = append(names, cmp.Or(vendors[id], id))
			}
			v = strings.Join(names, label("filter separator", name))
		case "tier":
			if fw, t, ok := strings.Cut(v, ":"); ok {
				var tiers []string
				for _, x := range strings.Split(t, ",") {
					tiers = append(tiers, label("tier", x))
				}
				v = cmp.Or(s.shortTitles()[fw], fw) + ": " + strings.Join(tiers, label("filter separator", name))
			}
		}
		without := url.Values{}
		for k, vs := range q {
			if k != name && k != "cursor" {
				without[k] = vs
			}
		}
		out = append(out, chip{Name: label("filter", name), Value: v, Remove: "/search?" + without.Encode()})
	}
	return out
}

func vendorNames(f facetValues) map[string]string {
	m := map[string]string{}
	for _, v := range f.Vendors {
		m[v.ID] = v.Name
	}
	return m
}

// facets lists the values the search form offers.
type facetValues struct {
	Jurisdictions []*registry.Jurisdiction
	Vendors       []*registry.Vendor
	HQ            []string
	Technologies  []string
	Purposes      []string
	Statuses      []string
	Certainties   []string
}

func facetsOf(ctx context.Context, rd Reader) (facetValues, error) {
	var f facetValues
	err := rd.Each(ctx, "jurisdiction", func(e registry.Entity) error {
		f.Jurisdictions = append(f.Jurisdictions, e.(*registry.Jurisdiction))
		return nil
	})
	if err != nil {
		return f, err
	}
	hq := map[string]bool{}
	err = rd.Each(ctx, "vendor", func(e registry.Entity) error {
		v := e.(*registry.Vendor)
		f.Vendors = append(f.Vendors, v)
		if v.Headquarters != "" {
			hq[v.Headquarters] = true
		}
		return nil
	})
	for c := range hq {
		f.HQ = append(f.HQ, c)
	}
	sort.Strings(f.HQ)
	sort.Slice(f.Vendors, func(a, b int) bool { return f.Vendors[a].Name < f.Vendors[b].Name })
	f.Technologies, f.Purposes, f.Statuses, f.Certainties = registry.Capabilities.Values, registry.Purposes.Values, registry.Statuses.Values, registry.Certainties.Values
	return f, err
}

type tierOption struct{ Value, Label string }

// tierOptions are the choices of the tier filter, each tier in the words
// every table uses ("undecided", not "indeterminate").
func tierOptions(c *analysis.Classifier) []tierOption {
	var out []tierOption
	for _, fw := range c.Frameworks() {
		for _, t := range rules.AllTiers {
			out = append(out, tierOption{fw.ID + ":" + string(t), fw.ShortTitle + ": " + label("tier", string(t))})
		}
	}
	return out
}

// matching is how many deployments the filter selects, read from the
// counts beside its choices: every deployment has one status, and the
// status facet leaves out the status filter, so the count beside the
// chosen status, or the sum of them all, is the whole selection. -1 where
// the database could not count (a tier filter while tiers are written, or
// very common words).
func matching(counts *registry.Facets, status string) int {
	if counts == nil {
		return -1
	}
	if status != "" {
		return counts.Status[status]
	}
	n := 0
	for _, c := range counts.Status {
		n += c
	}
	return n
}
