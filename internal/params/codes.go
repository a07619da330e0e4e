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

// Known refuses a well-formed code that names nothing in the register (a
// jurisdiction, vendor or vendor headquarters it has no record of), as a
// value outside a vocabulary is refused: an empty list would read as if
// the register had looked there and found nothing. c nil skips the check
// (codes read from an earlier state of the register, which may lack a
// record added since).
func (p *Reader) Known(c *Codes, f registry.DeploymentFilter) {
	if c == nil {
		return
	}
	for _, j := range f.Jurisdictions {
		if !slices.Contains(c.Jurisdictions, j) {
			p.bad("jurisdiction", fmt.Sprintf("%q is not a jurisdiction the register holds (see /api/v1/jurisdictions)", j), c.Jurisdictions...)
			break
		}
	}
	for _, v := range f.Vendors {
		if !c.Vendors[v] {
			p.bad("vendor", fmt.Sprintf("%q is not a vendor the register holds (see /api/v1/vendors)", v))
			break
		}
	}
	if f.VendorHQ != "" && !slices.Contains(c.VendorHQ, f.VendorHQ) {
		p.bad("vendor_hq", fmt.Sprintf("%q is not the headquarters of any vendor the register holds", f.VendorHQ), c.VendorHQ...)
	}
}

// NamesCodes reports whether a filter needs the register's codes: it names
// a jurisdiction, vendor or headquarters (Known), or a tier (Reach).
func NamesCodes(f registry.DeploymentFilter) bool {
	return f.Jurisdictions != nil || f.Vendors != nil || f.VendorHQ != "" || f.Tier != nil
}

// KnownNetwork is Known for the network and trend filters: the
// jurisdictions and the vendor headquarters they name.
func (p *Reader) KnownNetwork(c *Codes, q analysis.NetworkQuery) {
	p.Known(c, registry.DeploymentFilter{Jurisdictions: q.Jurisdictions, VendorHQ: q.VendorHQ})
}
