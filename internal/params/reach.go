package params

import (
	"slices"

	"oversight/registry"
	"oversight/rules"
)

// Reach narrows a tier filter to what its framework classifies as law. A
// framework that binds some of the jurisdictions the register holds (held:
// a national law, such as Japan's APPI) selects only deployments in those:
// elsewhere the engine reads it as a yardstick (applicability
// benchmark_only), and a list of every country's deployments under it
// would read as if it classified them. A framework that binds none of
// them (the EU AI Act in this register, a treaty, the draft baseline) is
// the benchmark every page reads everywhere, and is left so. No tier
// changes: only which deployments are listed.
//
// Reach returns the jurisdictions the framework binds among those held,
// nil for a benchmark. Countries chosen outside them are dropped; if none
// is left, the filter matches nothing.
func Reach(fw *rules.Framework, held []string, f *registry.DeploymentFilter) []string {
	if fw == nil || f.Tier == nil {
		return nil
	}
	var binds []string
	for _, c := range fw.Binds {
		if slices.Contains(held, c) {
			binds = append(binds, c)
		}
	}
	if binds == nil {
		return nil
	}
	if f.Jurisdictions == nil {
		f.Jurisdictions = binds
		return binds
	}
	var in []string
	for _, c := range f.Jurisdictions {
		if slices.Contains(binds, c) {
			in = append(in, c)
		}
	}
	f.Jurisdictions = in
	if in == nil {
		f.IDs = []string{} // matches none
	}
	return binds
}
