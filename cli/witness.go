package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"golang.org/x/mod/sumdb/note"

	"oversight/ledger"
	"oversight/witness"
)

// witnessCmd runs a witness (C2SP tlog-witness): `oversight witness serve`.
func witnessCmd(fs *flag.FlagSet) runFunc {
	dir := fs.String("dir", "", "the witness's directory: its key (witness.key, made on first use, with witness.vkey to give to logs and readers) and its state: required")
	name := fs.String("name", "", "the witness's name, such as witness.example/w1: required on first use")
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	var logs []note.Verifier
	fs.Func("log", "a log to witness: the file of its public key (log.pub); repeatable", func(v string) error {
		k, err := ledger.ReadPublicKey(v)
		if err != nil {
			return err
		}
		logs = append(logs, k.Verifier)
		return nil
	})
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		args, err := afterFirst(fs, args)
		if err != nil {
			return err
		}
		if len(args) != 1 || args[0] != "serve" || *dir == "" || len(logs) == 0 {
			return errors.New("usage: oversight witness serve --dir DIR [--name NAME] --log LOG.PUB... [--addr HOST:PORT]")
		}
		c, err := witness.LoadOrCreateCosigner(*dir, *name)
		if err != nil {
			return err
		}
		w, err := witness.New(c, logs, filepath.Join(*dir, "state.json"), time.Now)
		if err != nil {
			return err
		}
		srv := &http.Server{Addr: *addr, Handler: w, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
		errc := make(chan error, 1)
		go func() { errc <- srv.ListenAndServe() }()
		fmt.Fprintf(stdout, "oversight witness %s: cosigning on %s; its key: %s\n", c.Name(), *addr, c.VerifierKey())
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return srv.Shutdown(shut)
		}
	}
}
