// Command undecided prints how many of the built-in register's
// (deployment × framework that binds it or is its benchmark) pairs are
// indeterminate on a day, the figure issue 15's part 5 sets a target for,
// with the counts under each benchmark.
//
//	go run ./scripts/undecided [-as-of YYYY-MM-DD]
package main

import (
	"flag"
	"fmt"
	"log"
	"slices"
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
	for _, d := range set.Deployments {
		for fw, tier := range cls.TiersOf(d, day) {
			f, _ := cls.Framework(fw)
			if !slices.Contains(f.Binds, d.Jurisdiction) && !slices.Contains(benchmarks, fw) {
				continue
			}
			c := per[fw]
			pairs, c[0] = pairs+1, c[0]+1
			if tier == rules.Indeterminate {
				open, c[1] = open+1, c[1]+1
			}
			per[fw] = c
		}
	}
	fmt.Printf("%d deployments, %d pairs, %d indeterminate (%.1f%%), as of %s\n", len(set.Deployments), pairs, open, 100*float64(open)/float64(pairs), *asOf)
	for _, fw := range benchmarks {
		fmt.Printf("  %s: %d of %d indeterminate\n", fw, per[fw][1], per[fw][0])
	}
}
