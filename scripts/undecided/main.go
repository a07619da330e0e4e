// Command undecided prints how many of the built-in register's
// (deployment × framework that binds it or is its benchmark) pairs are
// indeterminate on a day, the figure issue 15's part 5 sets a target for,
// with the counts under each benchmark. With -missing it also lists, for
// each framework and rule-asked fact, how many undecided pairs name it as
// missing: the facts worth reading sources for, or the rules worth
// rereading.
//
//	go run ./scripts/undecided [-as-of YYYY-MM-DD] [-missing]
package main

import (
	"cmp"
	"flag"
	"fmt"
	"log"
	"maps"
	"slices"
	"strings"
	"time"

	"oversight/analysis"
	"oversight/data"
	"oversight/frameworks"
	"oversight/rules"
)

// benchmarks are compared with every deployment, whatever binds it.
var benchmarks = []string{"eu-ai-act", "apac-baseline"}

func main() {
	asOf := flag.String("as-of", time.Now().UTC().Format(time.DateOnly), "the day to classify on")
	missing := flag.Bool("missing", false, "also tally the missing facts of undecided pairs")
	flag.Parse()
	day, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		log.Fatalf("-as-of: %v", err)
	}
	set, err := data.Load()
	if err != nil {
		log.Fatal(err)
	}
	facts, err := data.Facts()
	if err != nil {
		log.Fatal(err)
	}
	fws, err := frameworks.Load()
	if err != nil {
		log.Fatal(err)
	}
	cls, err := analysis.NewClassifier(fws, facts)
	if err != nil {
		log.Fatal(err)
	}
	pairs, open := 0, 0
	per := map[string][2]int{} // framework: pairs, indeterminate
	asked := map[string]int{}  // "framework fact": undecided pairs missing it
	for _, d := range set.Deployments {
		for _, f := range cls.Frameworks() {
			if !slices.Contains(f.Binds, d.Jurisdiction) && !slices.Contains(benchmarks, f.ID) {
				continue
			}
			res := cls.Deployment(d, []*rules.Framework{f}, day).Results[0]
			c := per[f.ID]
			pairs, c[0] = pairs+1, c[0]+1
			if res.Tier == rules.Indeterminate {
				open, c[1] = open+1, c[1]+1
				for _, m := range res.Missing {
					asked[f.ID+" "+m]++
				}
			}
			per[f.ID] = c
		}
	}
	// A law the register could not encode gives no tier, so its pairs are
	// neither decided nor undecided: they are counted apart, not left out
	// unseen.
	unread := 0
	for _, d := range set.Deployments {
		unread += len(cls.UnencodedBinding(d.Jurisdiction))
	}
	fmt.Printf("%d deployments, %d pairs, %d indeterminate (%.1f%%), as of %s\n", len(set.Deployments), pairs, open, 100*float64(open)/float64(pairs), *asOf)
	fmt.Printf("  and %d pairs with a binding law not encoded (%d laws), which give no tier and are not counted above\n", unread, len(cls.Unencoded()))
	for _, fw := range benchmarks {
		fmt.Printf("  %s: %d of %d indeterminate\n", fw, per[fw][1], per[fw][0])
	}
	if *missing {
		keys := slices.Collect(maps.Keys(asked))
		slices.SortFunc(keys, func(a, b string) int { return cmp.Or(asked[b]-asked[a], strings.Compare(a, b)) })
		fmt.Println("missing facts of undecided pairs (framework, fact: pairs):")
		for _, k := range keys {
			fmt.Printf("  %s: %d\n", k, asked[k])
		}
	}
}
