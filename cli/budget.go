package cli

import (
	"fmt"
	"os"

	"oversight/internal/budget"
	"oversight/web"
)

// memoryBudget divides the server's memory budget, given by --memory, else
// by the environment (budget.Env), else budget.Default.
func memoryBudget(flagValue string) (budget.Split, error) {
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
	s, err := budget.Of(total, web.Readers())
	if err != nil {
		return budget.Split{}, fmt.Errorf("%s: %w", from, err)
	}
	return s, nil
}
