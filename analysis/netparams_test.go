package analysis

import (
	"reflect"
	"strconv"
	"testing"
)

// TestNetworkQueryParams: a query with every field set has each field's
// value in a param of its own, and an empty query has no param set. Every
// field is set by reflection, so a field added to NetworkQuery and not to
// Params fails here.
func TestNetworkQueryParams(t *testing.T) {
	t.Parallel()
	var q NetworkQuery
	v := reflect.ValueOf(&q).Elem()
	var want []string // each field's value as Params writes it
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("value" + strconv.Itoa(i))
			want = append(want, f.String())
		case reflect.Int:
			f.SetInt(int64(1990 + i))
			want = append(want, strconv.Itoa(1990+i))
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"AA", "BB"}))
			want = append(want, "AA,BB")
		default:
			t.Fatalf("field %s is of a kind this test cannot set: %s", v.Type().Field(i).Name, f.Kind())
		}
	}
	got := map[string]string{} // value -> name
	names := map[string]bool{}
	for _, p := range q.Params() {
		if names[p.Name] {
			t.Errorf("param %s twice", p.Name)
		}
		names[p.Name] = true
		got[p.Value] = p.Name
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Errorf("no param holds %q: %+v", w, q.Params())
		}
	}
	if len(names) != len(want) {
		t.Errorf("%d params for %d fields: %+v", len(names), len(want), q.Params())
	}
	for _, p := range (NetworkQuery{}).Params() {
		if p.Value != "" {
			t.Errorf("an empty query has %s=%q", p.Name, p.Value)
		}
	}
}
