package registry

import "slices"

// A DeploymentCount is how many current deployments share one combination
// of the attributes that whole-register tables (trends, the vendor network,
// search counts) group and filter by. The store keeps these counts up to
// date as revisions are written, so such a table is a sum over them rather
// than a walk over every deployment. Attributes of other records (a
// jurisdiction's subregion, a vendor's headquarters) are not part of the
// key: they are read with the counts, so that editing a vendor changes no
// count.
type DeploymentCount struct {
	Jurisdiction string
	Year         int // Deployment.Year; 0 when undated
	Status       string
	Certainty    string
	// Capabilities are the deployment's stated capabilities, sorted; none
	// when none is stated.
	Capabilities []string
	// Vendors are the organisations linked to the deployment with their
	// roles (Vendor and Role only), sorted: its vendors, and the lenders
	// its financing names as financier.
	Vendors []VendorRole
	// Lenders are the organisations its financing entries name as lender,
	// each once, sorted.
	Lenders []CountLender
	// Purposes are the deployment's stated purposes, sorted; none when
	// none is stated.
	Purposes []string
	N        int
}

// A CountLender is a lender of the deployments of one DeploymentCount.
type CountLender struct {
	Vendor string
	// Linked is set where no vendor role names the lender as financier:
	// Vendors then holds it as financier only because the financing
	// names it.
	Linked bool
}

// Roles returns the vendors and roles the deployments themselves record
// (Deployment.Vendors, each pair once, sorted): Vendors without the
// lenders linked as financiers by their financing alone.
func (c *DeploymentCount) Roles() []VendorRole {
	out := make([]VendorRole, 0, len(c.Vendors))
	for _, v := range c.Vendors {
		linked := v.Role == "financier" && slices.ContainsFunc(c.Lenders, func(l CountLender) bool { return l.Linked && l.Vendor == v.Vendor })
		if !linked {
			out = append(out, v)
		}
	}
	return out
}

// A Cell narrows a deployment filter to part of the deployments behind one
// count of a whole-register table: those of one jurisdiction and year
// that also have one capability, or state none.
type Cell struct {
	Jurisdiction string
	Year         int    // 0: undated
	AnyYear      bool   // of every year, dated or not: Year is not read
	Capability   string // also has this capability, when set
	NoCapability bool   // states no capability
	Links        []Link // also passes each of these
	Limit        int    // how many of the part to read at most
}

// A Link tests the organisations a deployment is linked to (its vendors
// with their roles, and the lenders its financing names, linked as
// financiers): whether one of them is of the kind it describes. The
// parts of the vendor network (who supplied a deployment, who lent to it)
// are listed with these.
type Link struct {
	Absent bool     // the deployment has no such organisation
	Vendor string   // the organisation, when set
	Roles  []string // in one of these roles, when set
	// HQ is the organisation's headquarters country, when set: an ISO
	// code, or KnownHQ or UnknownHQ. An organisation the register does not
	// hold has an unknown one.
	HQ string
}

// The values of Link.HQ that match any known headquarters, and none.
const (
	KnownHQ   = "*"
	UnknownHQ = "?"
)

// A FinancingEntry is one financing entry of a deployment, as the register
// keeps them apart for the money: its Note and Sources are not kept.
type FinancingEntry struct {
	Deployment   string
	Jurisdiction string
	Financing
}
