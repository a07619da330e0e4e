package contrib

import (
	"reflect"

	"oversight/registry"
)

// Self-registration: an organisation declares a system it operates, in the
// shapes of public registers of AI systems (registry.Declaration). Only an
// account linked to the record's operator adds, changes or removes a
// declaration, or makes a record self_declared; a reviewer accepts or
// rejects it but does not edit it, and anyone else's proposal leaves it as
// the register has it.

// Declares reports whether the organisation an account is linked to (its
// kind and id; empty for none) is the operator a record names.
func Declares(orgKind, org string, d *registry.Deployment) bool {
	return d != nil && orgKind == "operator" && org != "" && d.Operator.Name == org
}

// CheckDeclaration checks a proposed record (next) against the register's
// (cur, nil for a new record) for a submitter linked to an organisation
// (orgKind and org, empty for none). A declaration the submitter may make
// is stamped with the organisation and today's date and put in order; one
// they may not make is an error naming the field; a record from anyone
// else that leaves the declaration out keeps the register's.
func CheckDeclaration(cur, next *registry.Deployment, orgKind, org string, today registry.Date) registry.Errors {
	if next == nil {
		return nil
	}
	var was *registry.Declaration
	wasSelf := false
	if cur != nil {
		was, wasSelf = cur.Declaration, cur.Certainty == registry.SelfDeclared
	}
	own := Declares(orgKind, org, next) && (cur == nil || Declares(orgKind, org, cur))
	var errs registry.Errors
	if next.Declaration != nil && own {
		d := *next.Declaration
		d.By, d.Date = org, today
		d.Answers = append([]registry.Answer(nil), d.Answers...)
		d.Sort()
		next.Declaration = &d
	} else if next.Declaration == nil {
		next.Declaration = was // a proposal that leaves it out keeps it
	} else if !sameDeclaration(was, next.Declaration) {
		errs = append(errs, &registry.FieldError{Path: "record.declaration", Msg: notDeclarant(next)})
	}
	if next.Certainty == registry.SelfDeclared && !wasSelf && !own {
		errs = append(errs, &registry.FieldError{Path: "record.certainty", Msg: "self_declared: " + notDeclarant(next)})
	}
	return errs
}

// SettleDeclaration gives the declaration an accepted record is logged
// with: the submitter's, if they were (and still are) linked to its
// operator, otherwise the register's current one, so that an older
// proposal does not undo a declaration made since. edited is the
// reviewer's edit of the proposed record, or nil; it may not change the
// declaration.
func SettleDeclaration(cur, proposed, edited *registry.Deployment, orgKind, org string) (*registry.Declaration, error) {
	if edited != nil && !sameDeclaration(proposed.Declaration, edited.Declaration) {
		return nil, registry.InvalidField("record.declaration", "is the organisation's own statement: a reviewer accepts or rejects it, and does not edit it")
	}
	if Declares(orgKind, org, proposed) && (cur == nil || Declares(orgKind, org, cur)) {
		return proposed.Declaration, nil
	}
	rec := proposed
	if edited != nil {
		rec = edited
	}
	if rec.Certainty == registry.SelfDeclared && (cur == nil || cur.Certainty != registry.SelfDeclared) {
		return nil, registry.InvalidField("record.certainty", "self_declared: "+notDeclarant(rec))
	}
	if cur == nil {
		return nil, nil
	}
	return cur.Declaration, nil
}

func notDeclarant(d *registry.Deployment) string {
	return "only the organisation that operates a system declares it: an account linked to the operator " + quote(d.Operator.Name)
}

func quote(s string) string {
	if s == "" {
		return "the record names"
	}
	return "\"" + registry.Clip(s) + "\""
}

func sameDeclaration(a, b *registry.Declaration) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(a, b)
}
