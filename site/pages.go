package site

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"oversight/analysis"
	"oversight/registry"
	"oversight/rules"
	"oversight/site/atlas"
)

// country is a jurisdiction's page: its safeguards, its score and how it
// is made, its deployments under the laws that matter there, and what
// published datasets say of it.
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
	binding, unread, unencoded := lawOf(j, s.allFrameworks(), s.today())
	data := map[string]any{
		"Title": j.Name, "J": j, "Score": score, "Combine": rep.Index.Combine, "Stability": stab, "Rows": rows, "Frameworks": shown, "AllFrameworks": len(s.cls.Frameworks()),
		"Claims": groupClaims(claims.Items), "Series": rep.Series[j.Code], "SeriesChart": seriesChart(rep.Series[j.Code]),
		"Binding": binding, "Unread": unread, "Unencoded": unencoded, "Sources": sourceIndex(j.Sources), "More": page.Next != "",
	}
	stale(w, data, rv)
	s.render(w, r, http.StatusOK, "country", data)
	return nil
}

// countryRows is how many deployments a country page classifies and shows.
const countryRows = 100

// deployment is a deployment's page: the record with its sources, its
// classification under every framework, its history and how to cite it.
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
	c := s.cls.Deployment(d, byRelevance(&registry.Jurisdiction{Code: d.Jurisdiction}, s.cls.Frameworks()), s.today())
	s.render(w, r, http.StatusOK, "deployment", map[string]any{
		"Title": d.Title, "D": d, "J": j, "C": c, "FactsRev": factsRevision(c), "History": hist, "Size": cp.Size, "Checkpoint": cp,
		"Vendors": vendors, "FW": s.shortTitles(), "SourceNo": sourceNumbers(d.Sources), "Replies": replies, "Declared": s.declared(d),
		"Unread": s.unreadIn(d.Jurisdiction),
	})
	return nil
}

// A factsRev is the revision of the fact document a classification read,
// and the history page's bound that lists it first.
type factsRev struct{ Seq, Before int64 }

// factsRevision returns the revision a classification's facts were
// logged at, nil when it read no register fact document.
func factsRevision(c analysis.Classification) *factsRev {
	if c.FactsRevision == nil {
		return nil
	}
	return &factsRev{Seq: *c.FactsRevision, Before: *c.FactsRevision + 1}
}

// vendor is an organisation's page: where the register records it, in
// which roles, and who financed those deployments.
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
	// filter (any role, lenders included) reads only those deployments,
	// and the counts by jurisdiction are the search's facets, summed from
	// deployment_counts: read one by one, a vendor of a million
	// deployments (66,000 of them) took longer than a request's deadline.
	f := registry.DeploymentFilter{Vendors: []string{v.ID}, Limit: analysis.ListMax}
	page, err := rd.Deployments(ctx, f)
	if err != nil {
		return err
	}
	deps := make([]vendorRow, 0, len(page.Items))
	where := map[string]int{}
	for _, d := range page.Items {
		deps = append(deps, rowFor(d, v.ID))
		where[d.Jurisdiction]++
	}
	total := len(deps)
	if page.Next != "" {
		f.Limit = 0
		counts, err := rd.Facets(ctx, f)
		if err != nil {
			return err
		}
		if counts != nil {
			where, total = counts.Jurisdiction, 0
			for _, n := range where {
				total += n
			}
		}
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

// allFrameworks is every framework file: those the register classifies
// under, then the binding laws it could not encode.
func (s *Site) allFrameworks() []*rules.Framework {
	return append(slices.Clone(s.cls.Frameworks()), s.cls.Unencoded()...)
}

// frameworks lists the frameworks the register classifies under, and the
// laws it could not encode, each saying so.
func (s *Site) frameworks(w http.ResponseWriter, r *http.Request) {
	// By name, as a reader looks for one (ids put Indonesia before India).
	fws := s.allFrameworks()
	slices.SortStableFunc(fws, func(a, b *rules.Framework) int { return strings.Compare(a.ShortTitle, b.ShortTitle) })
	s.render(w, r, http.StatusOK, "frameworks", map[string]any{"Title": "Frameworks", "Frameworks": fws})
}

// framework is one framework's page: its scope, rules and sources.
func (s *Site) framework(w http.ResponseWriter, r *http.Request) {
	fw, ok := s.cls.Law(r.PathValue("id"))
	if !ok {
		s.fail(w, r, registry.NotFound("framework "+r.PathValue("id")))
		return
	}
	s.render(w, r, http.StatusOK, "framework", map[string]any{"Title": fw.ShortTitle, "F": fw, "InForce": inForce(fw, s.today()), "Notes": s.notesOf(fw)})
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
	for _, fw := range s.allFrameworks() {
		m[fw.ID] = fw.ShortTitle
	}
	return m
}
