package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"oversight/registry"
)

// NetworkRegister is the part of the store the vendor network reads.
// *store.DB satisfies it.
type NetworkRegister interface {
	EachDeployment(ctx context.Context, f registry.DeploymentFilter, fn func(*registry.Deployment) error) error
	Each(ctx context.Context, kind string, fn func(registry.Entity) error) error
}

// NetworkQuery selects the deployments a network or trend table is built
// from. Zero fields do not filter. A year range leaves out undated
// deployments, since they cannot be placed in it.
type NetworkQuery struct {
	Subregion     string   `json:"subregion,omitempty"`     // registry.Subregions
	Jurisdictions []string `json:"jurisdictions,omitempty"` // ISO alpha-2 codes
	VendorHQ      string   `json:"vendor_hq,omitempty"`     // ISO alpha-2: a vendor, in any role, is headquartered there
	Certainty     string   `json:"certainty,omitempty"`     // registry.Certainties
	Capability    string   `json:"technology,omitempty"`    // registry.Capabilities
	YearFrom      int      `json:"year_from,omitempty"`     // earliest dated event in [YearFrom, YearTo]
	YearTo        int      `json:"year_to,omitempty"`
}

// Validate reports the first field whose value is not in its vocabulary.
func (q NetworkQuery) Validate() error {
	for _, c := range []struct {
		e registry.Enum
		v string
	}{{registry.Subregions, q.Subregion}, {registry.Certainties, q.Certainty}, {registry.Capabilities, q.Capability}} {
		if c.v != "" && !c.e.Has(c.v) {
			return fmt.Errorf("%q is not a known %s (allowed: %s)", c.v, c.e.Name, c.e)
		}
	}
	if q.VendorHQ != "" && !isAlpha2(q.VendorHQ) {
		return fmt.Errorf("vendor headquarters %q is not an ISO 3166-1 alpha-2 code", q.VendorHQ)
	}
	if q.YearFrom != 0 && q.YearTo != 0 && q.YearFrom > q.YearTo {
		return fmt.Errorf("year range %d-%d is empty", q.YearFrom, q.YearTo)
	}
	return nil
}

// isAlpha2 reports whether s is two upper-case ASCII letters.
func isAlpha2(s string) bool {
	return len(s) == 2 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z'
}

// UnknownValue is written where the register does not state a value: a
// vendor's headquarters, ownership or type, a jurisdiction's subregion, a
// deployment's technology. It is never replaced by a guess.
const UnknownValue = "unknown"

// SupplierRoles are the vendor roles that count as supplying a deployment.
// Financiers and donors are counted under lenders instead, and a vendor of
// role unknown is counted apart, since it may have done either.
var SupplierRoles = []string{"prime", "equipment", "software", "integrator", "operator_support"}

// LenderRoles are the vendor roles that make a vendor a lender even where
// no financing entry names it.
var LenderRoles = []string{"financier", "donor"}

// ListMax is how many deployment ids, scenario items or financing entries
// a result lists behind one number. The number counts them all, and each
// cut list X has beside it X_total, its full length; the list holds the
// first ListMax in id order, the order deployments are read in. Enough to
// check a figure or find examples, while the size and memory of a result
// stay independent of the size of the register.
const ListMax = 100

// addCapped counts v in *total and appends it to list while the list holds
// fewer than ListMax. Deployments arrive in id order, so the list keeps the
// first ListMax of them.
func addCapped[T any](list []T, total *int, v T) []T {
	*total++
	if len(list) < ListMax {
		list = append(list, v)
	}
	return list
}

// Network is the vendor network of the selected deployments. Its lists of
// deployments and of financing entries are cut at ListMax; the totals
// beside them count every one.
type Network struct {
	Query            NetworkQuery `json:"query"`
	Deployments      []string     `json:"deployments"` // the first ListMax selected deployments
	DeploymentsTotal int          `json:"deployments_total"`
	Overall          Shares       `json:"overall"`
	BySubregion      []Shares     `json:"by_subregion"` // in the order of registry.Subregions
	Edges            []Edge       `json:"edges"`        // most deployments first
	Lenders          []Lender     `json:"lenders"`      // largest known amount first
	// Unattributed are financing entries that name no lender.
	Unattributed      []Flow `json:"unattributed_financing"`
	UnattributedTotal int    `json:"unattributed_financing_total"`
}

