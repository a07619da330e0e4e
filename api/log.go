package api

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"

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
	ctx := r.Context()
	rev, rec, err := rd.Revision(ctx, seq)
	if err != nil {
		return err
	}
	signed, cp, err := rd.Checkpoint(ctx)
	if err != nil {
		return err
	}
	proof, err := rd.InclusionProof(ctx, seq, cp.Size)
	if err != nil {
		return err
	}
	hashes := make([]string, len(proof))
	for i, h := range proof {
		hashes[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	leaf := tlog.RecordHash(rec)
	return sendJSON(w, r, map[string]any{
		"revision":   rev,
		"record":     string(rec),
		"leaf_hash":  base64.StdEncoding.EncodeToString(leaf[:]),
		"tree_size":  cp.Size,
		"checkpoint": string(signed),
		"proof":      hashes,
	})
}
