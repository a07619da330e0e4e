// Command qplans prints, for every filter the deployment search offers and
// every pair of them, the SQL the store runs for a page of 50 (and for the
// page after it, from its cursor), the server's SQLite's plan for it
// (driverplan.go), and what sqlite3 takes to run it on the register's own
// file: the median of several warm
// runs (CPU time), with the virtual machine steps, full-scan steps and sorts that
// sqlite3's .stats reports (counts that do not depend on the machine's
// load). A line is marked when its plan scans the deployments, sorts the
// matching set, or its steps or time are far above the plain list's.
//
//	go run ./bench/qplans -data DIR            # a register made by oversight gen
//	go run ./bench/qplans -data DIR -only 'technology'
//	go run ./bench/qplans -data DIR -facets    # the facets' statements instead
//	go run ./bench/qplans -data DIR -query 'q=police&jurisdiction=BD&cursor=…'
//	                                            # one request's filter, as the API reads it
//
// The register is opened as the server opens it: its tier projection is
// brought up to date first, which for a new register of 100k deployments
// takes minutes.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"oversight/analysis"
	"oversight/frameworks"
	"oversight/internal/params"
	"oversight/ledger"
	"oversight/registry"
	"oversight/store"
)

func main() {
	dir := flag.String("data", "", "data directory of the register (SQLite)")
	runs := flag.Int("runs", 3, "timed runs of each statement, after one to warm up")
	only := flag.String("only", "", "only the cases whose name matches this regular expression")
	timeout := flag.Duration("timeout", 20*time.Second, "give up on a statement after this long")
	bin := flag.String("sqlite3", "sqlite3", "the sqlite3 command")
	showSQL := flag.Bool("sql", false, "print each statement and its arguments")
	query := flag.String("query", "", "only this filter, written as a request's query string (the API's parameters), and its cursor if it has one")
	facets := flag.Bool("facets", false, "measure the statements of each filter's facets (with the whole register's counts as base, as the server keeps them) instead of its pages")
	flag.Parse()
	if *dir == "" {
		log.Fatal("usage: qplans -data DIR [-only RE] [-runs N]")
	}
	var keep *regexp.Regexp
	if *only != "" {
		keep = regexp.MustCompile(*only)
	}
	ctx := context.Background()
	db, cls, err := openRegister(ctx, *dir)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	file := filepath.Join(*dir, "oversight.db")
	var all []filterCase
	if *query != "" {
		c, err := queryCase(*query)
		if err != nil {
			log.Fatal(err)
		}
		all = []filterCase{c}
	} else {
		vals, err := pickValues(ctx, file, cls)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("values: %s\n\n", vals)
		all = cases(vals)
	}
	cli := &sqlite3{bin: *bin, file: file, runs: *runs, timeout: *timeout}
	drv, err := openDriver(file)
	if err != nil {
		log.Fatal(err)
	}
	defer drv.Close()
	if *facets {
		if err := facetLines(ctx, db, cli, drv, all, keep, *showSQL); err != nil {
			log.Fatal(err)
		}
		return
	}
	var base float64
	fmt.Printf("%-58s %-4s %10s %12s %10s %5s  %s\n", "case", "page", "CPU s", "VM steps", "fullscan", "sorts", "plan")
	for _, c := range all {
		if keep != nil && !keep.MatchString(c.name) {
			continue
		}
		f := c.f
		f.Limit = 50
		for page := 1; page <= 2; page++ {
			stmts, err := db.DeploymentsQueries(ctx, f)
			if err != nil {
				log.Fatalf("%s: %v", c.name, err)
			}
			// Every statement the page runs, in one line: the steps and
			// times summed, the plans of those that read rows.
			var r result
			for _, st := range stmts {
				one := withDriverPlan(ctx, drv, cli.run(st.SQL, st.Args), st.SQL, st.Args)
				if st.Page && len(r.plan) > 0 {
					one.plan = append([]string{"THEN"}, one.plan...)
				}
				r.add(one, st.Page)
				if *showSQL {
					fmt.Printf("    %s\n    %v\n", st.SQL, st.Args)
				}
			}
			if c.name == "plain list" && page == 1 {
				base = r.steps
			}
			fmt.Printf("%-58s %-4d %10s %12.0f %10.0f %5.0f  %s%s\n", c.name, page, r.timeText(), r.steps, r.fullscan, r.sorts, strings.Join(r.plan, " | "), flags(r, base, stmts))
			if page == 2 {
				break
			}
			// The cursor of page 1, from the store itself, so that page 2
			// is the one a user would ask for next.
			pctx, cancel := context.WithTimeout(ctx, *timeout)
			p, err := db.Deployments(pctx, f)
			cancel()
			if err != nil {
				fmt.Printf("%-58s %-4d page 1 through the store: %v\n", c.name, 2, err)
				break
			}
			if p.Next == "" {
				break
			}
			f.Cursor = p.Next
		}
	}
}