// Shares splits a set of deployments by the headquarters country of their
// suppliers. Every deployment falls in exactly one of Supplied, UnknownHQ,
// UnknownRole and NoSupplier, so their totals add up to DeploymentsTotal.
// Each list holds the first ListMax deployments of its part; its total
// counts them all.
type Shares struct {
	Subregion        string   `json:"subregion,omitempty"` // empty for all subregions
	Deployments      []string `json:"deployments"`
	DeploymentsTotal int      `json:"deployments_total"` // the denominator of Share
	// Supplied have at least one supplier of known headquarters: their
	// total is the denominator of ShareOfKnown.
	Supplied      []string `json:"supplied_known_hq"`
	SuppliedTotal int      `json:"supplied_known_hq_total"`
	// AlsoUnknownHQ are Supplied deployments that also have a supplier of
	// unknown headquarters, whose country might change the count.
	AlsoUnknownHQ      []string  `json:"also_unknown_hq"`
	AlsoUnknownHQTotal int       `json:"also_unknown_hq_total"`
	UnknownHQ          []string  `json:"unknown_hq"` // suppliers recorded, none with known headquarters
	UnknownHQTotal     int       `json:"unknown_hq_total"`
	UnknownRole        []string  `json:"unknown_role"` // no supplier, but a vendor whose role is unknown
	UnknownRoleTotal   int       `json:"unknown_role_total"`
	NoSupplier         []string  `json:"no_supplier"` // no supplier and no vendor of unknown role
	NoSupplierTotal    int       `json:"no_supplier_total"`
	ByHQ               []HQShare `json:"by_headquarters"` // most deployments first
}

// HQShare is the part of a set of deployments supplied by at least one
// vendor headquartered in one country. A deployment with suppliers from
// several countries counts for each.
type HQShare struct {
	Country          string   `json:"country"`
	Deployments      []string `json:"deployments"`       // the first ListMax of the numerator
	DeploymentsTotal int      `json:"deployments_total"` // equal to N
	N                int      `json:"n"`
	Of               int      `json:"of"`             // all deployments of the set
	Share            float64  `json:"share"`          // N / Of
	OfKnown          int      `json:"of_known"`       // deployments with a supplier of known headquarters
	ShareOfKnown     float64  `json:"share_of_known"` // N / OfKnown
}

// HQ returns the share of a country, with N zero if none of the set's
// deployments has a supplier headquartered there.
func (s *Shares) HQ(country string) HQShare {
	for _, h := range s.ByHQ {
		if h.Country == country {
			return h
		}
	}
	return HQShare{Country: country, Deployments: []string{}, Of: s.DeploymentsTotal, OfKnown: s.SuppliedTotal}
}

// Edge links a vendor to a jurisdiction it supplied or financed.
type Edge struct {
	Vendor           string   `json:"vendor"`
	Name             string   `json:"name"`
	Headquarters     string   `json:"headquarters"` // ISO alpha-2, or unknown
	Ownership        string   `json:"ownership"`
	Jurisdiction     string   `json:"jurisdiction"`
	Subregion        string   `json:"subregion"`
	Deployments      []string `json:"deployments"` // the first ListMax
	DeploymentsTotal int      `json:"deployments_total"`
	Roles            []string `json:"roles"`        // as recorded; empty for a lender no vendor role names
	Technologies     []string `json:"technologies"` // capabilities of the deployments
	Financing        []Flow   `json:"financing"`    // the first ListMax entries that name this vendor as lender
	FinancingTotal   int      `json:"financing_total"`
}

// Flow is one financing entry of a deployment, amounts as recorded.
type Flow struct {
	Lender        string   `json:"lender,omitempty"`
	Deployment    string   `json:"deployment"`
	Jurisdiction  string   `json:"jurisdiction"`
	Instrument    string   `json:"instrument"`
	Amount        *float64 `json:"amount,omitempty"`
	Currency      string   `json:"currency,omitempty"`
	Year          int      `json:"year,omitempty"`
	AmountUSD2021 *float64 `json:"amount_usd_2021,omitempty"`
	AidDataID     int      `json:"aiddata_id,omitempty"`
}

// Lender is a financier or donor: a vendor named by a financing entry or
// given role financier or donor.
type Lender struct {
	Vendor           string   `json:"vendor"`
	Name             string   `json:"name"`
	Type             string   `json:"type"`
	Headquarters     string   `json:"headquarters"`
	Ownership        string   `json:"ownership"`
	Jurisdictions    []string `json:"jurisdictions"`
	Deployments      []string `json:"deployments"` // the first ListMax
	DeploymentsTotal int      `json:"deployments_total"`
	// USD2021 sums amount_usd_2021 over the USD2021Flows entries that give
	// it; other amounts are in Flows, in their own currency, never added.
	USD2021       float64 `json:"amount_usd_2021"`
	USD2021Flows  int     `json:"amount_usd_2021_entries"`
	UnknownAmount int     `json:"unknown_amount_entries"` // entries with no amount at all
	Flows         []Flow  `json:"financing"`              // the first ListMax entries
	FlowsTotal    int     `json:"financing_total"`
}

