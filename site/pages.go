package site

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"oversight/analysis"
	"oversight/internal/cached"
	"oversight/internal/memo"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/rules"
	"oversight/site/atlas"
)

// change is a line of the register's latest changes.
type change struct {
	Seq               int64
	Kind, ID, Op      string
	Author, Reason    string
	Time, Href, Proof string
}

func (s *Site) home(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	p := params.Read(r.URL.Query(), "map", "colour")
	mode := cmp.Or(p.Enum("map", mapModes), "gap")
	colour := p.Enum("colour", colourings)
	if colour != "" && mode != "deployments" {
		p.Badf("colour", nil, "colours the deployments map: give it with map=deployments")
	}
	colour = cmp.Or(colour, "tier")
	if err := p.Err(); err != nil {
		return err
	}
	rv, err := s.indexReport(ctx, rd)
	if err != nil {
		return err
	}
	rep := rv.Val
	type homeData struct {
		Map    template.HTML
		Counts map[string]int
		PRC    analysis.HQShare
	}
	hv, err := memoize(s, ctx, rd, "home", func(ctx context.Context, rd Reader) (homeData, error) {
		var h homeData
		regions := map[string]atlas.Region{}
		for _, j := range rep.Index.Jurisdictions {
			label := j.Name + ": no score"
			fill := noData
			switch {
			case j.Score != nil && j.Unranked == analysis.UnrankedNoExposure:
				label = fmt.Sprintf("%s: not scored on the map, no surveillance recorded", j.Name)
			case j.Score != nil && j.Rank == 0:
				label = fmt.Sprintf("%s: not scored on the map, %.0f%% of its inputs known", j.Name, j.Coverage*100)
			case j.Score != nil:
				label = fmt.Sprintf("%s: gap %.1f of 100, %s", j.Name, *j.Score, rankText(j))
				fill = scoreColour(*j.Score)
			}
			regions[j.Code] = atlas.Region{Code: j.Code, Name: j.Name, Fill: fill, Href: "/countries/" + j.Code, Label: label}
		}
		var m bytes.Buffer
		if err := atlas.Render(&m, regions, atlas.Options{Title: "Governance gap by jurisdiction",
			Desc: "Choropleth of the governance-gap index, 0 (narrow) to 100 (wide); the table below gives the same figures.", SmallArea: 40}); err != nil {
			return h, err
		}
		h.Map, h.Counts = template.HTML(m.String()), map[string]int{}
		for _, k := range []string{"deployment", "jurisdiction", "vendor", "instrument"} {
			n, err := rd.Count(ctx, k)
			if err != nil {
				return h, err
			}
			h.Counts[k] = n
		}
		net, err := analysis.BuildNetwork(ctx, rd, analysis.NetworkQuery{})
		if err != nil {
			return h, err
		}
		h.PRC = net.Overall.HQ("CN")
		return h, nil
	})
	if err != nil {
		return err
	}
	h := hv.Val
	changes, err := latest(ctx, rd, 10)
	if err != nil {
		return err
	}
	data := map[string]any{
		"Title": "AI surveillance in the Asia-Pacific", "Map": h.Map, "Disputed": atlas.DisputedNote,
		"Index": rep.Index, "Counts": h.Counts, "Frameworks": len(s.cls.Frameworks()), "PRC": h.PRC,
		"Changes": changes, "Legend": legend(), "Mode": mode, "Colour": colour,
	}
	stale(w, data, rv)
	stale(w, data, hv)
	if mode == "deployments" {
		dv, err := memoize(s, ctx, rd, "deployment-map", s.buildDeploymentMap)
		if err != nil {
			return err
		}
		stale(w, data, dv)
		if err := s.deploymentsMap(data, rep.Index.Jurisdictions, dv.Val, colour); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "home", data)
	return nil
}

// pointRows bounds the rows of the deployments map's table; the search
// lists the rest.
const pointRows = 500

// A pointRow is a line of the table beside the deployments map.
type pointRow struct {
	mapPoint
	Country, Tier, Technology string
}

