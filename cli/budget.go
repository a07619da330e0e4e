package cli

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"

	"oversight/internal/budget"
	"oversight/web"
)

// memoryBudget divides the server's memory budget, given by --memory, else
// by the environment (budget.Env), else budget.Default.
func memoryBudget(flagValue string) (budget.Split, error) {
	return budgetOf(flagValue, func(total int64) (budget.Split, error) { return budget.Of(total, web.Readers()) })
}

// writeBudget divides the budget of a command that writes a large batch
// (import, gen) and applies it: the writer's cache in r, Go's share as the
// runtime's soft limit, with the collector left to run near it
// (budget.WritesGCPercent) rather than at twice the live heap. The
// runtime's settings are the process's: restore puts them back, for a
// process (a test) that runs more than the command.
func writeBudget(flagValue string, r *registerFlags) (restore func(), err error) {
	s, err := budgetOf(flagValue, budget.Writes)
	if err != nil {
		return nil, err
	}
	r.mem.WriterCache = s.WriterCache
	limit := debug.SetMemoryLimit(s.Go)
	percent := debug.SetGCPercent(budget.WritesGCPercent)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}, nil
}

// budgetOf reads the budget from flagValue, else the environment, else
// budget.Default, and divides it with split.
func budgetOf(flagValue string, split func(int64) (budget.Split, error)) (budget.Split, error) {
	total := int64(budget.Default)
	v, from := flagValue, "--memory"
	if v == "" {
		v, from = os.Getenv(budget.Env), budget.Env
	}
	if v != "" {
		n, err := budget.Parse(v)
		if err != nil {
			return budget.Split{}, fmt.Errorf("%s: %w", from, err)
		}
		total = n
	}
	s, err := split(total)
	if err != nil {
		return budget.Split{}, fmt.Errorf("%s: %w", from, err)
	}
	return s, nil
}

// writeMemoryFlag defines the --memory flag of a command that writes a
// large batch.
func writeMemoryFlag(fs *flag.FlagSet) *string {
	return fs.String("memory", "", "the resident memory the command should stay within, such as 300MB or 1GB, divided between the writer's cache and Go's heap (default $"+budget.Env+", else 300MB)")
}
