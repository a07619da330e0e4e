package analysis

import (
	"strconv"
	"strings"
)

// A QueryParam is one filter of a NetworkQuery as the API and the pages
// name it and write it in a URL: Value is "" when the filter is not set.
type QueryParam struct {
	Name, Value string
}

// Params returns every filter a NetworkQuery can hold, set or not, in one
// fixed order, each in its canonical text (jurisdictions joined by
// commas). It is the one list of the query's fields that the parameters
// read (params.Network), the pages' links and the command line's
// descriptions are made from, so that a filter added here reaches them
// all.
func (q NetworkQuery) Params() []QueryParam {
	year := func(y int) string {
		if y == 0 {
			return ""
		}
		return strconv.Itoa(y)
	}
	return []QueryParam{
		{"subregion", q.Subregion},
		{"jurisdiction", strings.Join(q.Jurisdictions, ",")},
		{"vendor_hq", q.VendorHQ},
		{"certainty", q.Certainty},
		{"technology", q.Capability},
		{"year_from", year(q.YearFrom)},
		{"year_to", year(q.YearTo)},
	}
}

// NetworkParams are the names of Params, in its order.
func NetworkParams() []string {
	var names []string
	for _, p := range (NetworkQuery{}).Params() {
		names = append(names, p.Name)
	}
	return names
}
