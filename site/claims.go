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
		if v {
			return "yes"
		}
		return "no"
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
				return "not readable"
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return "none"
		}
		return strings.Join(out, ", ")
	case nil:
		return "unknown"
	}
	return "not readable"
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
