package api

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/internal/params"
	"oversight/registry"
)

func (s *server) checkpoint(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	signed, _, err := rd.Checkpoint(r.Context())
	if err != nil {
		return err
	}
	send(w, r, "text/plain; charset=utf-8", signed)
	return nil
}

// revision answers with one revision, its canonical record, and the proof
// that the record is in the tree the latest signed checkpoint commits to.
func (s *server) revision(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil || seq < 0 {
		return registry.InvalidField("path.seq", "must be a whole number from 0")
	}
	p, err := proveRevision(r.Context(), rd, seq)
	if err != nil {
		return err
	}
	return sendJSON(w, r, p)
}

// proof answers with the proof bundle of a record's latest revision: all
// that `oversight verify-proof` needs, with the log's key, to check that
// the record is in the signed log, offline.
func (s *server) proof(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	kind, id := r.PathValue("kind"), r.PathValue("id")
	if !registry.Kinds.Has(kind) {
		return registry.InvalidField("path.kind", fmt.Sprintf("%q is not a kind of record", registry.Clip(kind)), registry.Kinds.Values...)
	}
	revs, err := rd.History(r.Context(), kind, id)
	if err != nil {
		return err
	}
	if len(revs) == 0 {
		return registry.NotFound(kind + " " + id)
	}
	p, err := proveRevision(r.Context(), rd, revs[len(revs)-1].Seq)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.proof.json"`, kind, id))
	return sendJSON(w, r, p)
}

// A ProofBundle is a revision with what proves it is in the log: the
// canonical record, its inclusion proof, and the signed checkpoint of the
// tree the proof leads to. A format-2 record (registry.Format2) commits to
// its content, which Salt and Content carry, the bytes hashed; once
// redacted, Redacted says by which revision and why, and Redaction is that
// revision's own bundle in the same tree (without checkpoint), so that
// `oversight verify-proof` checks the redaction too (ledger.OpenProofBundle).
type ProofBundle struct {
	Revision   *registry.Revision  `json:"revision"`
	Record     string              `json:"record"`
	Salt       []byte              `json:"salt,omitempty"`
	Content    []byte              `json:"content,omitempty"`
	Redacted   *registry.Redaction `json:"redacted,omitempty"`
	LeafHash   string              `json:"leaf_hash"`
	TreeSize   int64               `json:"tree_size"`
	Checkpoint string              `json:"checkpoint,omitempty"`
	Proof      []string            `json:"proof"`
	Redaction  *ProofBundle        `json:"redaction,omitempty"`
}

func proveRevision(ctx context.Context, rd Reader, seq int64) (*ProofBundle, error) {
	signed, cp, err := rd.Checkpoint(ctx)
	if err != nil {
		return nil, err
	}
	// With the witnesses' cosignatures, so that the bundle is checked
	// offline against a quorum of them too.
	cosigs, err := rd.Cosignatures(ctx, cp.Size)
	if err != nil {
		return nil, err
	}
	for _, l := range cosigs {
		signed = append(signed[:len(signed):len(signed)], l...)
	}
	b, err := proveIn(ctx, rd, seq, cp.Size)
	if err != nil {
		return nil, err
	}
	b.Checkpoint = string(signed)
	if b.Redacted != nil {
		if b.Redaction, err = proveIn(ctx, rd, b.Redacted.By, cp.Size); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// proveIn is the bundle of revision seq in the tree of size, without the
// checkpoint.
func proveIn(ctx context.Context, rd Reader, seq, size int64) (*ProofBundle, error) {
	rev, rec, err := rd.Revision(ctx, seq)
	if err != nil {
		return nil, err
	}
	if seq >= size {
		return nil, registry.NotFound(fmt.Sprintf("revision %d: the latest checkpoint covers %d", seq, size))
	}
	b := &ProofBundle{Revision: rev, Record: string(rec), TreeSize: size}
	salt, content, err := rd.Content(ctx, seq)
	var red *registry.RedactedError
	switch {
	case errors.As(err, &red):
		b.Redacted = &red.Redaction
	case err != nil:
		return nil, err
	default:
		b.Salt, b.Content = salt, content
	}
	proof, err := rd.InclusionProof(ctx, seq, size)
	if err != nil {
		return nil, err
	}
	b.Proof = make([]string, len(proof))
	for i, h := range proof {
		b.Proof[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	leaf := tlog.RecordHash(rec)
	b.LeafHash = base64.StdEncoding.EncodeToString(leaf[:])
	return b, nil
}

// consistency proves that the log at one size is a prefix of the log at a
// later one (RFC 6962 consistency proof, checked by tlog.CheckTree): that
// nothing written before was changed or taken away. to defaults to the
// latest signed checkpoint, which the answer then carries.
func (s *server) consistency(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), "from", "to")
	from, to := p.Size("from"), p.Size("to")
	if err := p.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	signed, cp, err := rd.Checkpoint(ctx)
	if err != nil {
		return err
	}
	if to == 0 {
		to = cp.Size
	}
	switch {
	case from < 1:
		return registry.InvalidField("query.from", "is required: a log size from 1")
	case to > cp.Size:
		return registry.InvalidField("query.to", fmt.Sprintf("%d is beyond the log's %d revisions", to, cp.Size))
	case from > to:
		return registry.InvalidField("query.from", fmt.Sprintf("%d is after to, %d", from, to))
	}
	proof, err := rd.ConsistencyProof(ctx, from, to)
	if err != nil {
		return err
	}
	hashes := make([]string, len(proof))
	for i, h := range proof {
		hashes[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	out := map[string]any{"from": from, "to": to, "proof": hashes}
	if to == cp.Size {
		out["checkpoint"] = string(signed)
	}
	return sendJSON(w, r, out)
}
