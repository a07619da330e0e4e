package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"oversight/frameworks"
	"oversight/rules"
)

// mutateFlags are the flags of "oversight frameworks mutate".
type mutateFlags struct {
	min     *float64
	asJSON  *bool
	verbose *bool
}

func (m *mutateFlags) register(fs interface {
	Float64(string, float64, string) *float64
	Bool(string, bool, string) *bool
}) {
	m.min = fs.Float64("min", 0, "mutate: exit 1 if a framework's mutation score is below this share (0 to 1)")
	m.asJSON = fs.Bool("json", false, "mutate: print every mutant as JSON")
	m.verbose = fs.Bool("v", false, "mutate: list the killed mutants too, with the case that killed each")
}

// mutateFrameworks runs the mutation test on built-in frameworks (all, or
// those named by id) or on framework directories, and prints per framework
// the mutants, how many the golden cases killed, the score, and every
// survivor by rule, site and change.
func mutateFrameworks(names []string, mf *mutateFlags, stdout, stderr io.Writer) error {
	type target struct {
		fw   *rules.Framework
		fsys fs.FS
	}
	var targets []target
	builtin, err := frameworks.Load()
	if err != nil {
		return fmt.Errorf("built-in frameworks: %w", err)
	}
	byID := map[string]*rules.Framework{}
	for _, fw := range builtin {
		byID[fw.ID] = fw
	}
	if len(names) == 0 {
		for _, fw := range builtin {
			if fw.Encoded() { // a law not encoded has no rules to mutate
				targets = append(targets, target{fw, frameworks.FS()})
			}
		}
	}
	for _, n := range names {
		if fw, ok := byID[n]; ok {
			targets = append(targets, target{fw, frameworks.FS()})
			continue
		}
		if st, err := os.Stat(filepath.Join(n, "framework.yaml")); err != nil || st.IsDir() {
			return fmt.Errorf("%q is neither a built-in framework id nor a framework directory (oversight frameworks lists the ids)", n)
		}
		fw, err := rules.Load(os.DirFS(n), ".")
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		targets = append(targets, target{fw, os.DirFS(n)})
	}
	start := time.Now()
	var reps []*rules.MutationReport
	for _, t := range targets {
		rep, err := t.fw.Mutate(t.fsys)
		if err != nil {
			return err
		}
		reps = append(reps, rep)
	}
	took := time.Since(start)
	if *mf.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reps); err != nil {
			return err
		}
	} else {
		printMutation(stdout, reps, *mf.verbose, took)
	}
	below := false
	for _, rep := range reps {
		if rep.Score() < *mf.min {
			fmt.Fprintf(stderr, "%s: mutation score %.1f%% is below %.1f%%\n", rep.Framework, 100*rep.Score(), 100**mf.min)
			below = true
		}
	}
	if below {
		return exitError(1)
	}
	return nil
}

func printMutation(w io.Writer, reps []*rules.MutationReport, verbose bool, took time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "FRAMEWORK\tCASES\tMUTANTS\tKILLED\tSURVIVED\tSCORE\t")
	mutants, killed := 0, 0
	for _, rep := range reps {
		v, k := rep.Valid(), rep.Killed()
		mutants, killed = mutants+v, killed+k
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.1f%%\t\n", rep.Framework, rep.Cases, v, k, v-k, 100*rep.Score())
	}
	score := 100.0
	if mutants > 0 {
		score = 100 * float64(killed) / float64(mutants)
	}
	fmt.Fprintf(tw, "all\t\t%d\t%d\t%d\t%.1f%%\t\n", mutants, killed, mutants-killed, score)
	tw.Flush()
	fmt.Fprintf(w, "%d frameworks, %d mutants in %.2f s\n", len(reps), mutants, took.Seconds())
	for _, rep := range reps {
		list := rep.Survivors()
		title := "survivors"
		if verbose {
			list, title = rep.Mutants, "mutants"
		}
		if len(list) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s %s:\n", rep.Framework, title)
		for _, m := range list {
			at := m.At
			if at == "" {
				at = m.Expr
			}
			status := "survived"
			switch {
			case m.Invalid != "":
				status = "invalid: " + m.Invalid
			case m.Killed:
				status = "killed by " + m.By
			}
			note := ""
			if m.Note != "" {
				note = " (" + m.Note + ")"
			}
			if verbose {
				fmt.Fprintf(w, "  %s %s: %s: %s (%s)%s\n", m.Rule, m.Site, m.Op, at, status, note)
			} else {
				fmt.Fprintf(w, "  %s %s: %s: %s%s\n", m.Rule, m.Site, m.Op, at, note)
			}
		}
	}
}