// facetLines prints, for each case, the statements of its facets in one
// line (as main prints a page's), and the steps of all of them.
func facetLines(ctx context.Context, db *store.DB, cli *sqlite3, drv *sql.DB, cs []filterCase, keep *regexp.Regexp, showSQL bool) error {
	fmt.Printf("%-58s %10s %12s %10s %5s  %s\n", "facets of", "CPU s", "VM steps", "fullscan", "sorts", "plan")
	var total float64
	for _, c := range cs {
		if keep != nil && !keep.MatchString(c.name) {
			continue
		}
		stmts, err := db.FacetsQueries(ctx, c.f)
		if err != nil {
			fmt.Printf("%-58s %v\n", c.name, err)
			continue
		}
		var r result
		for _, st := range stmts {
			r.add(withDriverPlan(ctx, drv, cli.run(st.SQL, st.Args), st.SQL, st.Args), st.Page)
			if showSQL {
				fmt.Printf("    %s\n    %v\n", st.SQL, st.Args)
			}
		}
		total += r.steps
		fmt.Printf("%-58s %10s %12.0f %10.0f %5.0f  %s  (%d statements)\n", c.name, r.timeText(), r.steps, r.fullscan, r.sorts, strings.Join(r.plan, " | "), len(stmts))
	}
	fmt.Printf("VM steps, all of them: %.0f\n", total)
	return nil
}

// listed says whether the store's statement q lists a filter's
// deployments from its index and sorts them (store/plan.go): a sort
// bounded by the store's count, not by the register.
func listed(q string) bool { return strings.Contains(q, "WHERE d.id IN (SELECT") }

// anyListed says whether a page's statements list a filter's deployments.
func anyListed(stmts []store.Statement) bool {
	for _, st := range stmts {
		if st.Page && listed(st.SQL) {
			return true
		}
	}
	return false
}

// flags says what is wrong with a statement's run: a scan of the
// deployments, a sort of what matches (but a list's, marked apart), a
// time-out, or many times the steps of the plain list's page.
func flags(r result, base float64, stmts []store.Statement) string {
	listed := anyListed(stmts)
	var out []string
	for _, line := range r.plan {
		if line == "SCAN d" || line == "SCAN e" || strings.HasPrefix(line, "SCAN d ") || strings.HasPrefix(line, "SCAN e ") {
			out = append(out, "SCAN")
		}
		if strings.Contains(line, "TEMP B-TREE FOR ORDER BY") && !listed {
			out = append(out, "SORT")
		}
	}
	if r.err != "" {
		out = append(out, r.err)
	}
	if base > 0 && r.steps > 100*base {
		out = append(out, fmt.Sprintf("STEPS %.0fx", r.steps/base))
	}
	mark := ""
	if listed {
		mark = "  (listed)"
	}
	if len(stmts) > 1 {
		mark += fmt.Sprintf("  (%d statements)", len(stmts))
	}
	if len(out) == 0 {
		return mark
	}
	return mark + "  <-- " + strings.Join(out, " ")
}

// openRegister opens the register in dir as the server does: with the
// built-in frameworks as its tier projector, and its tier projection
// brought up to date.
func openRegister(ctx context.Context, dir string) (*store.DB, *analysis.Classifier, error) {
	if _, err := os.Stat(filepath.Join(dir, "oversight.db")); err != nil {
		return nil, nil, err
	}
	key, err := ledger.LoadKey(dir, "", ledger.DefaultOrigin)
	if err != nil {
		return nil, nil, err
	}
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "oversight.db"), key)
	if err != nil {
		return nil, nil, err
	}
	fws, err := frameworks.Load()
	if err != nil {
		return nil, nil, err
	}
	// The server's classifier: the built-in frameworks, with the facts
	// the register holds (cli's builtinClassifier). Another (data/'s
	// facts, say) has another TierVersion, and the projection written
	// with it would be written again, whole, by the next server: 8
	// minutes and a WAL of 12.5 GB at 1M.
	cls, err := analysis.NewClassifier(fws, nil)
	if err != nil {
		return nil, nil, err
	}
	ready, err := db.SetTierProjector(ctx, cls)
	if err == nil {
		err = cls.SyncFacts(ctx, db)
	}
	if err == nil && !ready {
		log.Print("projecting tiers (minutes for a large new register)")
		_, err = db.ProjectTiers(ctx)
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, cls, nil
}

// today is the day tier filters are read on, as the API reads them by
// default.
func today() string { return time.Now().UTC().Format(time.DateOnly) }

// A named filter.
// queryCase reads a request's query string into the filter the API would
// run (the tier filter aside, which needs the day's frameworks).
func queryCase(q string) (filterCase, error) {
	v, err := url.ParseQuery(q)
	if err != nil {
		return filterCase{}, fmt.Errorf("-query: %w", err)
	}
	p := params.Read(v, append([]string{"cursor"}, params.Deployment...)...)
	f := p.DeploymentFilter()
	if err := p.Err(); err != nil {
		return filterCase{}, fmt.Errorf("-query: %w", err)
	}
	return filterCase{name: q, f: f}, nil
}

type filterCase struct {
	name string
	f    registry.DeploymentFilter
}
