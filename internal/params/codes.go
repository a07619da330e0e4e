package params

import (
	"fmt"
	"slices"

	"oversight/analysis"
	"oversight/registry"
)

// Codes are the values the register's records hold for the filters whose
// values name records rather than a fixed vocabulary: the jurisdictions
// it has a profile of, the countries its vendors are headquartered in
// (each sorted), and its vendors' ids.
type Codes struct {
	Jurisdictions []string
	VendorHQ      []string
	Vendors       map[string]bool
}

// unknown returns, for each parameter of f that names a code c does not
// hold, the first such code, by the parameter's name; nil when c holds
// them all.
func (c *Codes) unknown(f registry.DeploymentFilter) map[string]string {
	var out map[string]string
	add := func(param, code string) {
		if out == nil {
			out = map[string]string{}
		}
		out[param] = code
	}
	for _, j := range f.Jurisdictions {
		if !slices.Contains(c.Jurisdictions, j) {
			add("jurisdiction", j)
			break
		}
	}
	for _, v := range f.Vendors {
		if !c.Vendors[v] {
			add("vendor", v)
			break
		}
	}
	if f.VendorHQ != "" && !slices.Contains(c.VendorHQ, f.VendorHQ) {
		add("vendor_hq", f.VendorHQ)
	}
	return out
}

// Holds reports whether c holds every code f names.
func (c *Codes) Holds(f registry.DeploymentFilter) bool { return c.unknown(f) == nil }

// Known refuses a well-formed code that names nothing in the register (a
// jurisdiction, vendor or vendor headquarters it has no record of), as a
// value outside a vocabulary is refused: an empty list would read as if
// the register had looked there and found nothing. Each parameter names
// its first unknown code.
func (p *Reader) Known(c *Codes, f registry.DeploymentFilter) {
	u := c.unknown(f)
	if code, ok := u["jurisdiction"]; ok {
		p.bad("jurisdiction", fmt.Sprintf("%q is not a jurisdiction the register holds (see /api/v1/jurisdictions)", code), c.Jurisdictions...)
	}
	if code, ok := u["vendor"]; ok {
		p.bad("vendor", fmt.Sprintf("%q is not a vendor the register holds (see /api/v1/vendors)", code))
	}
	if code, ok := u["vendor_hq"]; ok {
		p.bad("vendor_hq", fmt.Sprintf("%q is not the headquarters of any vendor the register holds", code), c.VendorHQ...)
	}
}

// NamesCodes reports whether a filter needs the register's codes: it names
// a jurisdiction, vendor or headquarters (Known), or a tier (Reach).
func NamesCodes(f registry.DeploymentFilter) bool {
	return f.Jurisdictions != nil || f.Vendors != nil || f.VendorHQ != "" || f.Tier != nil
}

// NetworkCodes are the codes the network and trend filters name (their
// jurisdictions and vendor headquarters), as a filter Known reads.
func NetworkCodes(q analysis.NetworkQuery) registry.DeploymentFilter {
	return registry.DeploymentFilter{Jurisdictions: q.Jurisdictions, VendorHQ: q.VendorHQ}
}

// CountryCodes is a filter naming one jurisdiction, none for "": what the
// lists of claims and instruments and the reviewers' queue filter by.
func CountryCodes(code string) registry.DeploymentFilter {
	if code == "" {
		return registry.DeploymentFilter{}
	}
	return registry.DeploymentFilter{Jurisdictions: []string{code}}
}
