package params

// Codes are the values the register's records hold for the filters whose
// values are codes of records rather than of a fixed vocabulary: the
// jurisdictions it has a profile of, and the countries its vendors are
// headquartered in, each sorted.
type Codes struct {
	Jurisdictions []string
	VendorHQ      []string
}
