package registry

import "fmt"

// A RecordError is a FieldError of one record in a batch.
type RecordError struct {
	Kind  string // entity kind
	Index int    // position of the record in its list of the Set
	ID    string
	Err   *FieldError
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s %q: %v", e.Kind, Clip(e.ID), e.Err)
}

// Known answers whether the register already holds an entity.
type Known func(kind, id string) bool

// Check validates every record of the set, finds ids used twice in it, and
// checks that what deployments, claims and safeguards refer to exists in the
// set or, through known, in the register. It returns every problem found,
// up to about MaxErrors: past those it stops validating records.
func (s *Set) Check(known Known) []*RecordError {
	var out []*RecordError
	have := map[string]bool{}
	s.each(func(k string, i int, e Entity) {
		if len(out) >= MaxErrors {
			return
		}
		if e == nil {
			out = append(out, &RecordError{k, i, "", &FieldError{Msg: "is null, not a record"}})
			return
		}
		add := func(fe *FieldError) { out = append(out, &RecordError{k, i, e.Key(), fe}) }
		if err := e.Validate(); err != nil {
			for _, fe := range err.(Errors) {
				add(fe)
			}
		}
		id := k + "/" + e.Key()
		if have[id] {
			add(duplicate(k, e.Key()))
		}
		have[id] = true
	})
	exists := func(kind, id string) bool {
		return have[kind+"/"+id] || (known != nil && known(kind, id))
	}
	s.each(func(k string, i int, e Entity) {
		if e == nil {
			return
		}
		References(e, func(path, target, tid string) {
			if tid != "" && len(out) < MaxErrors && !exists(target, tid) {
				out = append(out, &RecordError{k, i, e.Key(), missing(path, target, tid)})
			}
		})
	})
	return out
}

// CheckRefs checks that what one record refers to exists in the
// register (known), without validating the record: for a record checked
// on its own already, whose problems are reported once.
func CheckRefs(e Entity, known Known) Errors {
	var out Errors
	References(e, func(path, target, tid string) {
		if tid != "" && len(out) < MaxErrors && !known(target, tid) {
			out = append(out, missing(path, target, tid))
		}
	})
	return out
}

// References calls fn with each id a record refers to: the field it is
// in, and the kind and id of the record it names. An empty id refers to
// nothing; fn is called with it all the same.
func References(e Entity, fn func(path, kind, id string)) {
	switch v := e.(type) {
	case *Deployment:
		fn("jurisdiction", "jurisdiction", v.Jurisdiction)
		for j, vr := range v.Vendors {
			fn(fmt.Sprintf("vendors[%d].vendor", j), "vendor", vr.Vendor)
		}
		for j, f := range v.Financing {
			fn(fmt.Sprintf("financing[%d].lender", j), "vendor", f.Lender)
		}
	case *Claim:
		fn("jurisdiction", "jurisdiction", v.Jurisdiction)
	case *Reply:
		fn("deployment", "deployment", v.Deployment)
	case *FactDoc:
		fn("deployment.id", "deployment", v.ID)
	case *Jurisdiction:
		for k, sg := range v.Safeguards {
			fn(fmt.Sprintf("safeguards[%d].instrument", k), "instrument", sg.Instrument)
		}
	}
}

// duplicate is the problem of a record whose id another of the batch has.
func duplicate(kind, id string) *FieldError {
	return &FieldError{Path: idField(kind), Msg: fmt.Sprintf("duplicate id %q: another %s in this batch has it", Clip(id), kind)}
}

// missing is the problem of a reference, in the field at path, to a
// record neither the register nor the batch holds.
func missing(path, kind, id string) *FieldError {
	return &FieldError{Path: path, Msg: fmt.Sprintf("no %s %q in the register or this batch", kind, Clip(id))}
}

func idField(kind string) string {
	switch kind {
	case "jurisdiction":
		return "code"
	case "facts":
		return "deployment.id"
	}
	return "id"
}

// Field is the name under which a kind's records are listed in a Set.
func Field(kind string) string {
	switch kind {
	case "jurisdiction":
		return "jurisdictions"
	case "vendor":
		return "vendors"
	case "instrument":
		return "instruments"
	case "deployment":
		return "deployments"
	case "claim":
		return "claims"
	case "reply":
		return "replies"
	case "facts":
		return "facts"
	}
	return kind
}
