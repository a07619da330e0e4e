package witness

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"oversight/ledger"
)

// A Client asks one witness to cosign a log's checkpoints, remembering the
// size the witness last cosigned.
type Client struct {
	URL      string // the witness's submission prefix
	Verifier *Verifier
	HTTP     *http.Client
	known    int64
}

// A Log is what a log gives its witnesses, and where it keeps what they
// return.
type Log interface {
	Checkpoint(ctx context.Context) ([]byte, ledger.Checkpoint, error)
	ConsistencyProof(ctx context.Context, n, t int64) (tlog.TreeProof, error)
	AddCosignature(ctx context.Context, size int64, witness, line string) error
}

// Cosign asks each witness to cosign the log's latest checkpoint and keeps
// each cosignature it returns. A witness that refuses (because the
// checkpoint is not consistent with the one it cosigned last, say) is an
// error naming it; the others are asked all the same.
func Cosign(ctx context.Context, log Log, logVerifier note.Verifier, clients []*Client) error {
	signed, cp, err := log.Checkpoint(ctx)
	if err != nil {
		return err
	}
	var errs []string
	for _, c := range clients {
		line, err := c.add(ctx, log, logVerifier, signed, cp.Size)
		if err == nil {
			err = log.AddCosignature(ctx, cp.Size, c.Verifier.Name(), line)
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("witness %s: %v", c.Verifier.Name(), err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// add sends add-checkpoint, learning the witness's size from a 409 once.
func (c *Client) add(ctx context.Context, log Log, logVerifier note.Verifier, signed []byte, size int64) (string, error) {
	for try := 0; try < 2; try++ {
		if c.known > size {
			return "", fmt.Errorf("it cosigned a log of %d, larger than this one of %d", c.known, size)
		}
		var body bytes.Buffer
		fmt.Fprintf(&body, "old %d\n", c.known)
		if c.known > 0 && c.known < size {
			proof, err := log.ConsistencyProof(ctx, c.known, size)
			if err != nil {
				return "", err
			}
			for _, h := range proof {
				body.WriteString(base64.StdEncoding.EncodeToString(h[:]) + "\n")
			}
		}
		body.WriteString("\n")
		body.Write(signed)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.URL, "/")+"/add-checkpoint", &body)
		if err != nil {
			return "", err
		}
		hc := c.HTTP
		if hc == nil {
			hc = http.DefaultClient
		}
		resp, err := hc.Do(req)
		if err != nil {
			return "", err
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			line := string(b)
			n, err := Cosigned(append(append([]byte(nil), signed...), b...), logVerifier, []*Verifier{c.Verifier})
			if err != nil || n != 1 {
				return "", fmt.Errorf("its answer is not its cosignature of the checkpoint")
			}
			c.known = size
			return line, nil
		case http.StatusConflict:
			n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
			if err != nil || n < 0 {
				return "", fmt.Errorf("409 without a size")
			}
			c.known = n
		default:
			return "", fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
		}
	}
	return "", fmt.Errorf("it did not settle on a size")
}