// deploymentsMap adds the deployments map, its legend, counts and table
// to the home page's data.
func (s *Site) deploymentsMap(data map[string]any, js []analysis.Score, dm deploymentMap, colour string) error {
	regions := map[string]atlas.Region{}
	for _, j := range js {
		regions[j.Code] = atlas.Region{Code: j.Code, Name: j.Name, Fill: registerFill}
	}
	what := map[string]string{"tier": "its tier under the EU AI Act, applied as a benchmark", "technology": "the most intrusive technology recorded"}[colour]
	var m bytes.Buffer
	err := atlas.Render(&m, regions, atlas.Options{Title: "Deployments by " + map[string]string{"tier": "EU AI Act tier", "technology": "technology"}[colour],
		Desc:      "Each deployment with coordinates, at its place, coloured by " + what + "; nearby ones are grouped, with their count. The table below lists the same deployments.",
		SmallArea: -1, Marks: dm.marks(colour)})
	if err != nil {
		return err
	}
	singles, grouped, groups := 0, 0, 0
	for _, g := range dm.Groups {
		if len(g.Members) == 1 {
			singles++
		} else {
			grouped, groups = grouped+len(g.Members), groups+1
		}
	}
	var rows []pointRow
	for _, p := range dm.Points[:min(len(dm.Points), pointRows)] {
		rows = append(rows, pointRow{p, countryName(p.Jurisdiction), keyOf(p, "tier").Label, keyOf(p, "technology").Label})
	}
	data["Map"], data["Keys"], data["Rows"] = template.HTML(m.String()), dm.legendOf(colour), rows
	data["Placed"], data["Singles"], data["Grouped"], data["Groups"] = len(dm.Points), singles, grouped, groups
	data["NoPlace"], data["Outside"], data["Shown"] = dm.NoPlace, dm.Outside, dm.Total
	return nil
}

// registerFill is the register's jurisdictions under the deployments, a
// shade apart from the countries outside it.
const registerFill = "#cdd5dc"

// latest lists the newest revisions of the log.
func latest(ctx context.Context, rd Reader, n int) ([]change, error) {
	size, err := rd.Size(ctx)
	if err != nil {
		return nil, err
	}
	var out []change
	for seq := size - 1; seq >= 0 && seq >= size-int64(n); seq-- {
		rev, _, err := rd.Revision(ctx, seq)
		if err != nil {
			return nil, err
		}
		c := change{Seq: rev.Seq, Kind: rev.Kind, ID: rev.ID, Op: rev.Op, Author: rev.Author, Reason: rev.Reason,
			Time: rev.Time.Format("2006-01-02 15:04 UTC"), Href: entityHref(rev.Kind, rev.ID), Proof: fmt.Sprintf("/api/v1/log/revisions/%d", rev.Seq)}
		if c.Href == "" {
			c.Href = c.Proof
		}
		out = append(out, c)
	}
	return out, nil
}

// entityHref is where a record is read: its page, or for kinds without one
// its API document; "" for a kind neither serves (replies show on their
// deployment's page).
func entityHref(kind, id string) string {
	switch kind {
	case "deployment":
		return "/deployments/" + id
	case "jurisdiction":
		return "/countries/" + id
	case "vendor":
		return "/vendors/" + id
	case "instrument", "claim":
		return "/api/v1/" + kind + "s/" + id
	}
	return ""
}

func (s *Site) country(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	e, err := rd.Get(ctx, "jurisdiction", strings.ToUpper(r.PathValue("code")))
	if err != nil {
		return s.retracted(w, r, rd, "jurisdiction", strings.ToUpper(r.PathValue("code")), err)
	}
	j := e.(*registry.Jurisdiction)
	rv, err := s.indexReport(ctx, rd)
	if err != nil {
		return err
	}
	rep := rv.Val
	var score analysis.Score
	for _, sc := range rep.Index.Jurisdictions {
		if sc.Code == j.Code {
			score = sc
		}
	}
	var stab *analysis.Stability
	for _, st := range rep.Sensitivity.Jurisdictions {
		if st.Code == j.Code {
			stab = &st
		}
	}
	type row struct {
		D     *registry.Deployment
		Tiers []rules.Result
	}
	// The matrix shows a page of deployments; search lists them all.
	page, err := rd.Deployments(ctx, registry.DeploymentFilter{Jurisdictions: []string{j.Code}, Limit: countryRows})
	if err != nil {
		return err
	}
	// The matrix has a column for each framework that binds the country
	// and the two benchmarks: 28 columns would hide what matters here
	// behind a sideways scroll. Each deployment's page has them all.
	shown := matrixFrameworks(j, s.cls.Frameworks())
	var rows []row
	for _, d := range page.Items {
		rows = append(rows, row{d, s.cls.Deployment(d, shown, s.today()).Results})
	}
	claims, err := rd.List(ctx, "claim", j.Code, "", registry.MaxLimit)
	if err != nil {
		return err
	}
	binding, unencoded := lawOf(j, s.cls.Frameworks())
	data := map[string]any{
		"Title": j.Name, "J": j, "Score": score, "Combine": rep.Index.Combine, "Stability": stab, "Rows": rows, "Frameworks": shown, "AllFrameworks": len(s.cls.Frameworks()),
		"Claims": groupClaims(claims.Items), "Series": rep.Series[j.Code], "SeriesChart": seriesChart(rep.Series[j.Code]),
		"Binding": binding, "Unencoded": unencoded, "Sources": sourceIndex(j.Sources), "More": page.Next != "",
	}
	stale(w, data, rv)
	s.render(w, r, http.StatusOK, "country", data)
	return nil
}

