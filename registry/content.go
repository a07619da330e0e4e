package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Record format 2: a leaf that commits to a salted hash of the content.
//
// A revision's content is what a court or a contributor may need removed
// from the public record: its Reason, its Contributor and its State. The
// rest stays in the clear, because a reader needs it to check the log's
// order and to replay it: Seq, Kind, ID, Op, Author (a pseudonym), Into,
// Redacts and Time.
//
// The leaf, the bytes tlog.RecordHash hashes, is the JSON encoding of the
// revision without its content and with Format 2 and Commitment, its
// fields in this order, absent ones left out, no space, strings escaped as
// Go's encoding/json escapes them:
//
//	{"format":2,"seq":7,"kind":"deployment","id":"x","op":"update","author":"a",
//	 "into":"y","redacts":5,"time":"2026-12-05T20:00:00Z","commitment":"<64 hex>"}
//
// ("into" only on a merge, "redacts" only on a redact). The content is
// the JSON object of the content fields that are not empty, in this order:
//
//	{"reason":"...","contributor":"...","state":{...}}
//
// with the state as the record's canonical JSON (Canonical), byte for byte,
// and "{}" when all three are empty. The commitment is the lowercase hex
// SHA-256 of a salt of 32 random bytes followed by the content's bytes:
//
//	commitment = hex(SHA-256(salt ‖ content))
//
// The salt makes the commitment reveal nothing of the content: without it,
// anyone could confirm a guess (a name, a reason) by hashing it. The
// register keeps the salt and the content beside the log and serves them
// (GET /log/content/{seq}); redaction deletes both and leaves the leaf,
// and with it the tree and every proof, as they were.
//
// A format-1 record is the revision's JSON whole, content included, with
// no "format", "redacts" or "commitment" field: registers written before
// format 2 hold such records, and keep them (docs/log-format.md).
const Format2 = 2

// SaltSize is the length of a content's salt, in bytes.
const SaltSize = 32

// Content returns the canonical bytes of a revision's content.
func (r *Revision) Content() ([]byte, error) {
	// Sized for the usual content, whose strings need no escape: verify
	// builds every revision's again, and growing it was most of that.
	b := make([]byte, 0, len(r.Reason)+len(r.Contributor)+len(r.State)+40)
	b = append(b, '{')
	field := func(name string, v []byte) {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
		b = append(b, v...)
	}
	for _, f := range [...]struct{ name, v string }{{"reason", r.Reason}, {"contributor", r.Contributor}} {
		if f.v == "" {
			continue
		}
		s, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		field(f.name, s)
	}
	if len(r.State) > 0 {
		field("state", r.State)
	}
	return append(b, '}'), nil
}

