package site

import (
	"strconv"
	"strings"

	"oversight/registry"
)

// claimValue writes a dataset claim's value in words: yes or no for a
// flag, a number as written, a list as names joined by commas, a regime
// type by its label. A value of another shape (the register's validation
// admits none) is written "not readable" rather than in Go's syntax.
func claimValue(c *registry.Claim) string {
	switch v := c.Value.(type) {
	case bool:
		return flagWords(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case string:
		if c.Indicator == "regime_type" {
			return label("regime type", v)
		}
		return v
	case []string:
		return strings.Join(v, ", ")
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return label("value", valueUnreadable)
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return label("value", valueEmpty)
		}
		return strings.Join(out, ", ")
	case nil:
		return label("value", valueNull)
	}
	return label("value", valueUnreadable)
}

// claimSource is the source a claim's dataset is read from: the one
// whose key is the dataset's, else the first; nil when it cites none.
func claimSource(c *registry.Claim) *registry.Source {
	for i := range c.Sources {
		if c.Sources[i].Key == c.Dataset {
			return &c.Sources[i]
		}
	}
	if len(c.Sources) > 0 {
		return &c.Sources[0]
	}
	return nil
}

// A claimGroup is the claims of one dataset, as a country page lists
// them: one table a dataset, its name and link said once.
type claimGroup struct {
	Dataset string
	Source  *registry.Source
	Claims  []*registry.Claim
}

// groupClaims groups claims by dataset, in the order each dataset first
// appears.
func groupClaims(es []registry.Entity) []claimGroup {
	var out []claimGroup
	at := map[string]int{}
	for _, e := range es {
		c, ok := e.(*registry.Claim)
		if !ok {
			continue
		}
		i, seen := at[c.Dataset]
		if !seen {
			i = len(out)
			at[c.Dataset] = i
			out = append(out, claimGroup{Dataset: c.Dataset, Source: claimSource(c)})
		}
		out[i].Claims = append(out[i].Claims, c)
	}
	return out
}
