package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"oversight/analysis"
	"oversight/frameworks"
	"oversight/internal/memo"
	"oversight/registry"
	"oversight/rules"
	"oversight/store"
)

// frameworkFlags select frameworks by built-in id or by the path of a
// framework directory a user wrote.
type frameworkFlags struct {
	names []string
	asOf  string
}

func (f *frameworkFlags) register(fs *flag.FlagSet, what string) {
	fs.Func("framework", what+": a built-in framework id or the path of a framework directory (repeatable)", func(v string) error {
		f.names = append(f.names, v)
		return nil
	})
	fs.StringVar(&f.asOf, "as-of", "", "date the law is read at, YYYY-MM-DD (default: today)")
}

func (f *frameworkFlags) date() (time.Time, error) {
	if f.asOf == "" {
		return memo.Day(time.Now()), nil
	}
	t, err := time.Parse(time.DateOnly, f.asOf)
	if err != nil {
		return t, fmt.Errorf("--as-of %q: want a date YYYY-MM-DD", f.asOf)
	}
	return t, nil
}

// load reads the date, loads the built-in frameworks and fact documents
// and any framework directories named, and returns the classifier over the
// built-in ones and the selection asked for (all built-in ones when none is
// named).
func (f *frameworkFlags) load() (time.Time, *analysis.Classifier, []*rules.Framework, error) {
	asOf, err := f.date()
	if err != nil {
		return asOf, nil, nil, err
	}
	c, sel, err := f.classifier()
	return asOf, c, sel, err
}

// builtinClassifier is the classifier of the built-in frameworks, made
// once a process. It reads the fact documents of the register the process
// opens (registerFlags.open binds it), not the files in data/: the
// register's are logged.
var builtinClassifier = sync.OnceValues(func() (*analysis.Classifier, error) {
	builtin, err := frameworks.Load()
	if err != nil {
		return nil, fmt.Errorf("built-in frameworks: %w", err)
	}
	return analysis.NewClassifier(builtin, nil)
})

func (f *frameworkFlags) classifier() (*analysis.Classifier, []*rules.Framework, error) {
	c, err := builtinClassifier()
	if err != nil {
		return nil, nil, err
	}
	builtin := c.Frameworks()
	var sel []*rules.Framework
	for _, name := range f.names {
		if isDir(name) {
			fw, err := rules.Load(os.DirFS(name), ".")
			if err != nil {
				return nil, nil, errors.New(prefixLines(name, err.Error()))
			}
			sel = append(sel, fw)
			continue
		}
		fws, err := c.Select([]string{name})
		if err != nil {
			return nil, nil, fmt.Errorf("--framework: %w, or the path of a framework directory", err)
		}
		sel = append(sel, fws...)
	}
	if len(sel) == 0 {
		sel = builtin
	}
	return c, sel, nil
}

func isDir(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.IsDir() && (strings.ContainsRune(name, filepath.Separator) || strings.HasPrefix(name, "."))
}

