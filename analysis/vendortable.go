package analysis

import (
	"cmp"
	"context"
	"slices"

	"oversight/registry"
)

// VendorTable is the vendor network of the selected deployments as one row
// per vendor and one column per jurisdiction: the form a page draws as a
// matrix and a spreadsheet reads. Unlike Network's lists, nothing in it is
// cut: its size grows with the vendors and jurisdictions the deployments
// name, never with the deployments themselves.
type VendorTable struct {
	Query            NetworkQuery `json:"query"`
	DeploymentsTotal int          `json:"deployments_total"`
	// Jurisdictions are the columns: every jurisdiction where a row's
	// vendor appears, by subregion (in the order of registry.Subregions,
	// unknown last), then by code.
	Jurisdictions []string `json:"jurisdictions"`
	// Subregions line up with Jurisdictions.
	Subregions []string    `json:"subregions"`
	Rows       []VendorRow `json:"rows"` // most deployments first, then by id
}

// VendorRow is one vendor of a VendorTable: a supplier, a lender, or both.
type VendorRow struct {
	Vendor       string `json:"vendor"`
	Name         string `json:"name"`
	Headquarters string `json:"headquarters"` // ISO alpha-2, or UnknownValue
	Ownership    string `json:"ownership"`
	// Roles are the vendor roles the deployments record for it, sorted;
	// Lends is set when a financing entry names it as lender, a role that
	// Roles need not hold.
	Roles []string `json:"roles"`
	Lends bool     `json:"lends"`
	// DeploymentsTotal counts the selected deployments that name it, once
	// each; Cells split them by jurisdiction, in the order of the table's
	// Jurisdictions, so that they add up to it.
	DeploymentsTotal int   `json:"deployments_total"`
	Cells            []int `json:"cells"`
	// Lenders financed at least one of those deployments (itself left
	// out), most deployments first.
	Lenders []RowLender `json:"lenders"`
}

// RowLender is a lender of some of a row's deployments.
type RowLender struct {
	Vendor      string `json:"vendor"`
	Name        string `json:"name"`
	Deployments int    `json:"deployments"` // of the row's deployments, those it financed
}

// BuildVendorTable tabulates the vendors of the deployments q selects. A
// vendor counts for a deployment where the deployment names it in a vendor
// role or as the lender of a financing entry, as in BuildNetwork's edges,
// whose counts by vendor and jurisdiction are the table's cells. On a
// register that keeps counts (CountRegister) it sums them: nothing in the
// table lists a deployment, so no deployment is read.
func BuildVendorTable(ctx context.Context, reg NetworkRegister, q NetworkQuery) (*VendorTable, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	w, err := loadNetWorld(ctx, reg)
	if err != nil {
		return nil, err
	}
	t := newVendorTally(q, w)
	if cr, ok := reg.(CountRegister); ok {
		counts, err := cr.DeploymentCounts(ctx)
		if err != nil {
			return nil, err
		}
		for i := range counts {
			c := &counts[i]
			if !q.selects(c, w) {
				continue
			}
			lenders := make([]string, len(c.Lenders))
			for i, l := range c.Lenders {
				lenders[i] = l.Vendor
			}
			t.add(c.Jurisdiction, c.Roles(), lenders, c.N)
		}
		return t.table(), nil
	}
	err = q.each(ctx, reg, w, func(d *registry.Deployment) error {
		var lenders []string
		for _, f := range d.Financing {
			if f.Lender != "" {
				lenders = appendNew(lenders, f.Lender)
			}
		}
		t.add(d.Jurisdiction, d.Vendors, lenders, 1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t.table(), nil
}

// vendorTally accumulates a VendorTable.
type vendorTally struct {
	t    *VendorTable
	w    *netWorld
	rows map[string]*rowTally
	seen map[string]bool // the jurisdictions of the rows
}

type rowTally struct {
	VendorRow
	where   map[string]int
	lenders map[string]int
}

func newVendorTally(q NetworkQuery, w *netWorld) *vendorTally {
	return &vendorTally{t: &VendorTable{Query: q, Jurisdictions: []string{}, Subregions: []string{}, Rows: []VendorRow{}}, w: w,
		rows: map[string]*rowTally{}, seen: map[string]bool{}}
}

// add counts n deployments of a jurisdiction that record the same vendor
// roles and name the same lenders (each once).
func (vt *vendorTally) add(jurisdiction string, vendors []registry.VendorRole, lenders []string, n int) {
	vt.t.DeploymentsTotal += n
	// Each vendor the deployments name, once, with what it did.
	var named []string
	roles := map[string][]string{}
	for _, vr := range vendors {
		named = appendNew(named, vr.Vendor)
		roles[vr.Vendor] = appendNew(roles[vr.Vendor], vr.Role)
	}
	for _, l := range lenders {
		named = appendNew(named, l)
	}
	for _, id := range named {
		r := vt.rows[id]
		if r == nil {
			v := vt.w.vendor(id)
			r = &rowTally{VendorRow: VendorRow{Vendor: v.ID, Name: v.Name, Headquarters: hqOf(v), Ownership: cmp.Or(v.Ownership, UnknownValue),
				Roles: []string{}}, where: map[string]int{}, lenders: map[string]int{}}
			vt.rows[id] = r
		}
		r.DeploymentsTotal += n
		r.where[jurisdiction] += n
		vt.seen[jurisdiction] = true
		for _, role := range roles[id] {
			r.Roles = appendNew(r.Roles, role)
		}
		if slices.Contains(lenders, id) {
			r.Lends = true
		}
		for _, l := range lenders {
			if l != id {
				r.lenders[l] += n
			}
		}
	}
}

// table orders the columns and rows.
func (vt *vendorTally) table() *VendorTable {
	t, w := vt.t, vt.w
	order := map[string]int{UnknownValue: len(registry.Subregions.Values)}
	for i, s := range registry.Subregions.Values {
		order[s] = i
	}
	for j := range vt.seen {
		t.Jurisdictions = append(t.Jurisdictions, j)
	}
	slices.SortFunc(t.Jurisdictions, func(a, b string) int {
		return cmp.Or(cmp.Compare(order[w.sub(a)], order[w.sub(b)]), cmp.Compare(a, b))
	})
	for _, j := range t.Jurisdictions {
		t.Subregions = append(t.Subregions, w.sub(j))
	}
	for _, r := range vt.rows {
		slices.Sort(r.Roles)
		r.Cells = make([]int, len(t.Jurisdictions))
		for i, j := range t.Jurisdictions {
			r.Cells[i] = r.where[j]
		}
		r.Lenders = []RowLender{}
		for l, n := range r.lenders {
			r.Lenders = append(r.Lenders, RowLender{Vendor: l, Name: w.vendor(l).Name, Deployments: n})
		}
		slices.SortFunc(r.Lenders, func(a, b RowLender) int {
			return cmp.Or(cmp.Compare(b.Deployments, a.Deployments), cmp.Compare(a.Vendor, b.Vendor))
		})
		t.Rows = append(t.Rows, r.VendorRow)
	}
	slices.SortFunc(t.Rows, func(a, b VendorRow) int {
		return cmp.Or(cmp.Compare(b.DeploymentsTotal, a.DeploymentsTotal), cmp.Compare(a.Vendor, b.Vendor))
	})
	return t
}
