package site

import (
	"slices"
	"strings"
	"unicode"

	"oversight/rules"
)

// decidedBy names the articles that decide a result, for the summary line
// of a deployment's page: those of the rules that hold on the known facts
// and give the result's tier, so that "prohibited AI practice" reads with
// "Art. 5(1)(h)" before anyone opens it. It says nothing where the
// framework's label already cites a provision (it has a number), for an
// undecided result, and where the citations are more than two or long
// descriptions (the baseline's): the result's details list them all.
func decidedBy(r rules.Result) string {
	if strings.ContainsFunc(r.Label, unicode.IsDigit) {
		return ""
	}
	return decidingArticles(r)
}

// decidingArticles names the articles that decide a result whatever its
// label says, for a table that shows the tier in words beside them (the
// country page's), under the same limits as decidedBy.
func decidingArticles(r rules.Result) string {
	if r.Tier == rules.Indeterminate {
		return ""
	}
	var arts []string
	for _, rr := range r.Rules {
		if rr.Status != rules.Fired || rr.Tier != r.Tier || rr.Rule() == nil {
			continue
		}
		a := rr.Rule().Citation.Article
		if a == "" || len(a) > maxDecidedBy {
			return ""
		}
		if !slices.Contains(arts, a) {
			arts = append(arts, a)
		}
	}
	if len(arts) > 2 {
		return ""
	}
	return strings.Join(arts, "; ")
}

// maxDecidedBy is the longest citation a summary line carries.
const maxDecidedBy = 40
