package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"oversight/data"
	"oversight/registry"
	"oversight/store"
	"oversight/synth"
)

func genCmd(fs *flag.FlagSet) runFunc {
	var r registerFlags
	r.register(fs)
	n := fs.Int("deployments", 1000, "how many synthetic deployments to add")
	seed := fs.Uint64("seed", 1, "seed: the same seed gives the same records")
	batch := fs.Int("batch", 10000, "deployments per transaction")
	memory := writeMemoryFlag(fs)
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if *n < 1 || *batch < 1 {
			return errors.New("--deployments and --batch must be at least 1")
		}
		restore, err := writeBudget(*memory, &r)
		if err != nil {
			return err
		}
		defer restore()
		base, err := data.Load()
		if err != nil {
			return err
		}
		db, err := r.open(ctx, false) // never the built-in register: synthetic data stays apart
		if err != nil {
			return err
		}
		defer db.Close()
		// Refuse a register that holds real deployments.
		real, err := db.AnyWithout(ctx, "deployment", synth.Prefix)
		if err != nil {
			return err
		}
		if real != "" {
			return fmt.Errorf("the register in %s holds real deployments (%s, ...): synthetic data goes into a register of its own", r.dir, real)
		}
		have, err := db.Count(ctx, "deployment")
		if err != nil {
			return err
		}
		meta := store.Meta{Author: "oversight-gen", Reason: "synthetic register for load tests"}
		if _, err := db.Apply(ctx, synth.Reference(base), meta, nil); err != nil {
			return err
		}
		start := time.Now()
		for from := have; from < have+*n; from += *batch {
			to := min(from+*batch, have+*n)
			if _, err := db.Apply(ctx, &registry.Set{Deployments: synth.Batch(base, *seed, from, to)}, meta, nil); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "\rgen: %d/%d deployments", to-have, *n)
		}
		took := time.Since(start)
		fmt.Fprintf(stderr, "\n")
		fmt.Fprintf(stdout, "gen: added %d synthetic deployments in %.1f s (%.0f/s); the register holds %d\n",
			*n, took.Seconds(), float64(*n)/took.Seconds(), have+*n)
		return nil
	}
}