// countryRows is how many deployments a country page classifies and shows.
const countryRows = 100

func (s *Site) deployment(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	e, err := rd.Get(ctx, "deployment", r.PathValue("id"))
	if err != nil {
		return s.retracted(w, r, rd, "deployment", r.PathValue("id"), err)
	}
	d := e.(*registry.Deployment)
	hist, err := rd.History(ctx, "deployment", d.ID)
	if err != nil {
		return err
	}
	// The checkpoint the page cites, which says the log's size too.
	_, cp, err := rd.Checkpoint(ctx)
	if err != nil {
		return err
	}
	// The vendors, lenders and jurisdiction it names, in one query.
	ids := []registry.EntityID{{Kind: "jurisdiction", ID: d.Jurisdiction}}
	for _, v := range d.Vendors {
		ids = append(ids, registry.EntityID{Kind: "vendor", ID: v.Vendor})
	}
	for _, f := range d.Financing {
		if f.Lender != "" {
			ids = append(ids, registry.EntityID{Kind: "vendor", ID: f.Lender})
		}
	}
	// And the replies of the organisations it names.
	named, err := rd.GetMany(ctx, append(ids, d.ReplyIDs()...))
	if err != nil {
		return err
	}
	vendors := map[string]*registry.Vendor{}
	var j registry.Entity
	var replies []*registry.Reply
	for id, e := range named {
		switch e := e.(type) {
		case *registry.Vendor:
			vendors[id.ID] = e
		case *registry.Jurisdiction:
			j = e
		case *registry.Reply:
			replies = append(replies, e)
		}
	}
	slices.SortFunc(replies, func(a, b *registry.Reply) int { return strings.Compare(a.ID, b.ID) })
	s.render(w, r, http.StatusOK, "deployment", map[string]any{
		"Title": d.Title, "D": d, "J": j, "C": s.cls.Deployment(d, byRelevance(&registry.Jurisdiction{Code: d.Jurisdiction}, s.cls.Frameworks()), s.today()), "History": hist, "Size": cp.Size, "Checkpoint": cp,
		"Vendors": vendors, "FW": s.shortTitles(), "Sources": sourceIndex(d.Sources), "Replies": replies, "Declared": s.declared(d),
	})
	return nil
}