func classifyCmd(fs *flag.FlagSet) runFunc {
	var ff frameworkFlags
	ff.register(fs, "classify under this framework")
	var r registerFlags
	r.register(fs)
	deployment := fs.String("deployment", "", "classify this deployment of the register instead of a fact document")
	all := fs.Bool("all", false, "classify every deployment of the register and print the count per framework and tier")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		asOf, c, sel, err := ff.load()
		if err != nil {
			return err
		}
		var out analysis.Classification
		if *all {
			db, err := r.open(ctx, true)
			if err != nil {
				return err
			}
			defer db.Close()
			return classifyAll(ctx, db, c, sel, asOf, stdout)
		}
		if *deployment != "" {
			if len(args) > 0 {
				return errors.New("give either --deployment or a fact document, not both")
			}
			db, err := r.open(ctx, true)
			if err != nil {
				return err
			}
			defer db.Close()
			e, err := db.Get(ctx, "deployment", *deployment)
			if err != nil {
				return fmt.Errorf("deployment %q: %w", *deployment, err)
			}
			out = c.Deployment(e.(*registry.Deployment), sel, asOf)
		} else {
			name, in := "standard input", io.Reader(os.Stdin)
			switch len(args) {
			case 0:
			case 1:
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				name, in = args[0], f
			default:
				return errors.New("classify reads one fact document")
			}
			// Read no more than a fact document may hold: standard input
			// can be endless.
			b, err := io.ReadAll(io.LimitReader(in, rules.MaxFactBytes+1))
			if err != nil {
				return err
			}
			if len(b) > rules.MaxFactBytes {
				fmt.Fprintf(stderr, "%s: more than %d bytes; a fact document may have at most %d\n", name, rules.MaxFactBytes, rules.MaxFactBytes)
				return exitError(1)
			}
			schema, err := rules.FactSchema()
			if err != nil {
				return err
			}
			facts, err := schema.ParseFacts(name, b)
			if err != nil {
				fmt.Fprintln(stderr, err)
				fmt.Fprintf(stderr, "oversight classify: %s is not a valid %s document\n", name, rules.SchemaID)
				return exitError(1)
			}
			out = analysis.Classify(facts, sel, asOf)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
}

func simulateCmd(fs *flag.FlagSet) runFunc {
	var ff frameworkFlags
	ff.register(fs, "the framework to simulate")
	var r registerFlags
	r.register(fs)
	var juris []string
	fs.Func("jurisdiction", "only deployments in this jurisdiction, ISO alpha-2 (repeatable)", func(v string) error {
		juris = append(juris, strings.ToUpper(v))
		return nil
	})
	format := fs.String("format", "text", "output: text or json")
	limit := fs.Int("limit", analysis.ListMax, "how many deployments to list, from 1 to 1000; the counts cover all of them")
	cursor := fs.String("cursor", "", "list the deployments after this cursor, the next of the output before")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(ff.names) != 1 {
			return errors.New("name exactly one --framework to simulate")
		}
		if *format != "text" && *format != "json" {
			return fmt.Errorf("--format %q: allowed: text, json", *format)
		}
		if *limit < 1 || *limit > registry.MaxLimit {
			return fmt.Errorf("--limit %d: allowed: 1 to %d", *limit, registry.MaxLimit)
		}
		asOf, c, sel, err := ff.load()
		if err != nil {
			return err
		}
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		known := db.Known(ctx)
		for _, j := range juris {
			if !known("jurisdiction", j) {
				return fmt.Errorf("--jurisdiction %q: not a jurisdiction of the register", j)
			}
		}
		sc, err := analysis.Simulate(ctx, db, c, sel[0], juris, asOf, analysis.ItemPage{Cursor: *cursor, Limit: *limit})
		if err != nil {
			return err
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(sc)
		}
		writeScenario(stdout, sc)
		return nil
	}
}

func writeScenario(w io.Writer, sc *analysis.Scenario) {
	fmt.Fprintf(w, "Scenario: %s (%s), as of %s\n", sc.Title, sc.Framework, sc.AsOf)
	fmt.Fprintf(w, "%d deployments: %d change tier (%d stricter, %d looser), %d undecided on the known facts; %d where no law of the register binds, so nothing to be stricter than; %d where a binding law is not encoded, so whether it is stricter cannot be said.\n",
		sc.Deployments, sc.Changed, sc.Stricter, sc.Looser, sc.Undecided, sc.NoLaw, sc.NotEncoded)
	fmt.Fprintf(w, "People covered by the deployments that change: %d where reported; %d of them report no figure.\n\n", sc.PeopleCovered, sc.PeopleUnknown)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "JURISDICTION\tCURRENT LAW\tDEPLOYMENTS\tSTRICTER\tLOOSER\tUNDECIDED\tNO LAW\tNOT ENCODED")
	for _, j := range sc.ByJurisdiction {
		laws := slices.Clone(j.CurrentLaw)
		for _, id := range j.UnencodedLaw {
			laws = append(laws, id+" (not encoded)")
		}
		law := strings.Join(laws, ", ")
		if law == "" {
			law = "(none in the register)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", j.Code, law, j.Deployments, j.Stricter, j.Looser, j.Undecided, j.NoLaw, j.NotEncoded)
	}
	tw.Flush()
	if len(sc.Drivers) > 0 {
		fmt.Fprintln(w, "\nRules that drive the changes:")
		for _, d := range sc.Drivers {
			fmt.Fprintf(w, "  %-28s %-34s %d deployments  %s\n", d.Rule, d.Citation, d.Deployments, d.Title)
		}
	}
	if len(sc.Items) < sc.ItemsTotal {
		fmt.Fprintf(w, "\nDeployments, %d of %d in id order", len(sc.Items), sc.ItemsTotal)
		if sc.Next != "" {
			fmt.Fprintf(w, " (--cursor %s for the next)", sc.Next)
		}
		fmt.Fprintln(w, ":")
	} else {
		fmt.Fprintln(w, "\nDeployments:")
	}
	tw = tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "DEPLOYMENT\tCURRENT\tPROPOSED\tCHANGE\tRULES")
	for _, it := range sc.Items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.Deployment, it.Current, it.Proposed, it.Change, strings.Join(it.Rules, " "))
	}
	tw.Flush()
}

