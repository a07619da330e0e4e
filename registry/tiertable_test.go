package registry

import (
	"maps"
	"testing"
)

// TestTierTable checks a table's rows: tiers set by number and by a name
// not among its tiers, none where unset, and the same rows as maps.
func TestTierTable(t *testing.T) {
	tab := NewTierTable([]string{"eu", "kr", "cn"}, []string{"high", "minimal"}, 2)
	a := tab.Add("a")
	a.SetCode(0, 1)
	a.Set(2, "not_applicable")
	if tab.Add("a") != a {
		t.Error("Add made a second row for a")
	}
	tab.Add("b").Set(1, "high")
	if got := tab.Map("a"); !maps.Equal(got, map[string]string{"eu": "minimal", "cn": "not_applicable"}) {
		t.Errorf("a: %v", got)
	}
	if got := tab.Map("b"); !maps.Equal(got, map[string]string{"kr": "high"}) {
		t.Errorf("b: %v", got)
	}
	if _, ok := tab.Row("c"); ok || tab.Map("c") != nil {
		t.Error("c has a row")
	}
	if _, ok := (*TierTable)(nil).Row("a"); ok {
		t.Error("a nil table has a row")
	}
	if a.Len() != 2 || !a.Has([]int{0, 2}) || a.Has([]int{1}) {
		t.Errorf("a: %d tiers, has eu and cn %v, has kr %v", a.Len(), a.Has([]int{0, 2}), a.Has([]int{1}))
	}
	if tier, ok := a.Tier(1); ok || tier != "" {
		t.Errorf("a under kr: %q, %v", tier, ok)
	}
	if a.Code(0) != 1 || a.Code(1) != -1 || tab.Tiers()[a.Code(2)] != "not_applicable" {
		t.Errorf("a's codes: %d %d %d of %v", a.Code(0), a.Code(1), a.Code(2), tab.Tiers())
	}
	if tab.Index("cn") != 2 || tab.Index("jp") != -1 {
		t.Errorf("Index: cn %d, jp %d", tab.Index("cn"), tab.Index("jp"))
	}
}
