package site

import (
	"fmt"
	"slices"
	"strings"
)

// A bindsView says in words where a framework binds: the jurisdictions by
// name, or, for a law of the European Union, the Union and the number of
// its member states, with their names for a <details> beside it.
type bindsView struct {
	Lead  string   // "the European Union and its 27 member states", or the names joined
	Names []string // the member states by name, when Lead counts them
}

// bindsWords puts a framework's binds list (ISO 3166 codes and "EU") into
// words. The names come from the CLDR names of the codes, the same as
// every page's country names.
func bindsWords(binds []string) bindsView {
	var names []string
	eu := false
	for _, c := range binds {
		if c == "EU" {
			eu = true
			continue
		}
		names = append(names, countryName(c))
	}
	slices.Sort(names)
	if eu {
		if len(names) == 0 {
			return bindsView{Lead: "the European Union"}
		}
		return bindsView{Lead: fmt.Sprintf("the European Union and its %d member states", len(names)), Names: names}
	}
	return bindsView{Lead: strings.Join(names, ", ")}
}
