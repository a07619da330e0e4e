package witness

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"oversight/ledger"
)

// maxRequest bounds an add-checkpoint request: a size line, 63 proof hashes
// and a checkpoint with its signatures.
const maxRequest = 64 << 10

// A Witness answers add-checkpoint for the logs it trusts, keeping for
// each the latest checkpoint it cosigned, in a state file.
type Witness struct {
	cosigner *Cosigner
	logs     map[string]note.Verifier // by origin
	file     string
	now      func() time.Time

	mu     sync.Mutex // checking and recording a log's latest is one step
	latest map[string]seen
}

type seen struct {
	Size int64     `json:"size"`
	Hash tlog.Hash `json:"hash"`
}

// New makes a witness that cosigns as c the checkpoints of logs (their
// verifiers, by origin), keeping its state in file.
func New(c *Cosigner, logs []note.Verifier, file string, now func() time.Time) (*Witness, error) {
	w := &Witness{cosigner: c, logs: map[string]note.Verifier{}, file: file, now: now, latest: map[string]seen{}}
	for _, v := range logs {
		w.logs[v.Name()] = v
	}
	b, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &w.latest); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	return w, nil
}

// ServeHTTP serves POST <prefix>/add-checkpoint.
func (w *Witness) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/add-checkpoint") {
		http.NotFound(rw, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest+1))
	if err != nil || len(body) > maxRequest {
		http.Error(rw, "the request is not an add-checkpoint request of at most 64 KB", http.StatusBadRequest)
		return
	}
	line, status, msg := w.add(body)
	switch status {
	case http.StatusOK:
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(rw, line)
	case http.StatusConflict:
		rw.Header().Set("Content-Type", "text/x.tlog.size")
		rw.WriteHeader(status)
		io.WriteString(rw, msg)
	default:
		http.Error(rw, msg, status)
	}
}

// add checks a request and cosigns its checkpoint, or says why not, with
// the status tlog-witness gives each refusal.
func (w *Witness) add(body []byte) (line string, status int, msg string) {
	old, proof, signed, err := parseRequest(body)
	if err != nil {
		return "", http.StatusBadRequest, err.Error()
	}
	origin, _, _ := strings.Cut(string(signed), "\n")
	v, ok := w.logs[origin]
	if !ok {
		return "", http.StatusNotFound, "this witness does not know the log " + origin
	}
	cp, err := ledger.Open(signed, v)
	if err != nil {
		return "", http.StatusForbidden, err.Error()
	}
	if old > cp.Size {
		return "", http.StatusBadRequest, fmt.Sprintf("old size %d is beyond the checkpoint's %d", old, cp.Size)
	}
	if cp.Size == 0 && cp.Hash != emptyRoot {
		return "", http.StatusUnprocessableEntity, "a checkpoint of size 0 has the empty tree's root"
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	last := w.latest[origin]
	if old != last.Size {
		return "", http.StatusConflict, strconv.FormatInt(last.Size, 10) + "\n"
	}
	switch {
	case old == 0 && len(proof) > 0:
		return "", http.StatusUnprocessableEntity, "a proof from size 0"
	case old == cp.Size && cp.Hash != last.Hash:
		return "", http.StatusUnprocessableEntity, fmt.Sprintf("a different tree of the same size %d: the log forked", old)
	case old > 0 && old < cp.Size:
		if err := tlog.CheckTree(proof, cp.Size, cp.Hash, old, last.Hash); err != nil {
			return "", http.StatusUnprocessableEntity, fmt.Sprintf("the checkpoint of %d is not consistent with the one of %d this witness cosigned: %v", cp.Size, old, err)
		}
	}
	next := map[string]seen{}
	for k, s := range w.latest {
		next[k] = s
	}
	next[origin] = seen{Size: cp.Size, Hash: cp.Hash}
	if err := save(w.file, next); err != nil {
		return "", http.StatusInternalServerError, "the witness could not keep its state"
	}
	w.latest = next
	text := signed[:bytes.Index(signed, []byte("\n\n"))+1]
	return w.cosigner.Cosign(text, w.now()), http.StatusOK, ""
}

// emptyRoot is the root of the empty tree: the hash of the empty string.
var emptyRoot = tlog.Hash(sha256.Sum256(nil))

// parseRequest reads "old N\n", proof lines, an empty line and a signed
// checkpoint.
func parseRequest(body []byte) (old int64, proof tlog.TreeProof, signed []byte, err error) {
	sc := bufio.NewReader(bytes.NewReader(body))
	first, err := sc.ReadString('\n')
	if err != nil {
		return 0, nil, nil, errors.New("no old size line")
	}
	n, ok := strings.CutPrefix(strings.TrimSuffix(first, "\n"), "old ")
	if !ok || n == "" || len(n) > 1 && n[0] == '0' {
		return 0, nil, nil, errors.New("the first line is not old <size>")
	}
	if old, err = strconv.ParseInt(n, 10, 64); err != nil || old < 0 {
		return 0, nil, nil, errors.New("the old size is not a size")
	}
	for {
		l, err := sc.ReadString('\n')
		if err != nil {
			return 0, nil, nil, errors.New("no empty line before the checkpoint")
		}
		if l == "\n" {
			break
		}
		if len(proof) == 63 {
			return 0, nil, nil, errors.New("more than 63 proof lines")
		}
		h, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(l, "\n"))
		if err != nil || len(h) != tlog.HashSize {
			return 0, nil, nil, errors.New("a proof line is not a base64 hash")
		}
		proof = append(proof, tlog.Hash(h))
	}
	rest, _ := io.ReadAll(sc)
	return old, proof, rest, nil
}

func save(file string, latest map[string]seen) error {
	b, err := json.Marshal(latest)
	if err != nil {
		return err
	}
	tmp := file + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil { // cosigned only once kept: no rollback after a crash
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
