package site

import (
	"slices"
	"strings"
	"testing"

	"oversight/analysis"
	"oversight/api"
	"oversight/contrib"
	"oversight/data"
	"oversight/frameworks"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/rules"
)

// TestLabels: every value of every vocabulary the pages show has words in
// labels/en.json, and the file holds no vocabulary or value the register
// does not have.
func TestLabels(t *testing.T) {
	vocabs := map[string][]string{}
	for _, e := range []registry.Enum{registry.Subregions, registry.Memberships, registry.RegimeTypes, registry.SafeguardKinds,
		registry.SafeguardStatuses, registry.Statuses, registry.Certainties, registry.OperatorKinds, registry.VendorRoles,
		registry.Capabilities, registry.Purposes, registry.DateEvents, registry.FinancingInstruments, registry.PlaceLevels,
		registry.Ownerships, registry.OrganisationTypes, registry.InstrumentTypes, registry.InstrumentStatuses, registry.Kinds,
		registry.Ops, contrib.KindEnum, contrib.StateEnum} {
		vocabs[e.Name] = e.Values
	}
	for _, t := range rules.AllTiers {
		vocabs["tier"] = append(vocabs["tier"], string(t))
	}
	vocabs["applicability"] = append(slices.Clone(rules.Applicabilities), rules.NotEncodedApplicability)
	for _, r := range rules.NotEncodedReasons() {
		vocabs["reason not encoded"] = append(vocabs["reason not encoded"], r.ID)
	}
	vocabs["region"] = []string{"asia_pacific"} // the one region registry.Jurisdiction.Validate admits
	vocabs["framework kind"] = rules.Kinds
	vocabs["framework status"] = rules.Statuses
	vocabs["rule status"] = []string{rules.Fired, rules.Possible, rules.NotYetInForce}
	vocabs["condition status"] = []string{rules.Met, rules.Failed, rules.Unknown}
	vocabs["value"], vocabs["answer"] = valueValues, answerValues
	vocabs["change"] = []string{analysis.Stricter, analysis.Looser, analysis.Same, analysis.Undecided, analysis.NoLaw, analysis.NotEncoded}
	for path := range submitFields {
		vocabs["submission field"] = append(vocabs["submission field"], path)
		vocabs["submission advice"] = append(vocabs["submission advice"], path)
	}
	vocabs["submission problem"] = []string{"too long"}
	vocabs["comparison"] = []string{"country", "capability"}
	vocabs["refusal"] = refusalForms
	// The chips of the search and network filters: each parameter named,
	// and those that take several values joined.
	vocabs["filter"] = slices.DeleteFunc(slices.Clone(searchParams), func(p string) bool { return p == "cursor" })
	for _, p := range params.Network {
		if !slices.Contains(vocabs["filter"], p) {
			vocabs["filter"] = append(vocabs["filter"], p)
		}
	}
	vocabs["filter separator"] = []string{"jurisdiction", "vendor", "tier"}
	// The documents the frameworks' notes name (noteWords).
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, fw := range fws {
		for _, note := range fw.Unverified {
			vocabs["document"] = append(vocabs["document"], docsNamed(note)...)
		}
		for _, r := range fw.Rules {
			vocabs["document"] = append(vocabs["document"], docsNamed(r.ReviewFlag)...)
		}
	}
	for _, v := range apiVocabs() {
		vocabs["api vocabulary"] = append(vocabs["api vocabulary"], v.Name)
	}
	for _, e := range api.Endpoints() {
		if !slices.Contains(vocabs["api group"], e.Tag) {
			vocabs["api group"] = append(vocabs["api group"], e.Tag)
		}
	}
	for _, a := range contrib.Actions {
		vocabs["action"] = append(vocabs["action"], string(a))
	}
	// The fact schema: every field, and the values of the fields the
	// register has no vocabulary of its own for.
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range schema.Leaves() {
		vocabs["fact field"] = append(vocabs["fact field"], l.Path)
		// The objects that hold it, which evidence may support as a whole.
		for i, c := range l.Path {
			if c == '.' && !slices.Contains(vocabs["fact section"], l.Path[:i]) {
				vocabs["fact section"] = append(vocabs["fact section"], l.Path[:i])
			}
		}
	}
	// Capabilities the fact schema has beyond the register's vocabulary
	// (the uses of Annex III points 6 and 7 no record carries yet) share
	// its words, as the questionnaire offers them.
	if l, ok := schema.Leaf("system.capabilities"); ok {
		for _, v := range l.Enum {
			if !slices.Contains(vocabs["capability"], v) {
				vocabs["capability"] = append(vocabs["capability"], v)
			}
		}
	}
	for path, vocab := range map[string]string{
		"setting.spaces":                       "space",
		"system.camera_mobility":               "camera mobility",
		"operator.government_level":            "government level",
		"deployment.procurement.method":        "procurement method",
		"legal_basis.designation_exempts_from": "designating law",
	} {
		l, ok := schema.Leaf(path)
		if !ok || len(l.Enum) == 0 {
			t.Fatalf("%s: no field of the fact schema with values", path)
		}
		vocabs[vocab] = l.Enum
	}
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range set.Claims {
		if !seen[c.Indicator] {
			seen[c.Indicator] = true
			vocabs["indicator"] = append(vocabs["indicator"], c.Indicator)
		}
		if !seen["dataset "+c.Dataset] {
			seen["dataset "+c.Dataset] = true
			vocabs["dataset"] = append(vocabs["dataset"], c.Dataset)
		}
	}
	// A record's fields, each by "KIND PATH" where the words differ by
	// kind, or by its path.
	for _, key := range recordFieldKeys() {
		kind, pattern, _ := strings.Cut(key, " ")
		if labels["record field"][kind+" "+pattern] != "" {
			vocabs["record field"] = append(vocabs["record field"], kind+" "+pattern)
		} else {
			vocabs["record field"] = append(vocabs["record field"], pattern)
		}
	}
	for vocab, values := range vocabs {
		for _, v := range values {
			if labels[vocab][v] == "" {
				t.Errorf("site/labels/en.json: %q has no label for %q", vocab, v)
			}
		}
	}
	for vocab, m := range labels {
		values, ok := vocabs[vocab]
		if !ok {
			t.Errorf("site/labels/en.json: no vocabulary %q", vocab)
			continue
		}
		for v := range m {
			if !slices.Contains(values, v) {
				t.Errorf("site/labels/en.json: %q has no value %q", vocab, v)
			}
		}
	}
}

// docsNamed lists the project's documents a note names by file.
func docsNamed(note string) []string {
	var out []string
	for _, c := range noteCode.FindAllString(note, -1) {
		if strings.HasPrefix(c, "docs/") {
			out = append(out, c)
		}
	}
	return out
}