// Commit returns the commitment to content under salt.
func Commit(salt, content []byte) string {
	h := sha256.New()
	h.Write(salt)
	h.Write(content)
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// Seal makes r a format-2 revision whose content is committed to under
// salt, and returns its leaf and its content's bytes. r's state must be
// Canonical's output: Seal copies it as it is.
func (r *Revision) Seal(salt []byte) (leaf, content []byte, err error) {
	if len(salt) != SaltSize {
		return nil, nil, fmt.Errorf("a salt is %d bytes, not %d", SaltSize, len(salt))
	}
	if content, err = r.Content(); err != nil {
		return nil, nil, err
	}
	r.Format, r.Commitment = Format2, Commit(salt, content)
	if leaf, err = r.Leaf(); err != nil {
		return nil, nil, err
	}
	return leaf, content, nil
}

// Leaf returns the format-2 record of r: r without its content.
func (r *Revision) Leaf() ([]byte, error) {
	head := *r
	head.Format, head.Reason, head.Contributor, head.State = Format2, "", "", nil
	return json.Marshal(&head)
}

// A CommitmentError says that the content given for a revision is not the
// content its leaf commits to.
type CommitmentError struct {
	Seq int64
	Msg string
}

func (e *CommitmentError) Error() string {
	return fmt.Sprintf("revision %d: %s", e.Seq, e.Msg)
}

// OpenRecord reads a revision from its record, checking that it is of
// format 1 or 2 as content.go lays them out, and, for a format-2 record,
// the salt and content stored beside it, which must be what its commitment
// commits to and in canonical form; otherwise the error is a
// *CommitmentError. A format-2 record given neither salt nor content comes
// back with Redacted set. A format-1 record holds its content and takes
// neither.
func OpenRecord(rec, salt, content []byte) (*Revision, error) {
	r, err := ParseRecord(rec)
	if err != nil {
		return nil, err
	}
	if err := r.checkFormat(); err != nil {
		return nil, err
	}
	if r.Format != Format2 {
		if salt != nil || content != nil {
			return nil, &CommitmentError{r.Seq, "a format-1 record holds its content; none is stored beside it"}
		}
		return r, nil
	}
	if salt == nil && content == nil {
		r.Redacted = true
		return r, nil
	}
	if err := r.Open(salt, content); err != nil {
		return nil, err
	}
	return r, nil
}

// Open fills r's content from salt and content, checking them against r's
// commitment.
func (r *Revision) Open(salt, content []byte) error {
	if len(salt) != SaltSize {
		return &CommitmentError{r.Seq, fmt.Sprintf("its salt is %d bytes, not %d", len(salt), SaltSize)}
	}
	if len(content) > MaxContent {
		return &CommitmentError{r.Seq, fmt.Sprintf("its content is %d bytes; at most %d", len(content), MaxContent)}
	}
	if Commit(salt, content) != r.Commitment {
		return &CommitmentError{r.Seq, "its content and salt do not hash to the commitment its leaf holds"}
	}
	c, ok := parseContent(content)
	if !ok {
		d := json.NewDecoder(bytes.NewReader(content))
		d.DisallowUnknownFields()
		if err := d.Decode(&c); err != nil {
			return &CommitmentError{r.Seq, "its content is not a content object: " + err.Error()}
		}
		if d.More() {
			return &CommitmentError{r.Seq, "its content has bytes after the object"}
		}
	}
	if string(c.State) == "null" {
		return &CommitmentError{r.Seq, "its content's state is null"}
	}
	r.Reason, r.Contributor, r.State = c.Reason, c.Contributor, c.State
	if again, err := r.Content(); err != nil || !bytes.Equal(again, content) {
		r.Reason, r.Contributor, r.State = "", "", nil
		return &CommitmentError{r.Seq, "its content is not in canonical form"}
	}
	return nil
}

// content is a revision's content, decoded.
type content struct {
	Reason      string          `json:"reason"`
	Contributor string          `json:"contributor"`
	State       json.RawMessage `json:"state"`
}

// parseContent reads content in the form Content writes it, with strings
// free of escapes, field by field, checking only that the state is JSON
// rather than decoding it: verify reads every content of the log. Any
// other form is left to the full decoder (ok false); Open then checks
// that the bytes are canonical either way.
func parseContent(b []byte) (c content, ok bool) {
	p := recordParser{b: b}
	n := 0
	field := func(name string) bool {
		key := `"` + name + `":`
		if n > 0 {
			key = "," + key
		}
		if !p.lit(key) {
			return false
		}
		n++
		return true
	}
	if !p.lit("{") {
		return c, false
	}
	if field("reason") && !p.str(&c.Reason) || field("contributor") && !p.str(&c.Contributor) {
		return c, false
	}
	if field("state") {
		if len(p.b) < 2 || p.b[len(p.b)-1] != '}' || !isValue(p.b[:len(p.b)-1]) {
			return c, false
		}
		c.State = json.RawMessage(bytes.Clone(p.b[:len(p.b)-1]))
		p.b = p.b[len(p.b)-1:]
	}
	return c, p.lit("}") && len(p.b) == 0
}

// MaxContent bounds a revision's content read back: no record the
// register accepts comes near it.
const MaxContent = 4 << 20

// checkFormat checks the fields that tell one format from the other.
func (r *Revision) checkFormat() error {
	switch r.Format {
	case 0:
		if r.Commitment != "" || r.Redacts != nil || r.Op == "redact" {
			return errors.New("record: commitment, redacts and op redact belong to format 2")
		}
	case Format2:
		if len(r.Commitment) != 2*sha256.Size || !isLowerHex(r.Commitment) {
			return errors.New("record: a format-2 commitment is 64 lowercase hex digits")
		}
		if r.Reason != "" || r.Contributor != "" || r.State != nil {
			return errors.New("record: a format-2 record holds no reason, contributor or state")
		}
		if (r.Op == "redact") != (r.Redacts != nil) {
			return errors.New("record: a redact names the revision it redacts, and only a redact does")
		}
		if r.Redacts != nil && (*r.Redacts < 0 || *r.Redacts >= r.Seq) {
			return fmt.Errorf("record: revision %d cannot redact revision %d, which is not before it", r.Seq, *r.Redacts)
		}
	default:
		return fmt.Errorf("record: format %d is not 2", r.Format)
	}
	return nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// A Redaction is a revision whose content a later revision, op "redact",
// removed.
type Redaction struct {
	Seq    int64     `json:"seq"`    // the revision redacted
	By     int64     `json:"by"`     // the redaction
	Reason string    `json:"reason"` // the redaction's reason
	Time   time.Time `json:"time"`   // the redaction's time
}

// A RedactedError says that a revision's content was redacted, by which
// revision and why.
type RedactedError struct{ Redaction }

func (e *RedactedError) Error() string {
	return fmt.Sprintf("the content of revision %d was redacted by revision %d on %s: %s", e.Seq, e.By, e.Time.Format("2006-01-02"), e.Reason)
}
