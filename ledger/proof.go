package ledger

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"oversight/registry"
)

// A proof bundle is a record with what proves it is in the log, to keep
// and check offline: the canonical record, the hashes of its inclusion
// proof, and the signed checkpoint of the tree they lead to
// (GET /api/v1/proofs/{kind}/{id}, or /api/v1/log/revisions/{seq}).
//
// A format-2 record (registry.Format2) commits to its content, which the
// bundle carries as salt and content (base64); once the content is
// redacted, the bundle carries instead the redaction: the redacting
// revision's record, salt, content and inclusion proof in the same tree.
type proofBundle struct {
	Record     string       `json:"record"`
	Salt       []byte       `json:"salt,omitempty"`
	Content    []byte       `json:"content,omitempty"`
	TreeSize   int64        `json:"tree_size"`
	Checkpoint string       `json:"checkpoint"`
	Proof      []string     `json:"proof"`
	Redaction  *proofBundle `json:"redaction,omitempty"`
}

// MaxProofBundle bounds a proof bundle read from a file: a record is at
// most 64 KB in the log's tiles, a proof 64 hashes, and the content of a
// format-2 record, which a bundle carries twice (as the revision and as
// the committed bytes, base64), is a record of the register.
const MaxProofBundle = 8 << 20

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
	rec, seq, err := b.check(cp)
	return rec, seq, cp, err
}

// check checks that b's record is in the tree cp signs, at the position
// the record says.
func (b *proofBundle) check(cp Checkpoint) (record []byte, seq int64, err error) {
	var pos struct {
		Seq *int64 `json:"seq"`
	}
	if err := json.Unmarshal([]byte(b.Record), &pos); err != nil || pos.Seq == nil {
		return nil, 0, fmt.Errorf("the record is not a revision of the log")
	}
	if *pos.Seq < 0 || *pos.Seq >= cp.Size {
		return nil, 0, fmt.Errorf("revision %d is not in a tree of %d", *pos.Seq, cp.Size)
	}
	if len(b.Proof) > 64 {
		return nil, 0, fmt.Errorf("a proof of %d hashes", len(b.Proof))
	}
	proof := make(tlog.RecordProof, len(b.Proof))
	for i, h := range b.Proof {
		raw, err := base64.StdEncoding.DecodeString(h)
		if err != nil || len(raw) != tlog.HashSize {
			return nil, 0, fmt.Errorf("proof hash %d is not a base64 hash", i)
		}
		proof[i] = tlog.Hash(raw)
	}
	rec := []byte(b.Record)
	if err := tlog.CheckRecord(proof, cp.Size, cp.Hash, *pos.Seq, tlog.RecordHash(rec)); err != nil {
		return nil, 0, fmt.Errorf("revision %d is not in the tree the checkpoint signs: %w", *pos.Seq, err)
	}
	return rec, *pos.Seq, nil
}

// A Proven is what a proof bundle proves: a revision in the log whose
// checkpoint is given, with its content checked against the commitment of
// its leaf; or, for a redacted revision, the redaction, proven in the
// same tree.
type Proven struct {
	Revision   *registry.Revision // Redacted when its content was redacted
	Record     []byte             // the leaf's bytes
	Checkpoint Checkpoint
	Redaction  *registry.Revision // the revision that redacted it, with its reason
}

// OpenProofBundle checks a proof bundle as CheckProofBundle does, and the
// content it carries against its record's commitment: the content of a
// format-2 revision, or, when it was redacted, the redacting revision,
// which must be in the same tree and name it.
func OpenProofBundle(data []byte, v note.Verifier) (*Proven, error) {
	rec, seq, cp, err := CheckProofBundle(data, v)
	if err != nil {
		return nil, err
	}
	var b proofBundle
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, err
	}
	rev, err := registry.OpenRecord(rec, b.Salt, b.Content)
	if err != nil {
		return nil, err
	}
	p := &Proven{Revision: rev, Record: rec, Checkpoint: cp}
	if !rev.Redacted {
		if b.Redaction != nil {
			return nil, fmt.Errorf("revision %d: the bundle carries both its content and a redaction of it", seq)
		}
		return p, nil
	}
	r := b.Redaction
	if r == nil {
		return nil, fmt.Errorf("revision %d: the bundle carries neither its content nor the redaction that removed it", seq)
	}
	if r.Redaction != nil {
		return nil, fmt.Errorf("revision %d: a redaction's bundle carries a redaction of its own", seq)
	}
	rrec, rseq, err := r.check(cp)
	if err != nil {
		return nil, fmt.Errorf("the redaction of revision %d: %w", seq, err)
	}
	red, err := registry.OpenRecord(rrec, r.Salt, r.Content)
	if err != nil {
		return nil, fmt.Errorf("the redaction of revision %d: %w", seq, err)
	}
	if red.Op != "redact" || red.Redacts == nil || *red.Redacts != seq || red.Kind != rev.Kind || red.ID != rev.ID || red.Redacted {
		return nil, fmt.Errorf("revision %d: revision %d of the bundle is not its redaction", seq, rseq)
	}
	p.Redaction = red
	return p, nil
}
