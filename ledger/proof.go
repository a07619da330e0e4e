package ledger

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// A proof bundle is a record with what proves it is in the log, to keep
// and check offline: the canonical record, the hashes of its inclusion
// proof, and the signed checkpoint of the tree they lead to
// (GET /api/v1/proofs/{kind}/{id}, or /api/v1/log/revisions/{seq}).
type proofBundle struct {
	Record     string   `json:"record"`
	TreeSize   int64    `json:"tree_size"`
	Checkpoint string   `json:"checkpoint"`
	Proof      []string `json:"proof"`
}

// MaxProofBundle bounds a proof bundle read from a file: a record is at
// most 64 KB in the log's tiles, and a proof 64 hashes.
const MaxProofBundle = 1 << 20

// CheckProofBundle checks a proof bundle with the log's key alone: that
// its checkpoint is signed by v, and that its record is at its position in
// the tree the checkpoint signs. It returns the record, its position and
// the checkpoint.
func CheckProofBundle(data []byte, v note.Verifier) (record []byte, seq int64, cp Checkpoint, err error) {
	if len(data) > MaxProofBundle {
		return nil, 0, cp, fmt.Errorf("a proof bundle is at most %d bytes; this is %d", MaxProofBundle, len(data))
	}
	var b proofBundle
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, 0, cp, fmt.Errorf("not a proof bundle: %w", err)
	}
	cp, err = Open([]byte(b.Checkpoint), v)
	if err != nil {
		return nil, 0, cp, fmt.Errorf("checkpoint: %w", err)
	}
	if cp.Size != b.TreeSize {
		return nil, 0, cp, fmt.Errorf("the bundle says a tree of %d, its checkpoint signs %d", b.TreeSize, cp.Size)
	}
	var pos struct {
		Seq *int64 `json:"seq"`
	}
	if err := json.Unmarshal([]byte(b.Record), &pos); err != nil || pos.Seq == nil {
		return nil, 0, cp, fmt.Errorf("the record is not a revision of the log")
	}
	if *pos.Seq < 0 || *pos.Seq >= cp.Size {
		return nil, 0, cp, fmt.Errorf("revision %d is not in a tree of %d", *pos.Seq, cp.Size)
	}
	if len(b.Proof) > 64 {
		return nil, 0, cp, fmt.Errorf("a proof of %d hashes", len(b.Proof))
	}
	proof := make(tlog.RecordProof, len(b.Proof))
	for i, h := range b.Proof {
		raw, err := base64.StdEncoding.DecodeString(h)
		if err != nil || len(raw) != tlog.HashSize {
			return nil, 0, cp, fmt.Errorf("proof hash %d is not a base64 hash", i)
		}
		proof[i] = tlog.Hash(raw)
	}
	rec := []byte(b.Record)
	if err := tlog.CheckRecord(proof, cp.Size, cp.Hash, *pos.Seq, tlog.RecordHash(rec)); err != nil {
		return nil, 0, cp, fmt.Errorf("revision %d is not in the tree the checkpoint signs: %w", *pos.Seq, err)
	}
	return rec, *pos.Seq, cp, nil
}