func (s *Site) vendor(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	e, err := rd.Get(ctx, "vendor", r.PathValue("id"))
	if err != nil {
		return s.retracted(w, r, rd, "vendor", r.PathValue("id"), err)
	}
	v := e.(*registry.Vendor)
	// The map counts every deployment that names the vendor; the table
	// lists the first analysis.ListMax and links to the search for the rest,
	// so that the page does not grow with the register. The store's vendor
	// filter (any role, lenders included) reads only those deployments.
	var deps []vendorRow
	total := 0
	where := map[string]int{}
	err = rd.EachDeployment(ctx, registry.DeploymentFilter{Vendor: v.ID}, func(d *registry.Deployment) error {
		hit := slices.ContainsFunc(d.Vendors, func(x registry.VendorRole) bool { return x.Vendor == v.ID }) ||
			slices.ContainsFunc(d.Financing, func(f registry.Financing) bool { return f.Lender == v.ID })
		if hit {
			if len(deps) < analysis.ListMax {
				deps = append(deps, rowFor(d, v.ID))
			}
			total++
			where[d.Jurisdiction]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The financiers column names each lender.
	var lenders []string
	for _, d := range deps {
		lenders = append(lenders, d.Financiers...)
	}
	lenderNames, err := names(ctx, rd, "vendor", lenders)
	if err != nil {
		return err
	}
	regions := map[string]atlas.Region{}
	err = rd.Each(ctx, "jurisdiction", func(e registry.Entity) error {
		j := e.(*registry.Jurisdiction)
		reg := atlas.Region{Code: j.Code, Name: j.Name, Fill: noData, Href: "/countries/" + j.Code, Label: j.Name + ": none recorded"}
		if n := where[j.Code]; n > 0 {
			reg.Fill, reg.Label = "#b35806", fmt.Sprintf("%s: %d deployment(s)", j.Name, n)
		}
		regions[j.Code] = reg
		return nil
	})
	if err != nil {
		return err
	}
	var m bytes.Buffer
	if err := atlas.Render(&m, regions, atlas.Options{Title: "Where " + v.Name + " appears", Desc: "Jurisdictions where the register records this organisation, listed in the table below.", SmallArea: 40}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "vendor", map[string]any{
		"Title": v.Name, "V": v, "Deployments": deps, "DeploymentsTotal": total, "Map": template.HTML(m.String()), "Disputed": atlas.DisputedNote,
		"Sources": sourceIndex(v.Sources), "Names": lenderNames,
	})
	return nil
}

func (s *Site) frameworks(w http.ResponseWriter, r *http.Request) {
	// By name, as a reader looks for one (ids put Indonesia before India).
	fws := slices.Clone(s.cls.Frameworks())
	slices.SortStableFunc(fws, func(a, b *rules.Framework) int { return strings.Compare(a.ShortTitle, b.ShortTitle) })
	s.render(w, r, http.StatusOK, "frameworks", map[string]any{"Title": "Frameworks", "Frameworks": fws})
}

func (s *Site) framework(w http.ResponseWriter, r *http.Request) {
	fw, ok := s.cls.Framework(r.PathValue("id"))
	if !ok {
		s.fail(w, r, registry.NotFound("framework "+r.PathValue("id")))
		return
	}
	s.render(w, r, http.StatusOK, "framework", map[string]any{"Title": fw.ShortTitle, "F": fw})
}

func (s *Site) scenario(w http.ResponseWriter, r *http.Request, rd Reader) error {
	// A list of countries comes as one parameter a country (a select of
	// several), or as one comma-separated.
	q := r.URL.Query()
	if js := q["jurisdiction"]; len(js) > 1 {
		q.Set("jurisdiction", strings.Join(js, ","))
	}
	p := params.Read(q, "framework", "cursor", "jurisdiction", "region")
	id := p.Get("framework")
	juris := p.Jurisdictions("jurisdiction")
	region := p.Enum("region", registry.Memberships)
	ctx := r.Context()
	all, err := rd.List(ctx, "jurisdiction", "", "", registry.MaxLimit)
	if err != nil {
		return err
	}
	var js []*registry.Jurisdiction
	jnames := map[string]string{}
	for _, e := range all.Items {
		j := e.(*registry.Jurisdiction)
		js = append(js, j)
		jnames[j.Code] = j.Name
	}
	// People look for a country by its name: Indonesia comes after India.
	slices.SortFunc(js, func(a, b *registry.Jurisdiction) int { return strings.Compare(a.Name, b.Name) })
	data := map[string]any{"Title": "What would a framework change?", "Frameworks": s.cls.Frameworks(), "Selected": id,
		"Jurisdictions": js, "Chosen": juris, "Region": region, "Regions": registry.Memberships.Values, "FW": s.shortTitles(), "JNames": jnames}
	var fw *rules.Framework
	if id != "" {
		fw = p.Framework(s.cls, "from the list")
	}
	cursor := p.Cursor()
	if err := p.Err(); err != nil {
		return err
	}
	// A regional body stands for its members, as the register records them.
	if region != "" {
		for _, j := range js {
			if slices.ContainsFunc(j.Memberships, func(m registry.Membership) bool { return m.Body == region }) && !slices.Contains(juris, j.Code) {
				juris = append(juris, j.Code)
			}
		}
		if len(juris) == 0 {
			return registry.InvalidField("query.region", "the register records no member of "+label("membership", region))
		}
	}
	slices.Sort(juris)
	if fw != nil {
		// The counts cover every deployment the choice selects; the table
		// shows one page of them, ListMax long, with a link to the next.
		key, err := s.state(ctx, rd)
		if err != nil {
			return err
		}
		sv, err := cached.Scenario(ctx, s.Memo, key, s.opener(), rd, s.cls, fw, juris, s.today(), analysis.ItemPage{Cursor: cursor})
		if err != nil {
			return err
		}
		sc := sv.Val
		stale(w, data, sv)
		// The rows by country name; the cached scenario is shared, so
		// sort a copy.
		byName := slices.Clone(sc.ByJurisdiction)
		slices.SortStableFunc(byName, func(a, b analysis.Jurisdiction) int {
			return strings.Compare(cmp.Or(jnames[a.Code], a.Code), cmp.Or(jnames[b.Code], b.Code))
		})
		chosen := slices.Clone(sc.Jurisdictions)
		slices.SortStableFunc(chosen, func(a, b string) int { return strings.Compare(cmp.Or(jnames[a], a), cmp.Or(jnames[b], b)) })
		data["S"], data["F"], data["Bars"], data["ByName"], data["ChosenNames"] = sc, fw, scenarioBars(byName), byName, chosen
		if sc.Next != "" {
			nq := url.Values{"framework": {id}, "cursor": {sc.Next}}
			if len(juris) > 0 {
				nq.Set("jurisdiction", strings.Join(juris, ","))
			}
			data["Next"] = "/scenarios?" + nq.Encode()
		}
	}
	s.render(w, r, http.StatusOK, "scenario", data)
	return nil
}

// A scenarioBar is a jurisdiction's row of the scenario chart: each kind of
// change as a share of its deployments, in percent, for a stacked bar.
type scenarioBar struct {
	analysis.Jurisdiction
	Same                                 int
	StricterPct, LooserPct, UndecidedPct float64
	NoLawPct, SamePct                    float64
}

func scenarioBars(rows []analysis.Jurisdiction) []scenarioBar {
	out := make([]scenarioBar, len(rows))
	for i, j := range rows {
		b := scenarioBar{Jurisdiction: j, Same: j.Deployments - j.Stricter - j.Looser - j.Undecided - j.NoLaw}
		if n := float64(j.Deployments); n > 0 {
			b.StricterPct, b.LooserPct, b.UndecidedPct = 100*float64(j.Stricter)/n, 100*float64(j.Looser)/n, 100*float64(j.Undecided)/n
			b.NoLawPct, b.SamePct = 100*float64(j.NoLaw)/n, 100*float64(b.Same)/n
		}
		out[i] = b
	}
	return out
}

// A vendorRow is a deployment as a vendor's page lists it: what the vendor
// did for it, when it was dated first, and who financed it.
type vendorRow struct {
	*registry.Deployment
	Roles      []string // the vendor's roles; financier when it lent
	First      registry.DatedEvent
	Financiers []string // vendor ids of its lenders and financiers
}

func rowFor(d *registry.Deployment, vendor string) vendorRow {
	r := vendorRow{Deployment: d}
	for _, x := range d.Vendors {
		if x.Vendor == vendor && !slices.Contains(r.Roles, x.Role) {
			r.Roles = append(r.Roles, x.Role)
		}
		if (x.Role == "financier" || x.Role == "donor") && !slices.Contains(r.Financiers, x.Vendor) {
			r.Financiers = append(r.Financiers, x.Vendor)
		}
	}
	for _, f := range d.Financing {
		if f.Lender == vendor && !slices.Contains(r.Roles, "financier") {
			r.Roles = append(r.Roles, "financier")
		}
		if f.Lender != "" && !slices.Contains(r.Financiers, f.Lender) {
			r.Financiers = append(r.Financiers, f.Lender)
		}
	}
	for _, e := range d.Dates {
		if r.First.Date.IsZero() || e.Date.Before(r.First.Date) {
			r.First = e
		}
	}
	return r
}

// searchParams are the parameters of the search page: the deployment
// filters the API takes, a tier, and the page.
var searchParams = append(append([]string{}, params.Deployment...), "tier", "cursor")

// search lists deployments with facets; the download links carry the same
// filters to the export endpoint.
func (s *Site) search(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	q := r.URL.Query()
	// Several countries come as one parameter each (a select of several),
	// or as one comma-separated: the page, its links and its downloads
	// carry them as one.
	if js := q["jurisdiction"]; len(js) > 1 {
		q.Set("jurisdiction", strings.Join(js, ","))
		r.URL.RawQuery = q.Encode()
	}
	p := params.Read(q, searchParams...)
	f := p.DeploymentFilter()
	f.Limit = 50
	p.Tier(s.cls, s.today(), &f)
	if err := p.Err(); err != nil {
		return err
	}
	page, err := rd.Deployments(ctx, f)
	if err != nil {
		return err
	}
	// Counts beside each choice, where the database can make them: not
	// under a tier filter while the tier projection is being written. The
	// whole register's counts are kept per state (a choice whose other
	// filters select everything shows them); until they are first
	// computed, the page shows none.
	all, err := memoize(s, ctx, rd, "counts", func(ctx context.Context, rd Reader) (*registry.Facets, error) {
		return rd.Facets(ctx, registry.DeploymentFilter{}, nil)
	})
	var counts *registry.Facets
	switch {
	case errors.Is(err, memo.ErrPending):
		w.Header().Set("Cache-Control", "no-store")
	case err != nil:
		return err
	default:
		if counts, err = rd.Facets(ctx, f, all.Val); err != nil {
			return err
		}
	}
	fv, err := memoize(s, ctx, rd, "facets", facetsOf)
	if err != nil {
		return err
	}
	facets := fv.Val
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
	// The list shows each deployment's tier under the EU AI Act alone,
	// stored where the tier projection holds it.
	tiers := map[string]rules.Tier{}
	if eu, ok := s.cls.Framework("eu-ai-act"); ok {
		ids := make([]string, len(page.Items))
		for i, d := range page.Items {
			ids[i] = d.ID
		}
		stored, _, err := rd.TiersOn(ctx, ids, s.today().Format(time.DateOnly))
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			if t, ok := stored[d.ID][eu.ID]; ok {
				tiers[d.ID] = rules.Tier(t)
			} else {
				tiers[d.ID] = s.cls.TierOf(d, eu, s.today())
			}
		}
	}
	data := map[string]any{
		"Title": "Search deployments", "Items": page.Items, "Next": next, "Q": q, "Facets": facets, "Tiers": tiers,
		"Downloads": downloads, "TierOptions": tierOptions(s.cls), "Chips": s.chips(q, vendorNames(facets)), "Subregions": registry.Subregions.Values,
		"Chosen": strings.Split(q.Get("jurisdiction"), ","), "VendorNames": vendorNames(facets), "Counts": counts,
	}
	stale(w, data, all)
	s.render(w, r, http.StatusOK, "search", data)
	return nil
}

// A chip is an active filter of the search, with the address of the search
// without it.
type chip struct {
	Name, Value string
	Remove      string
}

// chips lists the search's active filters, each removable, in words.
func (s *Site) chips(q url.Values, vendors map[string]string) []chip {
	words := map[string]string{"jurisdiction": "countries", "subregion": "subregion", "vendor": "vendor", "vendor_hq": "vendor headquarters",
		"technology": "technology", "status": "status", "certainty": "certainty", "year_from": "from", "year_to": "to", "q": "words", "tier": "tier"}
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
			v = strings.Join(names, ", ")
		case "subregion", "status", "certainty":
			v = label(name, v)
		case "technology":
			v = label("capability", v)
		case "vendor_hq":
			v = countryName(v)
		case "vendor":
			v = cmp.Or(vendors[v], v)
		case "tier":
			if fw, t, ok := strings.Cut(v, ":"); ok {
				var tiers []string
				for _, x := range strings.Split(t, ",") {
					tiers = append(tiers, label("tier", x))
				}
				v = cmp.Or(s.shortTitles()[fw], fw) + ": " + strings.Join(tiers, " or ")
			}
		}
		without := url.Values{}
		for k, vs := range q {
			if k != name && k != "cursor" {
				without[k] = vs
			}
		}
		out = append(out, chip{Name: words[name], Value: v, Remove: "/search?" + without.Encode()})
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
	Statuses      []string
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
	f.Technologies, f.Statuses = registry.Capabilities.Values, registry.Statuses.Values
	return f, err
}

type tierOption struct{ Value, Label string }

func tierOptions(c *analysis.Classifier) []tierOption {
	var out []tierOption
	for _, fw := range c.Frameworks() {
		for _, t := range rules.AllTiers {
			out = append(out, tierOption{fw.ID + ":" + string(t), fw.ShortTitle + ": " + strings.ReplaceAll(string(t), "_", " ")})
		}
	}
	return out
}

// sourceIndex maps a record's source keys to its sources.
func sourceIndex(srcs []registry.Source) map[string]registry.Source {
	m := make(map[string]registry.Source, len(srcs))
	for _, s := range srcs {
		m[s.Key] = s
	}
	return m
}

// shortTitles maps framework ids to their short titles.
func (s *Site) shortTitles() map[string]string {
	m := map[string]string{}
	for _, fw := range s.cls.Frameworks() {
		m[fw.ID] = fw.ShortTitle
	}
	return m
}
