package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"oversight/registry"
)

// Merging: the records that cite the old entity are updated to cite the
// new one, each by a logged revision, and the old one is retracted with a
// revision naming the new one (see retract.go).

// Mergeable lists the kinds Merge accepts. Jurisdictions are keyed by
// their ISO code, of which there is one per country: there is nothing to
// merge.
var Mergeable = []string{"deployment", "vendor", "instrument", "claim"}

// Merge merges entity old into entity into, of the same kind: every
// current record that cites old is updated to cite into instead (a
// deployment listing both with one role lists into once, with the sources
// of both), each by a revision of its own, and old is then retracted with
// a revision naming into, so that old redirects there. Everything is
// logged in one transaction, with one new checkpoint. Merge does not
// change into itself: facts of old worth keeping are added by an update.
func (s *DB) Merge(ctx context.Context, kind, old, into string, meta Meta) (*Retraction, error) {
	if !slices.Contains(Mergeable, kind) {
		return nil, registry.InvalidField("kind", "cannot merge records of kind "+registry.Clip(kind), Mergeable...)
	}
	if into == "" {
		return nil, registry.InvalidField("into", "is required: name the record to merge into")
	}
	if into == old {
		return nil, registry.InvalidField("into", "is the record merged: a record cannot be merged into itself")
	}
	return s.retract(ctx, kind, old, into, meta)
}

// A citer is a current record that cites another, with its state.
type citer struct {
	kind, id string
	state    []byte
}

// citers returns the current records that cite entity kind/id, in kind and
// id order: those whose references a merge moves, and which keep a
// retraction from leaving them pointing at nothing.
func citers(ctx context.Context, tx querier, kind, id string) ([]citer, error) {
	var qs []string
	switch kind {
	case "vendor":
		// Vendors and lenders, through the projection; a vendor's parent
		// is an id or a name, unindexed, and vendors are few.
		qs = []string{
			"SELECT kind, id, state FROM entities WHERE kind = 'deployment' AND id IN (SELECT deployment_id FROM deployment_vendors WHERE vendor_id = $1) ORDER BY id",
			"SELECT kind, id, state FROM entities WHERE kind = 'vendor' AND id <> $1 ORDER BY id",
		}
	case "instrument":
		qs = []string{"SELECT kind, id, state FROM entities WHERE kind = 'jurisdiction' AND $1 <> '' ORDER BY id"}
	case "jurisdiction":
		qs = []string{
			"SELECT kind, id, state FROM entities WHERE kind = 'claim' AND id IN (SELECT id FROM claims WHERE jurisdiction = $1) ORDER BY id",
			"SELECT kind, id, state FROM entities WHERE kind = 'deployment' AND id IN (SELECT id FROM deployments WHERE jurisdiction = $1) ORDER BY id",
			"SELECT kind, id, state FROM entities WHERE kind = 'instrument' AND id IN (SELECT id FROM instruments WHERE jurisdiction = $1) ORDER BY id",
		}
	}
	var out []citer
	for _, q := range qs {
		rows, err := tx.QueryContext(ctx, q, id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c citer
			if err := rows.Scan(&c.kind, &c.id, &c.state); err != nil {
				rows.Close()
				return nil, err
			}
			e, err := registry.Decode(c.kind, c.state)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("%s %s: %w", c.kind, c.id, err)
			}
			if cites(e, kind, id) {
				out = append(out, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// cites reports whether e refers to entity kind/id.
func cites(e registry.Entity, kind, id string) bool {
	found := false
	rewrite(e, kind, id, func(string) string { found = true; return id })
	return found
}

// rewrite calls to with every reference e holds to entity kind/id and
// puts its answer in the reference's place.
func rewrite(e registry.Entity, kind, id string, to func(old string) string) {
	switch v := e.(type) {
	case *registry.Deployment:
		if kind == "jurisdiction" && v.Jurisdiction == id {
			v.Jurisdiction = to(id)
		}
		if kind != "vendor" {
			return
		}
		for i := range v.Vendors {
			if v.Vendors[i].Vendor == id {
				v.Vendors[i].Vendor = to(id)
			}
		}
		for i := range v.Financing {
			if v.Financing[i].Lender == id {
				v.Financing[i].Lender = to(id)
			}
		}
	case *registry.Vendor:
		if kind == "vendor" && v.Parent == id && v.ID != id {
			v.Parent = to(id)
		}
	case *registry.Jurisdiction:
		if kind != "instrument" {
			return
		}
		for i := range v.Safeguards {
			if v.Safeguards[i].Instrument == id {
				v.Safeguards[i].Instrument = to(id)
			}
		}
	case *registry.Claim:
		if kind == "jurisdiction" && v.Jurisdiction == id {
			v.Jurisdiction = to(id)
		}
	case *registry.Instrument:
		if kind == "jurisdiction" && v.Jurisdiction == id {
			v.Jurisdiction = to(id)
		}
	}
}

// moveReference logs an update of c that cites into where it cited old,
// and projects it.
func moveReference(w *writer, c citer, kind, old, into string, meta Meta) error {
	e, err := registry.Decode(c.kind, c.state)
	if err != nil {
		return err
	}
	rewrite(e, kind, old, func(string) string { return into })
	if d, ok := e.(*registry.Deployment); ok {
		d.Vendors = dedupeVendors(d.Vendors)
	}
	if err := e.Validate(); err != nil {
		return registry.Conflict(fmt.Sprintf("citing %s %s instead of %s would leave %s %s invalid: %v", kind, into, old, c.kind, c.id, err))
	}
	state, err := registry.Canonical(e)
	if err != nil {
		return err
	}
	reason := fmt.Sprintf("%s %s merged into %s: %s", kind, old, into, meta.Reason)
	rev := &registry.Revision{Seq: w.size, Kind: c.kind, ID: c.id, Op: "update", Author: meta.Author, Reason: reason, Time: meta.Time, State: state}
	if err := w.append(rev); err != nil {
		return err
	}
	if err := w.deleteRows(c.kind, c.id); err != nil {
		return err
	}
	return w.project(e, rev.Seq, state)
}

// dedupeVendors keeps the first of the roles a merge made twice (the same
// vendor in the same role), with the source keys of both.
func dedupeVendors(vs []registry.VendorRole) []registry.VendorRole {
	out := vs[:0:0]
	at := map[string]int{}
	for _, v := range vs {
		k := v.Vendor + "\x00" + v.Role
		if i, ok := at[k]; ok {
			for _, s := range v.Sources {
				if !slices.Contains(out[i].Sources, s) {
					out[i].Sources = append(out[i].Sources, s)
				}
			}
			continue
		}
		at[k] = len(out)
		out = append(out, v)
	}
	return out
}

// listIDs names a few of the records cs, and how many there are.
func listIDs(cs []citer) string {
	const show = 5
	var parts []string
	for i, c := range cs {
		if i == show {
			break
		}
		parts = append(parts, c.kind+" "+c.id)
	}
	s := strings.Join(parts, ", ")
	if len(cs) > show {
		s += fmt.Sprintf(" and %d more", len(cs)-show)
	}
	return s
}