// netWorld is what a network reads besides deployments.
type netWorld struct {
	subregion map[string]string // jurisdiction code → subregion
	vendors   map[string]*registry.Vendor
}

func loadNetWorld(ctx context.Context, reg NetworkRegister) (*netWorld, error) {
	w := &netWorld{subregion: map[string]string{}, vendors: map[string]*registry.Vendor{}}
	err := reg.Each(ctx, "jurisdiction", func(e registry.Entity) error {
		j := e.(*registry.Jurisdiction)
		w.subregion[j.Code] = cmp.Or(j.Subregion, UnknownValue)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = reg.Each(ctx, "vendor", func(e registry.Entity) error {
		v := e.(*registry.Vendor)
		w.vendors[v.ID] = v
		return nil
	})
	return w, err
}

func (w *netWorld) sub(code string) string { return cmp.Or(w.subregion[code], UnknownValue) }

// vendor returns a vendor, or a stand-in of unknown headquarters for an id
// the register does not hold.
func (w *netWorld) vendor(id string) *registry.Vendor {
	if v := w.vendors[id]; v != nil {
		return v
	}
	return &registry.Vendor{ID: id, Type: UnknownValue, Ownership: UnknownValue}
}

func hqOf(v *registry.Vendor) string { return cmp.Or(v.Headquarters, UnknownValue) }

// each calls fn for every deployment q selects, in id order.
func (q NetworkQuery) each(ctx context.Context, reg NetworkRegister, w *netWorld, fn func(*registry.Deployment) error) error {
	f := registry.DeploymentFilter{Jurisdictions: q.Jurisdictions, VendorHQ: q.VendorHQ, Certainty: q.Certainty, Capability: q.Capability,
		YearFrom: q.YearFrom, YearTo: q.YearTo}
	return reg.EachDeployment(ctx, f, func(d *registry.Deployment) error {
		if q.Subregion != "" && w.sub(d.Jurisdiction) != q.Subregion {
			return nil
		}
		return fn(d)
	})
}

// BuildNetwork builds the vendor network of the deployments q selects. On a
// register that keeps counts and financing entries (CountRegister and
// FinancingRegister) it sums the counts, reads each list by index and
// reads the entries of the selected deployments, but no deployment.
// Otherwise it reads the deployments once and keeps only aggregates and
// the lists ListMax cuts, so its memory does not grow with the register.
func BuildNetwork(ctx context.Context, reg NetworkRegister, q NetworkQuery) (*Network, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	w, err := loadNetWorld(ctx, reg)
	if err != nil {
		return nil, err
	}
	if nr, ok := reg.(networkRegister); ok {
		return networkCounted(ctx, nr, w, q)
	}
	n := &Network{Query: q, Deployments: []string{}, Edges: []Edge{}, Lenders: []Lender{}, Unattributed: []Flow{}}
	overall := newHQTally("")
	bySub := map[string]*hqTally{}
	// An edge or a lender can be reached several times from one deployment
	// (a vendor role and financing entries); last is the deployment counted
	// last, so that each is counted once.
	type edgeTally struct {
		Edge
		last string
	}
	type lenderTally struct {
		Lender
		last string
	}
	edges := map[[2]string]*edgeTally{}
	lenders := map[string]*lenderTally{}
	edge := func(vendor string, d *registry.Deployment) *edgeTally {
		k := [2]string{vendor, d.Jurisdiction}
		e := edges[k]
		if e == nil {
			v := w.vendor(vendor)
			e = &edgeTally{Edge: Edge{Vendor: v.ID, Name: v.Name, Headquarters: hqOf(v), Ownership: cmp.Or(v.Ownership, UnknownValue),
				Jurisdiction: d.Jurisdiction, Subregion: w.sub(d.Jurisdiction), Deployments: []string{}, Roles: []string{}, Financing: []Flow{}}}
			edges[k] = e
		}
		if e.last != d.ID {
			e.last = d.ID
			e.Deployments = addCapped(e.Deployments, &e.DeploymentsTotal, d.ID)
			for _, c := range d.System.Capabilities {
				e.Technologies = appendNew(e.Technologies, c)
			}
		}
		return e
	}
	lender := func(vendor string, d *registry.Deployment) *lenderTally {
		l := lenders[vendor]
		if l == nil {
			v := w.vendor(vendor)
			l = &lenderTally{Lender: Lender{Vendor: v.ID, Name: v.Name, Type: cmp.Or(v.Type, UnknownValue), Headquarters: hqOf(v),
				Ownership: cmp.Or(v.Ownership, UnknownValue), Deployments: []string{}, Flows: []Flow{}}}
			lenders[vendor] = l
		}
		if l.last != d.ID {
			l.last = d.ID
			l.Jurisdictions = appendNew(l.Jurisdictions, d.Jurisdiction)
			l.Deployments = addCapped(l.Deployments, &l.DeploymentsTotal, d.ID)
		}
		return l
	}
	err = q.each(ctx, reg, w, func(d *registry.Deployment) error {
		n.Deployments = addCapped(n.Deployments, &n.DeploymentsTotal, d.ID)
		sub := w.sub(d.Jurisdiction)
		if bySub[sub] == nil {
			bySub[sub] = newHQTally(sub)
		}
		overall.add(d, w)
		bySub[sub].add(d, w)
		for _, vr := range d.Vendors {
			e := edge(vr.Vendor, d)
			e.Roles = appendNew(e.Roles, vr.Role)
			if slices.Contains(LenderRoles, vr.Role) {
				lender(vr.Vendor, d)
			}
		}
		for _, f := range d.Financing {
			fl := flow(d.ID, d.Jurisdiction, f)
			if f.Lender == "" {
				n.Unattributed = addCapped(n.Unattributed, &n.UnattributedTotal, fl)
				continue
			}
			e := edge(f.Lender, d)
			e.Financing = addCapped(e.Financing, &e.FinancingTotal, fl)
			lender(f.Lender, d).addFlow(fl)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	n.Overall = overall.shares()
	n.BySubregion = []Shares{}
	for _, sub := range append(slices.Clone(registry.Subregions.Values), UnknownValue) {
		if t := bySub[sub]; t != nil {
			n.BySubregion = append(n.BySubregion, t.shares())
		}
	}
	var es []*Edge
	for _, e := range edges {
		es = append(es, &e.Edge)
	}
	var ls []*Lender
	for _, l := range lenders {
		ls = append(ls, &l.Lender)
	}
	n.finish(es, ls)
	return n, nil
}

// flow returns a financing entry of a deployment as a Flow.
func flow(deployment, jurisdiction string, f registry.Financing) Flow {
	return Flow{Lender: f.Lender, Deployment: deployment, Jurisdiction: jurisdiction, Instrument: f.Instrument,
		Amount: f.Amount, Currency: f.Currency, Year: f.Year, AmountUSD2021: f.AmountUSD2021, AidDataID: f.AidDataID}
}

// addFlow lists an entry that names l as lender and adds up its amount.
// Entries come in the order of the walk, so the sums are added in one
// order whichever way the network is built.
func (l *Lender) addFlow(fl Flow) {
	l.Flows = addCapped(l.Flows, &l.FlowsTotal, fl)
	switch {
	case fl.AmountUSD2021 != nil:
		l.USD2021 += *fl.AmountUSD2021
		l.USD2021Flows++
	case fl.Amount == nil:
		l.UnknownAmount++
	}
}

// finish sorts the lists of the edges and lenders and adds them to n, the
// edges with most deployments first, the lenders with the largest known
// amount.
func (n *Network) finish(edges []*Edge, lenders []*Lender) {
	for _, e := range edges {
		slices.Sort(e.Deployments)
		slices.Sort(e.Roles)
		slices.Sort(e.Technologies)
		e.Technologies = nonNilStrings(e.Technologies)
		n.Edges = append(n.Edges, *e)
	}
	for _, l := range lenders {
		slices.Sort(l.Jurisdictions)
		slices.Sort(l.Deployments)
		n.Lenders = append(n.Lenders, *l)
	}
	slices.SortFunc(n.Edges, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(b.DeploymentsTotal, a.DeploymentsTotal), cmp.Compare(a.Vendor, b.Vendor), cmp.Compare(a.Jurisdiction, b.Jurisdiction))
	})
	slices.SortFunc(n.Lenders, func(a, b Lender) int {
		return cmp.Or(cmp.Compare(b.USD2021, a.USD2021), cmp.Compare(b.DeploymentsTotal, a.DeploymentsTotal), cmp.Compare(a.Vendor, b.Vendor))
	})
}

// appendNew appends v to list unless it is there already.
func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
