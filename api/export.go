package api

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"oversight/export"
	"oversight/internal/params"
	"oversight/ledger"
	"oversight/registry"
)

// export streams the deployments a filter selects, in a format, straight
// to the client: memory stays flat however large the file. Its ETag cannot
// be a hash of bytes not yet written, so it is derived from what the bytes
// are a function of (see exportETag). The file is read from the request's
// snapshot, so it is the register at the state the ETag names, whatever is
// written while it streams.
func (s *server) export(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	_, cp, err := rd.Checkpoint(ctx)
	if err != nil && !errors.Is(err, registry.ErrNotFound) { // not found: an empty log
		return err
	}
	p := params.Read(r.URL.Query(), append(params.Deployment, "tier", "as_of", "format")...)
	f, asOf := s.deploymentQuery(p)
	format := p.Get("format")
	ctype := map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json", "geojson": "application/geo+json", "table": "text/csv; charset=utf-8"}[format]
	if ctype == "" {
		p.Badf("format", export.Formats, "%q is not an export format", format)
	}
	if err := s.narrow(ctx, rd, p, &f); err != nil {
		return err
	}
	etag := exportETag(cp, r, asOf)
	// Answered before any deployment is read or classified.
	if match := r.Header.Get("If-None-Match"); match != "" && EtagMatches(match, etag) {
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	tiers := s.Classifier.Table(asOf)
	sw := &streamWriter{w: w, header: func(h http.Header) {
		h.Set("ETag", etag)
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Type", ctype)
		name := "oversight-deployments." + format
		if format == "table" {
			name = "oversight-deployments-table.csv" // a CSV for spreadsheets
		}
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	}}
	if r.Method == http.MethodHead {
		sw.header(w.Header())
		return nil
	}
	if err := export.Write(ctx, sw, rd, format, f, tiers); err != nil {
		if !sw.started {
			return err
		}
		// A 200 has been sent. Ending the response normally would leave
		// the client a short file that looks whole; dropping the
		// connection makes it a truncated transfer.
		if ctx.Err() == nil {
			slog.Error("export failed mid-stream", "path", r.URL.RequestURI(), "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	return nil
}

// exportETag derives a strong ETag for an export from everything its bytes
// depend on: the program (its code, and the frameworks and curated facts
// compiled into it, which the classifier is built from), the log's size and
// root hash, the query and the date tiers are read at. The root makes it
// change if the database is replaced by another with a log of the same
// size. The query is re-encoded in key order, so the order parameters are
// given in does not matter.
func exportETag(cp ledger.Checkpoint, r *http.Request, asOf time.Time) string {
	h := sha256.New()
	fmt.Fprintf(h, "%x\n%d\n%x\n%s\n%s\n", buildID(), cp.Size, cp.Hash, asOf.Format(time.DateOnly), r.URL.Query().Encode())
	sum := h.Sum(nil)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// buildID identifies the running program, so that a new release, which may
// write different bytes for the same register, does not answer 304 to a
// file the old one wrote. It hashes the executable once; /proc/self/exe is
// the running image even if the file was replaced since. If the executable
// cannot be read, a random value makes export ETags last one process.
var buildID = sync.OnceValue(func() []byte {
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		var path string
		if path, err = os.Executable(); err == nil {
			f, err = os.Open(path)
		}
	}
	if err == nil {
		defer f.Close()
		h := sha256.New()
		if _, err = io.Copy(h, f); err == nil {
			return h.Sum(nil)
		}
	}
	slog.Warn("export ETags will not outlast this process", "err", err)
	return []byte(rand.Text())
})

// streamWriter sets the response's headers on the first write, so that an
// error before any byte is written can still be answered with a problem
// response that carries no ETag or Content-Disposition.
type streamWriter struct {
	w       http.ResponseWriter
	header  func(http.Header)
	started bool // the status and headers are sent
}

func (s *streamWriter) Write(b []byte) (int, error) {
	if !s.started {
		s.started = true
		s.header(s.w.Header())
	}
	// A file takes as long as it takes to write; a client that stops
	// reading is still cut after writeGrace without progress.
	http.NewResponseController(s.w).SetWriteDeadline(time.Now().Add(writeGrace))
	return s.w.Write(b)
}

// writeGrace is how long one write of an export may wait for the client.
const writeGrace = 60 * time.Second
