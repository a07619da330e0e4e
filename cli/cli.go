// Package cli implements the oversight command: serve, import, export,
// verify and rebuild. Every command that reads the register takes --data
// and --db and creates and fills the register on first use.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"oversight/export"
	"oversight/ingest"
	"oversight/internal/budget"
	"oversight/internal/ratelimit"
	"oversight/ledger"
	"oversight/registry"
	"oversight/store"
	"oversight/web"
	"oversight/witness"
)

// Main runs the command line and returns the process's exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			usage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "oversight: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	fs := flag.NewFlagSet("oversight "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	run := cmd.setup(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := run(ctx, fs.Args(), stdout, stderr); err != nil {
		var ex exitError
		if errors.As(err, &ex) {
			return int(ex)
		}
		fmt.Fprintf(stderr, "oversight %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// afterFirst parses the flags that follow a command's first argument
// ("oversight monitor URL --key FILE"), which flag stops at, and returns
// the arguments left.
func afterFirst(fs *flag.FlagSet, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	if err := fs.Parse(args[1:]); err != nil {
		return nil, err
	}
	return append(args[:1:1], fs.Args()...), nil
}

// exitError is returned by a command that has already said what is wrong.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

type runFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

type command struct {
	summary string
	setup   func(fs *flag.FlagSet) runFunc
}

var commands = map[string]command{
	"serve":        {"serve the register over HTTP (JSON API)", serveCmd},
	"import":       {"import records from YAML, JSON, CSV or the AIGS index CSV", importCmd},
	"export":       {"write the register as csv, json or geojson", exportCmd},
	"verify":       {"check the log's signature and tree, and the tables against the log", verifyCmd},
	"verify-proof": {"check a record's proof bundle offline, with the log's key alone", verifyProofCmd},
	"monitor":      {"check a register from outside by its address and pinned key: its log, its tiles and its answers", monitorCmd},
	"witness":      {"run a witness (C2SP tlog-witness) that cosigns a log's checkpoints only if consistent", witnessCmd},
	"release":      {"name the log as it is now as a release, or list the releases with what changed in each", releaseCmd},
	"rebuild":      {"recreate the tables from the log", rebuildCmd},
	"retract":      {"retract a record, with a reason; the log keeps its last state", retractCmd},
	"redact":       {"remove a past revision's content from the register, with a reason; the log and its proofs stay valid", redactCmd},
	"merge":        {"merge a record into another of its kind; the old id redirects", mergeCmd},
	"classify":     {"classify a fact document (or a deployment) under every framework, with reasons", classifyCmd},
	"simulate":     {"show what a framework would change, deployment by deployment", simulateCmd},
	"frameworks":   {"list the built-in frameworks, test framework directories, or mutation-test their rules against their golden cases", frameworksCmd},
	"index":        {"compute the governance-gap index, its sensitivity and its series", indexCmd},
	"vendors":      {"vendor network: shares by supplier headquarters, edges, lenders", vendorsCmd},
	"trends":       {"deployments per year by subregion and by technology", trendsCmd},
	"gen":          {"fill a register of its own with synthetic deployments, for load tests", genCmd},
	"user":         {"manage accounts: add (the first admin too), list, disable, link to an organisation, issue tokens", userCmd},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: oversight COMMAND [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nrun 'oversight COMMAND -h' for a command's flags")
}

func serveCmd(fs *flag.FlagSet) runFunc {
	var r registerFlags
	r.register(fs)
	addr := fs.String("addr", ":8080", "address to listen on")
	memory := fs.String("memory", "", "the resident memory the server should stay within, such as 300MB or 1GB, divided among its caches, database connections and Go's heap (default $"+budget.Env+", else 300MB)")
	proxy := fs.Bool("trust-proxy", false, "the server is behind a proxy (TLS, say) that appends each client's address to X-Forwarded-For: rate limits read it there")
	var witnesses []*witness.Client
	fs.Func("witness", "a witness to ask for cosignatures of each new checkpoint, as URL=VKEY (its add-checkpoint prefix and its key); repeatable", func(v string) error {
		u, vkey, ok := strings.Cut(v, "=")
		if !ok {
			return errors.New("want URL=VKEY")
		}
		wv, err := witness.NewVerifier(vkey)
		if err != nil {
			return err
		}
		witnesses = append(witnesses, &witness.Client{URL: u, Verifier: wv, HTTP: &http.Client{Timeout: 10 * time.Second}})
		return nil
	})
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		ratelimit.TrustProxy = *proxy
		mem, err := memoryBudget(*memory)
		if err != nil {
			return err
		}
		r.mem = store.Memory{Conns: mem.Conns, ReaderCache: mem.ReaderCache, WriterCache: mem.WriterCache}
		debug.SetMemoryLimit(mem.Go)
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		stopDebug, err := serveDebug(db.DBStats)
		if err != nil {
			return err
		}
		defer stopDebug()
		var ff frameworkFlags
		c, _, err := ff.classifier()
		if err != nil {
			return err
		}
		tiles := db.Tiles()
		if err := bindTiles(ctx, db); err != nil {
			// Served as before, from memory: stored tiles that may be
			// another log's are never served.
			slog.Error("the log's tiles are not stored", "err", err)
			tiles = nil
		}
		h, err := web.NewWithOptions(db, c, web.Options{ResponseCache: int(mem.ResponseCache), TileCache: int(mem.TileCache), Tiles: tiles})
		if err != nil {
			return err
		}
		srv := web.NewServer(*addr, h)
		errc := make(chan error, 1)
		go func() { errc <- srv.ListenAndServe() }()
		if len(witnesses) > 0 {
			go cosignEach(ctx, db, witnesses)
		}
		go keepUp(ctx, db)
		if tiles != nil {
			go fillTiles(ctx, db)
		}
		fmt.Fprintf(stdout, "oversight: serving the register on %s (data in %s)\n", *addr, r.dir)
		slog.Info(mem.String())
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return srv.Shutdown(shut)
		}
	}
}

