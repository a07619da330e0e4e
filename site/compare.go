package site

import (
	"net/url"
	"strings"

	"oversight/registry"
)

// A comparison is a search of the register for deployments like the system
// assessed: a procurement officer asks what others bought, and from whom.
type comparison struct {
	Words string // what the search selects: "in Kazakhstan"
	URL   string
}

// comparisons are the searches for deployments in the assessed system's
// country, and for each of its capabilities the register's vocabulary
// has, in every country; their words are the vocabulary "comparison" of
// labels/en.json.
func comparisons(code, where string, capabilities []string) []comparison {
	var out []comparison
	if code != "" {
		words := strings.ReplaceAll(label("comparison", "country"), "{where}", where)
		out = append(out, comparison{words, "/search?" + url.Values{"jurisdiction": {code}}.Encode()})
	}
	for _, c := range capabilities {
		if registry.Capabilities.Has(c) {
			words := strings.ReplaceAll(label("comparison", "capability"), "{capability}", label("capability", c))
			out = append(out, comparison{words, "/search?" + url.Values{"technology": {c}}.Encode()})
		}
	}
	return out
}
