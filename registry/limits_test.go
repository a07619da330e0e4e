package registry_test

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"oversight/data"
	"oversight/registry"
)

func validDeployment() *registry.Deployment {
	lat, lon := 1.29, 103.85
	return &registry.Deployment{
		ID: "sg-limits", Title: "Limits", Jurisdiction: "SG",
		Place:     registry.Place{Name: "Singapore", Level: "city", Lat: &lat, Lon: &lon},
		Status:    registry.Status{Value: "unknown"},
		Certainty: "reported",
		Sources:   []registry.Source{{Key: "a", URL: "https://example.org/a"}},
	}
}

// TestErrorsNameFieldAndLimit checks that each kind of value the limits
// refuse is reported at its field, with the limit.
func TestErrorsNameFieldAndLimit(t *testing.T) {
	nan, negZero := math.NaN(), math.Copysign(0, -1)
	cases := []struct {
		name   string
		modify func(d *registry.Deployment)
		path   string
		msg    string
	}{
		{"4 KB id", func(d *registry.Deployment) { d.ID = strings.Repeat("a", 4096) }, "id", "at most 100 characters (this one has 4096)"},
		{"long summary", func(d *registry.Deployment) { d.Summary = strings.Repeat("é", 20_001) }, "summary", "at most 20000 characters (this one has 20001)"},
		{"long url", func(d *registry.Deployment) { d.Sources[0].URL = "https://e.org/" + strings.Repeat("a", 4000) }, "sources[0].url", "at most 4000 characters"},
		{"many sources", func(d *registry.Deployment) { d.Operator.Sources = make([]string, 201) }, "operator.sources", "at most 200 items (this list has 201)"},
		{"many capabilities", func(d *registry.Deployment) { d.System.Capabilities = make([]string, 101) }, "system.capabilities", "at most 100 items"},
		{"invalid UTF-8", func(d *registry.Deployment) { d.Title = "T\xffitle" }, "title", "invalid UTF-8 at byte 1"},
		{"NUL", func(d *registry.Deployment) { d.Place.Name = "a\x00b" }, "place.name", "control character U+0000 at byte 1"},
		{"carriage return", func(d *registry.Deployment) { d.Notes = "a\r\nb" }, "notes", "control character U+000D"},
		{"-0", func(d *registry.Deployment) { d.Place.Lat = &negZero }, "place.lat", "is -0: write 0"},
		{"NaN", func(d *registry.Deployment) { d.Financing = []registry.Financing{{Instrument: "grant", Amount: &nan}} }, "financing[0].amount", "not a finite number"},
	}
	for _, c := range cases {
		d := validDeployment()
		c.modify(d)
		err := d.Validate()
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		found := false
		for _, fe := range err.(registry.Errors) {
			if fe.Path == c.path && strings.Contains(fe.Msg, c.msg) {
				found = true
			}
			if len(fe.Error()) > 1000 {
				t.Errorf("%s: a %d-byte message: %.100s", c.name, len(fe.Error()), fe)
			}
		}
		if !found {
			t.Errorf("%s: %v; want %s: ...%s", c.name, err, c.path, c.msg)
		}
	}
	if err := validDeployment().Validate(); err != nil {
		t.Fatalf("the base deployment: %v", err)
	}
	// Tab and line feed are text; so is U+FFFD, written as such.
	d := validDeployment()
	d.Summary = "a\tb\nc \uFFFD"
	if err := d.Validate(); err != nil {
		t.Errorf("tab, line feed and U+FFFD: %v", err)
	}
}

// TestLimitsAboveRealData checks that each limit is at least twice the
// longest value of its field in the built-in register, so that none
// refuses real data.
func TestLimitsAboveRealData(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	longest, items := map[string]int{}, map[string]int{}
	var walk func(name string, v reflect.Value)
	walk = func(name string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(name, v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
					walk(tag, v.Field(i))
				}
			}
		case reflect.Slice:
			items[name] = max(items[name], v.Len())
			for i := range v.Len() {
				walk(name, v.Index(i))
			}
		case reflect.String:
			longest[name] = max(longest[name], utf8.RuneCountInString(v.String()))
		}
	}
	for _, e := range set.Entities() {
		walk("", reflect.ValueOf(e))
	}
	for name, n := range longest {
		if limit := pick(registry.TextLimits, name, registry.MaxText); limit < 2*n {
			t.Errorf("%s: limit %d characters, a built-in value has %d", name, limit, n)
		}
	}
	for name, n := range items {
		if limit := pick(registry.ListLimits, name, registry.MaxList); limit < 2*n {
			t.Errorf("%s: limit %d items, a built-in list has %d", name, limit, n)
		}
	}
}

func pick(m map[string]int, k string, def int) int {
	if n, ok := m[k]; ok {
		return n
	}
	return def
}

// TestNullRecords checks that a null in a set's lists is reported, not a
// panic, and left out of Entities.
func TestNullRecords(t *testing.T) {
	set := &registry.Set{Deployments: []*registry.Deployment{validDeployment(), nil}, Claims: []*registry.Claim{nil}}
	if got := set.Nulls(); !reflect.DeepEqual(got, []string{"deployments[1]", "claims[0]"}) {
		t.Errorf("Nulls: %v", got)
	}
	if n := len(set.Entities()); n != 1 {
		t.Errorf("Entities: %d, want 1", n)
	}
	var nulls int
	for _, re := range set.Check(func(kind, id string) bool { return true }) {
		if re.Err.Msg == "is null, not a record" {
			nulls++
		}
	}
	if nulls != 2 {
		t.Errorf("Check reported %d nulls, want 2", nulls)
	}
}

func TestClip(t *testing.T) {
	if got := registry.Clip(strings.Repeat("é", 100)); utf8.RuneCountInString(got) != 41 || !utf8.ValidString(got) {
		t.Errorf("Clip: %q", got)
	}
	if registry.Clip("short") != "short" {
		t.Error("Clip changed a short string")
	}
}