// cosignEach asks the witnesses to cosign each new checkpoint of the log,
// checking for one every second, until ctx is done. A witness that refuses
// is logged: that is what a witness is for.
func cosignEach(ctx context.Context, db *store.DB, clients []*witness.Client) {
	var last int64 = -1
	for {
		if size, err := db.Size(ctx); err == nil && size != last && size > 0 {
			if err := witness.Cosign(ctx, db, db.Key().Verifier, clients); err != nil {
				slog.Error("cosigning", "size", size, "err", err)
			}
			last = size
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func importCmd(fs *flag.FlagSet) runFunc {
	var r registerFlags
	r.register(fs)
	format := fs.String("format", "", "input format: "+strings.Join(ingest.Formats, ", ")+" (default: from the file name)")
	author := fs.String("author", "cli", "pseudonymous author recorded in the log")
	reason := fs.String("reason", "", "why the change is made, recorded in the log")
	memory := writeMemoryFlag(fs)
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(args) == 0 {
			return errors.New("name at least one file to import")
		}
		restore, err := writeBudget(*memory, &r)
		if err != nil {
			return err
		}
		defer restore()
		// A file that cannot be read is refused before the register is
		// opened, which would create a new one.
		for _, name := range args {
			if *format == "" {
				if _, err := ingest.FormatOf(name); err != nil {
					return err
				}
			}
			if _, err := os.Stat(name); err != nil {
				return err
			}
		}
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		// The files are read, checked and written as a stream, in one
		// transaction: memory holds a batch of records, whatever the
		// files' size, and a refused record anywhere writes nothing.
		in := ingest.NewReader(args, ingest.Format(*format))
		defer in.Close()
		bar := progressBar(stderr)
		res, err := db.ApplyStream(ctx, in, store.Meta{Author: *author, Reason: *reason}, bar)
		if bar != nil {
			fmt.Fprintln(stderr)
		}
		var checked *store.CheckError
		var bad ingest.ErrorList
		switch {
		case errors.As(err, &checked):
			err = in.Errors(checked.Errs)
			fallthrough
		case errors.As(err, &bad):
			fmt.Fprintln(stderr, err)
			fmt.Fprintln(stderr, "oversight import: nothing was imported")
			return exitError(1)
		case err != nil:
			return fmt.Errorf("%w (nothing was imported)", err)
		}
		fmt.Fprintf(stdout, "imported %d records: %d created, %d updated, %d unchanged; log size %d\n",
			res.Created+res.Updated+res.Unchanged, res.Created, res.Updated, res.Unchanged, res.Size)
		return nil
	}
}

// progressBar reports import progress on a terminal and stays quiet
// otherwise, so logs and pipes get only the summary line.
func progressBar(w io.Writer) store.Progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(done, total int) {
		if total == 0 { // a stream, whose length is known at its end
			fmt.Fprintf(w, "\rimporting: %d records read", done)
			return
		}
		fmt.Fprintf(w, "\rimporting %d/%d records", done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

func exportCmd(fs *flag.FlagSet) runFunc {
	var r registerFlags
	r.register(fs)
	format := fs.String("format", "json", "output format: "+strings.Join(export.Formats, ", "))
	out := fs.String("o", "", "write to this file instead of standard output")
	var ff frameworkFlags
	fs.StringVar(&ff.asOf, "as-of", "", "date of the tiers the export adds, YYYY-MM-DD (default: today)")
	rel := fs.String("release", "", "export the register as of this release (JSON, replayed from the log, without tiers)")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		if *rel != "" {
			return exportRelease(ctx, db, *rel, *format, *out, stdout)
		}
		tiers, err := tierTable(ctx, db, &ff)
		if err != nil {
			return err
		}
		w := stdout
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		return export.Write(ctx, w, db, *format, registry.DeploymentFilter{}, tiers)
	}
}

func verifyCmd(fs *flag.FlagSet) runFunc {
	var r registerFlags
	r.register(fs)
	var saved []string
	fs.Func("checkpoint", "a checkpoint saved earlier from /api/v1/log/checkpoint, which the log must still extend (repeatable)", func(v string) error {
		saved = append(saved, v)
		return nil
	})
	pinned := fs.String("key", "", "a pinned public key (log.pub's text, kept from a trusted copy) to check every checkpoint with, instead of the key in the data directory; nothing is then created or signed")
	tiers := fs.Bool("tiers", false, "also classify every deployment again and compare its tiers with the stored ones (a classification of the whole register)")
	storage := fs.Bool("storage", false, "also check SQLite's file itself, every page and every index against its table (PRAGMA integrity_check): damage by a fault of the disk or an edit of the file's bytes; at 1M revisions it costs more than every other check together")
	logOnly := fs.Bool("log", false, "check the log alone (its revisions and their contents, the tree, the checkpoints and the stored tiles), not the tables, search indexes, counts and schema against it: is the log intact, in a fraction of the time")
	verbose := fs.Bool("v", false, "print each check's wall time and the rows it read")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if *logOnly && (*storage || *tiers) {
			return errors.New("verify: --log checks the log alone; --storage and --tiers check the database against it: give one or the other")
		}
		var db *store.DB
		var err error
		whose := "the data directory's key"
		if *pinned != "" {
			// The key in the data directory is whatever its last writer
			// put there: a register re-signed with a new key passes
			// against it, and fails against a key pinned before.
			key, err := ledger.ReadPublicKey(*pinned)
			if err != nil {
				return err
			}
			db, err = r.openWith(ctx, false, key)
			if err != nil {
				return err
			}
			whose = "the key pinned with --key"
		} else if db, err = r.open(ctx, true); err != nil {
			return err
		}
		defer db.Close()
		var earlier []ledger.Checkpoint
		for _, name := range saved {
			b, err := os.ReadFile(name)
			if err != nil {
				return err
			}
			c, err := ledger.Open(b, db.Key().Verifier)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			earlier = append(earlier, c)
		}
		rep, err := db.VerifyWith(ctx, store.VerifyOptions{Storage: *storage, LogOnly: *logOnly}, earlier...)
		if err != nil {
			return err
		}
		out := stdout
		if !rep.OK() {
			out = stderr
		}
		if *verbose {
			printStages(out, rep.Stages)
		}
		if *tiers {
			n, bad, note, err := db.VerifyTiers(ctx)
			if err != nil {
				return err
			}
			rep.Mismatches = append(rep.Mismatches, bad...)
			if note != "" {
				rep.Notes = append(rep.Notes, note)
			} else {
				rep.Notes = append(rep.Notes, fmt.Sprintf("the stored tiers of %d deployments were compared with a classification of each", n))
			}
		}
		if !rep.OK() {
			for _, m := range rep.Mismatches {
				fmt.Fprintln(stderr, "MISMATCH", m)
			}
			for _, n := range rep.Notes {
				fmt.Fprintln(stderr, "verify: note:", n)
			}
			fmt.Fprintf(stderr, "verify: FAILED: %d mismatches in a log of %d revisions, checked with %s %s\n", len(rep.Mismatches), rep.Size, whose, db.Key().ID())
			return exitError(1)
		}
		matched := "tables, search index and schema match the log"
		if rep.LogOnly {
			matched = "the log alone was checked"
		}
		fmt.Fprintf(stdout, "verify: OK: %d revisions; checkpoints: %d, signed by %s (%s), the latest with root %s; %s; %d redacted\n",
			rep.Size, rep.Checkpoints, db.Key().ID(), whose, rep.Checkpoint.Hash, matched, len(rep.Redactions))
		for _, red := range rep.Redactions {
			fmt.Fprintf(stdout, "verify: redacted: revision %d, by revision %d on %s: %s\n", red.Seq, red.By, red.Time.Format("2006-01-02"), red.Reason)
		}
		fmt.Fprintf(stdout, "verify: %d stored tiles in %s match the log\n", rep.Tiles, db.Tiles().Dir())
		if rep.Storage {
			fmt.Fprintln(stdout, "verify: SQLite's file itself is sound: every page, and every index against its table (PRAGMA integrity_check)")
		}
		for _, n := range rep.Notes {
			fmt.Fprintln(stdout, "verify: note:", n)
		}
		return nil
	}
}

// printStages writes verify's checks as they ran: when each started, its
// wall time and the rows it read. They ran side by side.
func printStages(w io.Writer, stages []store.Stage) {
	for _, st := range stages {
		rows := "-"
		if st.Rows >= 0 {
			rows = strconv.FormatInt(st.Rows, 10)
		}
		fmt.Fprintf(w, "verify: stage: from %7.2f s, %7.2f s wall, %10s rows: %s\n", st.Start.Seconds(), st.Wall.Seconds(), rows, st.Name)
	}
}

func rebuildCmd(fs *flag.FlagSet) runFunc {
	var r registerFlags
	r.register(fs)
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		db, err := r.open(ctx, false)
		if err != nil {
			return err
		}
		defer db.Close()
		n, err := db.Rebuild(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rebuild: %d entities projected from the log\n", n)
		return nil
	}
}
