package contrib

import (
	"strings"
	"testing"

	"oversight/registry"
)

func record(operator string, decl *registry.Declaration) *registry.Deployment {
	return &registry.Deployment{ID: "xx-cams", Title: "Cameras", Jurisdiction: "MY", Certainty: "reported",
		Operator: registry.Operator{Name: operator}, Declaration: decl}
}

func answers(text string) *registry.Declaration {
	return &registry.Declaration{Answers: []registry.Answer{
		{Scheme: "uk-atrs", Field: "1.1", Text: "Name"},
		{Scheme: "eu-ai-act", Field: "C.4", Text: text},
	}}
}

func TestCheckDeclaration(t *testing.T) {
	today := registry.Date{Year: 2026, Month: 12, Day: 5}
	// The operator's own account declares: stamped and put in order.
	next := record("City", answers("findings"))
	if errs := CheckDeclaration(nil, next, "operator", "City", today); len(errs) > 0 {
		t.Fatal(errs)
	}
	if d := next.Declaration; d.By != "City" || d.Date != today || d.Answers[0].Scheme != "eu-ai-act" {
		t.Errorf("declaration kept as %+v", d)
	}
	cur := next

	refused := []struct {
		name          string
		cur, next     *registry.Deployment
		orgKind, org  string
		field, reason string
	}{
		{"anyone adds one", nil, record("City", answers("x")), "", "", "record.declaration", `an account linked to the operator "City"`},
		{"a vendor's account", nil, record("City", answers("x")), "vendor", "City", "record.declaration", "only the organisation that operates"},
		{"another operator", nil, record("City", answers("x")), "operator", "Town", "record.declaration", "only the organisation that operates"},
		{"anyone edits it", cur, record("City", answers("edited")), "", "", "record.declaration", "only the organisation"},
		{"an operator takes over a record by renaming its operator", cur, record("Town", answers("mine")), "operator", "Town", "record.declaration", `"Town"`},
		{"anyone calls a record self-declared", nil, func() *registry.Deployment {
			d := record("City", nil)
			d.Certainty = registry.SelfDeclared
			return d
		}(), "", "", "record.certainty", "self_declared"},
	}
	for _, c := range refused {
		errs := CheckDeclaration(c.cur, c.next, c.orgKind, c.org, today)
		if len(errs) == 0 || errs[0].Path != c.field || !strings.Contains(errs[0].Msg, c.reason) {
			t.Errorf("%s: got %v, want %s: …%s…", c.name, errs, c.field, c.reason)
		}
	}

	// Anyone else's change keeps the declaration: left out, or sent back as it is.
	for _, d := range []*registry.Declaration{nil, cur.Declaration} {
		next := record("City", d)
		next.Title = "Cameras, corrected"
		if errs := CheckDeclaration(cur, next, "", "", today); len(errs) > 0 || next.Declaration != cur.Declaration {
			t.Errorf("a third party's change: %v, declaration %+v", errs, next.Declaration)
		}
	}
	// The operator withdraws it.
	if errs := CheckDeclaration(cur, record("City", nil), "operator", "City", today); len(errs) > 0 {
		t.Errorf("withdrawing: %v", errs)
	}
}

func TestSettleDeclaration(t *testing.T) {
	old := record("City", answers("old"))
	old.Declaration.By = "City"
	newer := record("City", answers("newer"))
	newer.Declaration.By = "City"

	// An older third-party proposal carries the old declaration; the
	// operator declared again since: the newer one is logged.
	got, err := SettleDeclaration(newer, old, nil, "", "")
	if err != nil || got != newer.Declaration {
		t.Errorf("third party: %+v, %v", got, err)
	}
	// The operator's own proposal is logged as it sent it.
	if got, err := SettleDeclaration(old, newer, nil, "operator", "City"); err != nil || got != newer.Declaration {
		t.Errorf("operator: %+v, %v", got, err)
	}
	// An account unlinked since is anyone.
	if got, _ := SettleDeclaration(old, newer, nil, "", ""); got != old.Declaration {
		t.Errorf("unlinked: %+v", got)
	}
	// A reviewer's edit may not touch it.
	edited := record("City", answers("reviewer's words"))
	if _, err := SettleDeclaration(nil, newer, edited, "operator", "City"); err == nil || !strings.Contains(err.Error(), "does not edit it") {
		t.Errorf("reviewer edit: %v", err)
	}
	// Nor make the record self-declared.
	edited = record("City", nil)
	edited.Certainty = registry.SelfDeclared
	if _, err := SettleDeclaration(nil, record("City", nil), edited, "", ""); err == nil || !strings.Contains(err.Error(), "self_declared") {
		t.Errorf("reviewer makes it self-declared: %v", err)
	}
}
