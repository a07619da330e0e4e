package rules

import (
	"slices"
	"strings"
	"testing"
)

// fieldsDoc uses every field the framework writers asked for in issue 15
// (part 4), each with a value a source could give.
const fieldsDoc = `schema: observatory.facts/v0
deployment:
  procurement: {method: direct_award, contract_published: false}
operator:
  type: police
  government_level: regional
system:
  capabilities: [remote_biometric_identification]
  camera_mobility: [fixed, body_worn, drone]
purposes: [discriminatory_targeting, research_development_training]
legal_basis:
  designation_exempts_from: [in-dpdp-act]
safeguards:
  images_not_stored: true
  impact_assessment_published: false
`

// TestAskedForFields: a document using every field asked for validates,
// and rules read each one with the type and values the schema gives.
func TestAskedForFields(t *testing.T) {
	s, err := FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.ParseFacts("doc.yaml", []byte(fieldsDoc))
	if err != nil {
		t.Fatal(err)
	}
	leaves := []struct {
		path string
		kind Kind
		want any // the value rules see
	}{
		{"deployment.procurement.method", String, "direct_award"},
		{"deployment.procurement.contract_published", Bool, false},
		{"operator.government_level", String, "regional"},
		{"system.camera_mobility", StringList, []string{"fixed", "body_worn", "drone"}},
		{"purposes", StringList, []string{"discriminatory_targeting", "research_development_training"}},
		{"legal_basis.designation_exempts_from", StringList, []string{"in-dpdp-act"}},
		{"safeguards.images_not_stored", Bool, true},
		{"safeguards.impact_assessment_published", Bool, false},
	}
	for _, c := range leaves {
		l, ok := s.Leaf(c.path)
		if !ok {
			t.Errorf("%s: not a leaf of the schema", c.path)
			continue
		}
		if l.Kind != c.kind {
			t.Errorf("%s: kind %v, want %v", c.path, l.Kind, c.kind)
		}
		if l.Description == "" {
			t.Errorf("%s: no description", c.path)
		}
		got, known := f.Value(c.path)
		if !known {
			t.Errorf("%s: unknown, want %v", c.path, c.want)
			continue
		}
		if list, ok := c.want.([]string); ok {
			var have []string
			for _, v := range asList(got) {
				have = append(have, v.(string))
			}
			if !slices.Equal(have, list) {
				t.Errorf("%s: read as %v, want %v", c.path, got, list)
			}
		} else if got != c.want {
			t.Errorf("%s: read as %v (%T), want %v", c.path, got, got, c.want)
		}
	}
	// No value was renamed or dropped: the values rules and documents
	// already use are still allowed.
	kept := map[string][]string{
		"purposes":           {"victim_search", "smart_city_general", "defence", "national_security"},
		"operator.type":      {"police", "municipality", "private_company", "unknown"},
		"safeguards.storage": {"on_device", "unknown"},
	}
	for path, values := range kept {
		l, _ := s.Leaf(path)
		for _, v := range values {
			if l == nil || !slices.Contains(l.Enum, v) {
				t.Errorf("%s: value %q is gone", path, v)
			}
		}
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// TestAskedForFieldErrors: a wrong value in a new field is refused, and the
// error names the field.
func TestAskedForFieldErrors(t *testing.T) {
	s, err := FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ doc, want string }{
		{"system: {camera_mobility: [mobile]}", "doc.yaml:2: /system/camera_mobility/0: value must be one of 'fixed'"},
		{"system: {camera_mobility: [fixed, fixed]}", "/system/camera_mobility: items at 0 and 1 are equal"},
		{"operator: {government_level: federal}", "doc.yaml:2: /operator/government_level: value must be one of 'national', 'regional', 'local', 'not_government'"},
		{"deployment: {procurement: {method: tendered}}", "/deployment/procurement/method: value must be one of 'open_tender'"},
		{"deployment: {procurement: {value: 1000000}}", "/deployment/procurement: additional properties 'value' not allowed"},
		{"deployment: {procurement: {contract_published: sometimes}}", "/deployment/procurement/contract_published: got string, want null or boolean"},
		{"purposes: [discrimination]", "/purposes/0: value must be one of"},
		{"legal_basis: {designation_exempts_from: [India DPDP s 17(2)(a)]}", "/legal_basis/designation_exempts_from/0: value must be one of 'in-dpdp-act', 'kr-ai-basic-act'"},
		{"legal_basis: {designation_exempts_from: in-dpdp-act}", "/legal_basis/designation_exempts_from: got string, want null or array"},
		{"safeguards: {images_not_stored: 'no'}", "/safeguards/images_not_stored: got string, want null or boolean"},
		{"safeguards: {impact_assessment_published: 1}", "/safeguards/impact_assessment_published: got number, want null or boolean"},
	}
	for _, c := range cases {
		_, err := s.ParseFacts("doc.yaml", []byte("schema: observatory.facts/v0\n"+c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v\nwant it to contain %q", c.doc, err, c.want)
		}
	}
}

// TestAskedForFieldsUnknown: left out (or "unknown"), each new field is
// unknown to rules, never false or empty.
func TestAskedForFieldsUnknown(t *testing.T) {
	f := facts(t, "operator: {type: police}\ndeployment: {procurement: {method: unknown}}\n")
	for _, path := range []string{"deployment.procurement.method", "deployment.procurement.contract_published",
		"operator.government_level", "system.camera_mobility", "legal_basis.designation_exempts_from",
		"safeguards.images_not_stored", "safeguards.impact_assessment_published"} {
		if v, known := f.Value(path); known {
			t.Errorf("%s: read as %v, want unknown", path, v)
		}
	}
}
