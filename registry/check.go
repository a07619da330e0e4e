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
			add(&FieldError{Path: idField(k), Msg: fmt.Sprintf("duplicate id %q: another %s in this batch has it", Clip(e.Key()), k)})
		}
		have[id] = true
	})
	exists := func(kind, id string) bool {
		return have[kind+"/"+id] || (known != nil && known(kind, id))
	}
	ref := func(kind string, i int, id string, path, target, tid string) {
		if tid != "" && len(out) < MaxErrors && !exists(target, tid) {
			out = append(out, &RecordError{kind, i, id, &FieldError{Path: path, Msg: fmt.Sprintf("no %s %q in the register or this batch", target, Clip(tid))}})
		}
	}
	for i, d := range s.Deployments {
		if d == nil {
			continue
		}
		ref("deployment", i, d.ID, "jurisdiction", "jurisdiction", d.Jurisdiction)
		for j, v := range d.Vendors {
			ref("deployment", i, d.ID, fmt.Sprintf("vendors[%d].vendor", j), "vendor", v.Vendor)
		}
		for j, f := range d.Financing {
			ref("deployment", i, d.ID, fmt.Sprintf("financing[%d].lender", j), "vendor", f.Lender)
		}
	}
	for i, c := range s.Claims {
		if c == nil {
			continue
		}
		ref("claim", i, c.ID, "jurisdiction", "jurisdiction", c.Jurisdiction)
	}
	for i, r := range s.Replies {
		if r == nil {
			continue
		}
		ref("reply", i, r.ID, "deployment", "deployment", r.Deployment)
	}
	for i, j := range s.Jurisdictions {
		if j == nil {
			continue
		}
		for k, sg := range j.Safeguards {
			ref("jurisdiction", i, j.Code, fmt.Sprintf("safeguards[%d].instrument", k), "instrument", sg.Instrument)
		}
	}
	return out
}

func idField(kind string) string {
	if kind == "jurisdiction" {
		return "code"
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
	}
	return kind
}
