package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"oversight/registry"
	"oversight/store"
)

// retractCmd retracts a record: the log keeps its last state and a
// tombstone with the reason; lists, counts, search and exports leave it
// out, and its page says it was retracted.
func retractCmd(fs *flag.FlagSet) runFunc {
	usage := fmt.Sprintf("usage: oversight retract --reason TEXT [flags] KIND ID\n\nKIND is one of %s.", strings.Join(registry.Kinds.Values, ", "))
	return changeCmd(fs, "why the record is retracted, recorded in the log and shown on its page (required)", usage, 2,
		func(ctx context.Context, db *store.DB, args []string, meta store.Meta, stdout io.Writer) error {
			res, err := db.Retract(ctx, args[0], args[1], meta)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "retracted %s %s at revision %d; log size %d\n", args[0], args[1], res.Tombstone.Seq, res.Size)
			return nil
		})
}

// mergeCmd merges one record into another of the same kind: the records
// citing the old one are updated to cite the new one, and the old id is
// retracted with a redirect.
func mergeCmd(fs *flag.FlagSet) runFunc {
	usage := fmt.Sprintf("usage: oversight merge --reason TEXT [flags] KIND OLD_ID INTO_ID\n\nKIND is one of %s.", strings.Join(store.Mergeable, ", "))
	return changeCmd(fs, "why the records are merged, recorded in the log (required)", usage, 3,
		func(ctx context.Context, db *store.DB, args []string, meta store.Meta, stdout io.Writer) error {
			res, err := db.Merge(ctx, args[0], args[1], args[2], meta)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "merged %s %s into %s at revision %d; %d records moved to cite %s", args[0], args[1], args[2], res.Tombstone.Seq, len(res.Moved), args[2])
			for i, m := range res.Moved {
				if i == 0 {
					fmt.Fprint(stdout, ":")
				}
				fmt.Fprintf(stdout, " %s/%s", m.Kind, m.ID)
			}
			fmt.Fprintf(stdout, "; log size %d\n", res.Size)
			return nil
		})
}

// changeCmd is a command that changes the register by hand with nargs
// arguments (changeFlags): usage is its usage's text before the flags, and
// do its change, given the register opened for writing and what the log
// records of it.
func changeCmd(fs *flag.FlagSet, reasonUsage, usage string, nargs int, do func(ctx context.Context, db *store.DB, args []string, meta store.Meta, stdout io.Writer) error) runFunc {
	r, meta := changeFlags(fs, reasonUsage)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage+"\n\nflags:\n")
		fs.PrintDefaults()
	}
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(args) != nargs {
			fs.Usage()
			return exitError(2)
		}
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		return do(ctx, db, args, meta(), stdout)
	}
}

// changeFlags registers the flags of a command that changes the register
// by hand: the register's, --reason (its usage says what the reason is
// for) and --author. meta returns what was given, for the log.
func changeFlags(fs *flag.FlagSet, reasonUsage string) (r *registerFlags, meta func() store.Meta) {
	r = &registerFlags{}
	r.register(fs)
	reason := fs.String("reason", "", reasonUsage)
	author := fs.String("author", "cli", "pseudonymous author recorded in the log")
	return r, func() store.Meta { return store.Meta{Author: *author, Reason: *reason} }
}
