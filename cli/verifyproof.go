package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"oversight/ledger"
	"oversight/registry"
	"oversight/witness"
)

// verifyProofCmd checks a proof bundle offline, with the log's key alone.
func verifyProofCmd(fs *flag.FlagSet) runFunc {
	keyFile := fs.String("key", "", "the log's public key (log.pub's text, as /log/key serves it), kept from a copy you trust: required")
	witnesses, quorum := quorumFlags(fs, "the bundle's checkpoint")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		args, err := afterFirst(fs, args)
		if err != nil {
			return err
		}
		if len(args) != 1 || *keyFile == "" {
			return errors.New("usage: oversight verify-proof FILE --key FILE")
		}
		key, err := ledger.ReadPublicKey(*keyFile)
		if err != nil {
			return err
		}
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, ledger.MaxProofBundle+1))
		if err != nil {
			return err
		}
		p, err := ledger.OpenProofBundle(data, key.Verifier)
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		rev, seq, cp := p.Revision, p.Revision.Seq, p.Checkpoint
		if *quorum > 0 {
			var b struct {
				Checkpoint string `json:"checkpoint"`
			}
			json.Unmarshal(data, &b)
			n, err := witness.Cosigned([]byte(b.Checkpoint), key.Verifier, *witnesses)
			if err != nil {
				return fmt.Errorf("%s: cosignatures: %w", args[0], err)
			}
			if n < *quorum {
				return fmt.Errorf("%s: %d of the witnesses cosigned its checkpoint; the quorum is %d", args[0], n, *quorum)
			}
		}
		fmt.Fprintf(stdout, "verify-proof: OK: revision %d (%s %s %s by %s, %s) is in the log of %d revisions whose checkpoint %s signed (root %s)\n",
			seq, rev.Op, rev.Kind, rev.ID, rev.Author, rev.Time.Format("2006-01-02"), cp.Size, key.ID(), cp.Hash)
		switch red := p.Redaction; {
		case red != nil:
			fmt.Fprintf(stdout, "verify-proof: redacted: its content was removed by revision %d (%s, by %s), in the same log: %s\n",
				red.Seq, red.Time.Format("2006-01-02"), red.Author, red.Reason)
		case rev.Format == registry.Format2:
			fmt.Fprintln(stdout, "verify-proof: its content (state, reason, contributor) hashes with its salt to the commitment in its record")
		}
		return nil
	}
}
