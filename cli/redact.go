package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// redactCmd removes the content of one revision (its state, reason and
// contributor) from the register, logging the redaction as a revision of
// its own; the leaf, the tree and every proof stay as they were.
func redactCmd(fs *flag.FlagSet) runFunc {
	r, meta := changeFlags(fs, "why the content is removed (a court order, a contributor's request), recorded in the log and served with the redaction (required)")
	n := fs.Int64("revision", -1, "the number (seq) of the revision whose content to remove (required)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: oversight redact --revision N --reason TEXT [flags]\n\n"+
			"The revision must not be its record's current state: update or retract the record first.\n\nflags:\n")
		fs.PrintDefaults()
	}
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(args) != 0 || *n < 0 {
			fs.Usage()
			if *n < 0 {
				return errors.New("--revision is required: the number of a revision, from 0")
			}
			return exitError(2)
		}
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		red, err := db.Redact(ctx, *n, meta())
		if err != nil {
			return err
		}
		size, err := db.Size(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "redacted the content of revision %d by revision %d; log size %d\n", red.Seq, red.By, size)
		return nil
	}
}
