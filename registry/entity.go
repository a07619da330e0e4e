package registry

import (
	"encoding/json"
	"fmt"
	"time"
)

// An Entity is a record the log keeps revisions of.
type Entity interface {
	Kind() string // one of Kinds
	Key() string  // the id, unique within its kind
	Validate() error
}

func (*Jurisdiction) Kind() string { return "jurisdiction" }
func (*Vendor) Kind() string       { return "vendor" }
func (*Instrument) Kind() string   { return "instrument" }
func (*Deployment) Kind() string   { return "deployment" }
func (*Claim) Kind() string        { return "claim" }

func (j *Jurisdiction) Key() string { return j.Code }
func (v *Vendor) Key() string       { return v.ID }
func (i *Instrument) Key() string   { return i.ID }
func (d *Deployment) Key() string   { return d.ID }
func (c *Claim) Key() string        { return c.ID }

// New returns an empty entity of the given kind, or nil for an unknown kind.
func New(kind string) Entity {
	switch kind {
	case "jurisdiction":
		return new(Jurisdiction)
	case "vendor":
		return new(Vendor)
	case "instrument":
		return new(Instrument)
	case "deployment":
		return new(Deployment)
	case "claim":
		return new(Claim)
	case "reply":
		return new(Reply)
	case "facts":
		return new(FactDoc)
	}
	return nil
}

// Decode parses an entity's canonical JSON state.
func Decode(kind string, state []byte) (Entity, error) {
	e := New(kind)
	if e == nil {
		return nil, &FieldError{Path: "kind", Msg: "unknown kind " + kind, Allowed: Kinds.Values}
	}
	if err := json.Unmarshal(state, e); err != nil {
		return nil, err
	}
	return e, nil
}

// Canonical returns the entity's canonical JSON: the encoding of its Go
// struct, whose field order is fixed, so equal records give equal bytes.
func Canonical(e Entity) ([]byte, error) { return json.Marshal(e) }

// A Set is a batch of records: the built-in dataset, an import file or an
// export. Records refer to each other by id (a deployment to its
// jurisdiction and vendors), so a Set is applied in the order of its fields.
type Set struct {
	Jurisdictions []*Jurisdiction `json:"jurisdictions,omitempty"`
	Vendors       []*Vendor       `json:"vendors,omitempty"`
	Instruments   []*Instrument   `json:"instruments,omitempty"`
	Deployments   []*Deployment   `json:"deployments,omitempty"`
	Claims        []*Claim        `json:"claims,omitempty"`
	Replies       []*Reply        `json:"replies,omitempty"` // organisations' answers to the deployments that name them
	// Facts are deployments' fact documents, which classification reads:
	// each is keyed by its deployment.id.
	Facts []*FactDoc `json:"facts,omitempty"`
	// Classification, in an export, holds tiers Oversight computed from the
	// records; import ignores it, since rules, not files, decide tiers.
	Classification json.RawMessage `json:"classification,omitempty"`
}

// Entities lists the set's records in dependency order. A null in a list
// (a file may hold one) is left out; Check reports it.
func (s *Set) Entities() []Entity {
	var out []Entity
	s.each(func(_ string, _ int, e Entity) {
		if e != nil {
			out = append(out, e)
		}
	})
	return out
}

// Nulls returns the path of every null in the set's lists
// ("deployments[3]"): a file may hold one, and it is no record.
func (s *Set) Nulls() []string {
	var out []string
	s.each(func(kind string, i int, e Entity) {
		if e == nil {
			out = append(out, fmt.Sprintf("%s[%d]", Field(kind), i))
		}
	})
	return out
}

// each calls fn with every record of the set in dependency order, its kind
// and its position in its list; a null record is passed as a nil Entity.
func (s *Set) each(fn func(kind string, i int, e Entity)) {
	eachOf(s.Jurisdictions, fn)
	eachOf(s.Vendors, fn)
	eachOf(s.Instruments, fn)
	eachOf(s.Deployments, fn)
	eachOf(s.Claims, fn)
	eachOf(s.Replies, fn)
	eachOf(s.Facts, fn)
}

func eachOf[E interface {
	Entity
	comparable
}](list []E, fn func(kind string, i int, e Entity)) {
	var null E
	kind := null.Kind() // Kind reads no field: it works on a nil pointer
	for i, e := range list {
		if e == null {
			fn(kind, i, nil)
		} else {
			fn(kind, i, e)
		}
	}
}

// Add appends an entity to the matching list.
func (s *Set) Add(e Entity) {
	switch v := e.(type) {
	case *Jurisdiction:
		s.Jurisdictions = append(s.Jurisdictions, v)
	case *Vendor:
		s.Vendors = append(s.Vendors, v)
	case *Instrument:
		s.Instruments = append(s.Instruments, v)
	case *Deployment:
		s.Deployments = append(s.Deployments, v)
	case *Claim:
		s.Claims = append(s.Claims, v)
	case *Reply:
		s.Replies = append(s.Replies, v)
	case *FactDoc:
		s.Facts = append(s.Facts, v)
	}
}

// A Revision is one accepted change to one entity, as the log records it.
//
// The log hashes one record a revision, in one of two formats (see
// content.go): format 1, the revision's canonical JSON whole, which
// registers written before redaction existed hold; and format 2, in which
// the content a court or a contributor may need removed (Reason,
// Contributor, State) is replaced by Commitment, a salted hash of it, and
// kept beside the log.
type Revision struct {
	// Format is 2 for a record that commits to its content; 0 (absent
	// from the JSON) is format 1, which holds its content.
	Format int    `json:"format,omitempty"`
	Seq    int64  `json:"seq"` // 0-based position in the log
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Op     string `json:"op"` // Ops
	Author string `json:"author"`
	Reason string `json:"reason,omitempty"`
	Into   string `json:"into,omitempty"` // on a retract that merges: the id of the same kind the old one redirects to
	// Redacts is, on a redact, the revision whose content was removed.
	Redacts *int64 `json:"redacts,omitempty"`
	// Contributor is the pseudonym of whoever proposed the change, when a
	// reviewer accepted it from a submission; Author is the reviewer.
	Contributor string    `json:"contributor,omitempty"`
	Time        time.Time `json:"time"`
	// Commitment is, in format 2, the lowercase hex SHA-256 of the salt
	// followed by the content's bytes (Commit).
	Commitment string          `json:"commitment,omitempty"`
	State      json.RawMessage `json:"state,omitempty"` // the entity's full new state; absent on retract
	// Redacted says that the content of this format-2 revision is not
	// held: Reason, Contributor and State are empty because they were
	// removed, not because the revision had none.
	Redacted bool `json:"-"`
}

// Record returns the bytes the log hashes for this revision: its
// canonical JSON, whole in format 1; in format 2 without its content,
// which Commitment stands for (Leaf).
func (r *Revision) Record() ([]byte, error) {
	if r.Format == Format2 {
		return r.Leaf()
	}
	return json.Marshal(r)
}

// RecordOfCanonical returns what Record does, for a revision whose State
// is Canonical's output, without encoding the state again: Marshal would
// only re-check and copy bytes that are already in its form. Imports
// write a record for every entity.
func (r *Revision) RecordOfCanonical() ([]byte, error) {
	if len(r.State) == 0 || r.Format == Format2 {
		return r.Record()
	}
	head := *r
	head.State = nil
	b, err := json.Marshal(&head)
	if err != nil {
		return nil, err
	}
	b = append(b[:len(b)-1], `,"state":`...)
	b = append(b, r.State...)
	return append(b, '}'), nil
}