func frameworksCmd(fs *flag.FlagSet) runFunc {
	var mf mutateFlags
	mf.register(fs)
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(args) > 0 && args[0] == "test" {
			return testFrameworks(args[1:], stdout, stderr)
		}
		if len(args) > 0 && args[0] == "mutate" {
			args, err := afterFirst(fs, args)
			if err != nil {
				return err
			}
			return mutateFrameworks(args[1:], &mf, stdout, stderr)
		}
		if len(args) > 0 {
			return fmt.Errorf("unknown argument %q (usage: oversight frameworks [test DIR... | mutate [--min SHARE] [--json] [-v] [ID|DIR...]])", args[0])
		}
		fws, err := frameworks.Load()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tBINDS\tRULES\tTITLE")
		for _, fw := range fws {
			binds := strings.Join(fw.Binds, " ")
			if len(fw.Binds) > 6 {
				binds = fmt.Sprintf("%s … (%d)", strings.Join(fw.Binds[:3], " "), len(fw.Binds))
			}
			nrules := fmt.Sprint(len(fw.Rules))
			if !fw.Encoded() {
				nrules = "not encoded"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", fw.ID, fw.Kind, fw.Status, binds, nrules, fw.ShortTitle)
		}
		return tw.Flush()
	}
}

// testFrameworks runs the golden cases of framework directories.
func testFrameworks(dirs []string, stdout, stderr io.Writer) error {
	if len(dirs) == 0 {
		return errors.New("name the framework directories to test")
	}
	failed := false
	for _, dir := range dirs {
		fw, err := rules.Load(os.DirFS(dir), ".")
		if err != nil {
			fmt.Fprintln(stderr, prefixLines(dir, err.Error()))
			failed = true
			continue
		}
		if !fw.Encoded() {
			// Loading checked what such a file must hold: reasons, sources, no rules or tests.
			fmt.Fprintf(stdout, "ok\t%s: not encoded (%s), nothing to test\n", fw.ID, strings.Join(fw.NotEncoded.Reasons, ", "))
			continue
		}
		rep, err := fw.Test(os.DirFS(dir))
		if err != nil {
			fmt.Fprintln(stderr, prefixLines(dir, err.Error()))
			failed = true
			continue
		}
		for _, f := range rep.Failures {
			fmt.Fprintln(stderr, prefixLines(dir, f))
		}
		for _, id := range rep.Untested {
			fmt.Fprintf(stderr, "%s: rule %s: no golden case fires it\n", dir, id)
		}
		ok := len(rep.Failures) == 0 && len(rep.Untested) == 0 && rep.Cases > 0
		failed = failed || !ok
		verdict := "ok"
		if !ok {
			verdict = "FAIL"
		}
		fmt.Fprintf(stdout, "%s\t%s: %d rules, %d cases, %d failures\n", verdict, fw.ID, len(fw.Rules), rep.Cases, len(rep.Failures))
	}
	if failed {
		return exitError(1)
	}
	return nil
}

func prefixLines(dir, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = filepath.Join(dir, l)
	}
	return strings.Join(lines, "\n")
}

// tierTable is the register's tier table for exports.
func tierTable(ctx context.Context, db *store.DB, ff *frameworkFlags) (*analysis.Table, error) {
	asOf, c, _, err := ff.load()
	if err != nil {
		return nil, err
	}
	return c.Table(asOf), nil
}

// classifyAll classifies every deployment and prints, per framework, how
// many fall in each tier, with the time it took.
func classifyAll(ctx context.Context, db *store.DB, c *analysis.Classifier, sel []*rules.Framework, asOf time.Time, w io.Writer) error {
	counts := map[string]map[rules.Tier]int{}
	n := 0
	start := time.Now()
	err := c.EachClassification(ctx, db, registry.DeploymentFilter{}, sel, asOf, func(cl analysis.Classification) error {
		for _, r := range cl.Results {
			if counts[r.Framework] == nil {
				counts[r.Framework] = map[rules.Tier]int{}
			}
			counts[r.Framework][r.Tier]++
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	took := time.Since(start)
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprint(tw, "FRAMEWORK")
	for _, t := range rules.AllTiers {
		fmt.Fprintf(tw, "\t%s", strings.ToUpper(strings.ReplaceAll(string(t), "_", " ")))
	}
	fmt.Fprintln(tw)
	for _, fw := range sel {
		fmt.Fprint(tw, fw.ID)
		if !fw.Encoded() { // a framework directory named on the command line
			fmt.Fprintln(tw, "\tnot encoded: it gives no tier")
			continue
		}
		for _, t := range rules.AllTiers {
			fmt.Fprintf(tw, "\t%d", counts[fw.ID][t])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintf(w, "classified %d deployments under %d frameworks in %.2f s (%.0f pairs/s, reading the register included)\n",
		n, len(sel), took.Seconds(), float64(n*len(sel))/took.Seconds())
	return nil
}
