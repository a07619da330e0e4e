package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"oversight/ledger"
	"oversight/monitor"
	"oversight/witness"
)

// monitorCmd checks a register from outside, by its address and a pinned
// key: once, or every --interval until interrupted. An alarm is printed
// with what it found, and the exit status is 3.
func monitorCmd(fs *flag.FlagSet) runFunc {
	keyFile := fs.String("key", "", "the log's public key (log.pub's text, as /log/key serves it), kept from a copy you trust: required")
	stateDir := fs.String("state", "", "directory for the last checkpoint seen and the mirror of the register: required")
	sample := fs.Int("sample", 20, "deployments whose API answers are compared with the log each run, at random; -1 for all")
	interval := fs.Duration("interval", 0, "run again at this interval until interrupted (default: once)")
	witnesses, quorum := quorumFlags(fs, "the checkpoint")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		args, err := afterFirst(fs, args)
		if err != nil {
			return err
		}
		if len(args) != 1 || *keyFile == "" || *stateDir == "" {
			return errors.New("usage: oversight monitor URL --key FILE --state DIR [--sample N] [--interval D]")
		}
		key, err := ledger.ReadPublicKey(*keyFile)
		if err != nil {
			return err
		}
		for {
			rep, err := monitor.Run(ctx, monitor.Config{URL: args[0], Verifier: key.Verifier, StateDir: *stateDir, Sample: *sample, Witnesses: *witnesses, Quorum: *quorum})
			var alarm *monitor.Alarm
			switch {
			case errors.As(err, &alarm):
				fmt.Fprintf(stderr, "oversight monitor: ALARM: %v\n", alarm)
				return exitError(3)
			case err != nil:
				return err
			}
			fmt.Fprintf(stdout, "%s: log size %d (was %d): %d new entries in the signed tree and replayed; %d API answers agree with the log\n",
				time.Now().UTC().Format(time.RFC3339), rep.To, rep.From, rep.Entries, rep.Compared)
			if *interval <= 0 {
				return nil
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(*interval):
			}
		}
	}
}

// quorumFlags adds --witness (repeatable) and --quorum: how many of those
// witnesses must have cosigned what.
func quorumFlags(fs *flag.FlagSet, what string) (*[]*witness.Verifier, *int) {
	var witnesses []*witness.Verifier
	fs.Func("witness", "a witness's key (its witness.vkey) whose cosignature of "+what+" counts toward --quorum; repeatable", func(v string) error {
		wv, err := witness.NewVerifier(v)
		if err == nil {
			witnesses = append(witnesses, wv)
		}
		return err
	})
	return &witnesses, fs.Int("quorum", 0, "how many of the --witness keys must have cosigned "+what)
}
