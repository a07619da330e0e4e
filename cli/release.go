package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"oversight/export"
	"oversight/registry"
	"oversight/release"
	"oversight/store"
)

// releaseCmd names the log as it is now, or lists the releases.
func releaseCmd(fs *flag.FlagSet) runFunc {
	var r registerFlags
	r.register(fs)
	notes := fs.String("notes", "", "what the release says of itself")
	list := fs.Bool("list", false, "list the releases, newest first, with what changed in each")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		args, err := afterFirst(fs, args)
		if err != nil {
			return err
		}
		if *list == (len(args) == 1) || len(args) > 1 {
			return errors.New("usage: oversight release TAG [--notes TEXT] [--data DIR], or oversight release --list")
		}
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		if !*list {
			rel, err := db.AddRelease(ctx, args[0], *notes, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "release %s: the register at log size %d\n", rel.Tag, rel.Size)
			return nil
		}
		sn, rels, err := releases(ctx, db)
		if err != nil {
			return err
		}
		defer sn.Close()
		for _, rel := range rels {
			cl, err := Changelog(ctx, sn, rels, rel)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s\t%s\tlog size %d\t%d added, %d changed, %d retracted, %d merged\n", rel.Tag, rel.Created.Format("2006-01-02"), rel.Size,
				cl.Counts[release.Added], cl.Counts[release.Changed], cl.Counts[release.Retracted], cl.Counts[release.Merged])
		}
		return nil
	}
}

// releases opens a snapshot and reads its releases; the caller closes it.
func releases(ctx context.Context, db *store.DB) (*store.Snapshot, []release.Release, error) {
	sn, err := db.Snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	rels, err := sn.Releases(ctx)
	if err != nil {
		sn.Close()
		return nil, nil, err
	}
	return sn, rels, nil
}

// Changelog builds a release's changelog, from the release before it.
func Changelog(ctx context.Context, sn *store.Snapshot, rels []release.Release, rel release.Release) (*release.Changelog, error) {
	cl := release.NewChangelog(release.Previous(rels, rel.Size), rel.Size)
	err := sn.EachRevision(ctx, cl.From, cl.To, func(r *registry.Revision) error { cl.Add(r); return nil })
	return cl, err
}

// exportRelease writes the register as of a release.
func exportRelease(ctx context.Context, db *store.DB, tag, format, out string, stdout io.Writer) error {
	if format != "json" {
		return fmt.Errorf("--release exports json only, not %s", format)
	}
	sn, rels, err := releases(ctx, db)
	if err != nil {
		return err
	}
	defer sn.Close()
	for _, rel := range rels {
		if rel.Tag != tag {
			continue
		}
		w := stdout
		if out != "" {
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		return export.WriteAsOf(ctx, w, sn, rel.Size)
	}
	return fmt.Errorf("no release %s (oversight release --list)", tag)
}
