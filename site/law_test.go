package site

import (
	"strings"
	"testing"
	"time"

	"oversight/data"
	"oversight/frameworks"
	"oversight/registry"
	"oversight/rules"
)

// TestLawOf: a country a framework binds lists it, saying when its text
// was not read; a country with a law the register has not encoded says
// so, rather than "no law".
func TestLawOf(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	bound, unread, unencoded := lawOf(&registry.Jurisdiction{Code: "VN"}, fws, time.Now())
	if len(bound) == 0 || len(unread) != 0 || len(unencoded) != 0 {
		t.Fatalf("VN: %v, %v, %v", bound, unread, unencoded)
	}
	for _, b := range bound {
		if b.ID == "vn-pdpl" && !b.Secondary {
			t.Error("vn-pdpl was encoded from secondary sources only, and the page must say so")
		}
	}
	j := &registry.Jurisdiction{Code: "XX", Safeguards: []registry.Safeguard{
		{Kind: "data_protection_law", Status: "yes", Name: "A Data Act"}, {Kind: "ai_law", Status: "no"}, {Kind: "biometric_rules", Status: "partial"},
	}}
	bound, unread, unencoded = lawOf(j, fws, time.Now())
	if len(bound) != 0 || len(unread) != 0 || len(unencoded) != 2 || unencoded[0].Name != "A Data Act" {
		t.Errorf("XX: %v, %v, %v", bound, unread, unencoded)
	}
	// A law with a framework file that is not encoded is named from it,
	// with the legal text itself as the source to open where one was found.
	j.Code = "LA"
	bound, unread, unencoded = lawOf(j, fws, time.Now())
	if len(bound) != 0 || len(unread) != 1 || len(unencoded) != 0 || unread[0].ID != "la-edp-law" ||
		unread[0].Source.Read != "primary" || len(unread[0].Reasons) == 0 || unread[0].Explanation == "" {
		t.Errorf("LA: %v, %+v, %v", bound, unread, unencoded)
	}
}

// TestComing: a result whose rules hold but are not in force yet names
// the most severe of them and its date, which the page shows beside
// today's tier.
func TestComing(t *testing.T) {
	f := policeFaceID(t, "PK", "post", "criminal_investigation")
	fws, _ := frameworks.Load()
	for _, fw := range fws {
		if fw.ID != "eu-ai-act" {
			continue
		}
		res := fw.Evaluate(f, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
		c := rules.Coming(res.Later)
		if res.Tier == rules.HighRisk || c == nil || c.Tier != rules.HighRisk || c.Rule().EffectiveFrom != "2027-12-02" {
			t.Fatalf("today %s; coming %+v", res.Tier, c)
		}
		if a := c.Rule().Citation.Article; !strings.Contains(a, "Annex III") {
			t.Errorf("coming cites %q", a)
		}
	}
	if rules.Coming(nil) != nil {
		t.Error("nothing coming, yet something")
	}
}

// TestUnencodedLawSaysWhy holds the built-in register to issue 15's rule
// for a binding law the register cannot encode: every jurisdiction whose
// profile records a data-protection, biometric or AI law (a law, regulation
// or code, not a policy) either has a framework binding it (encoded, or a
// not_encoded file saying why), or the profile says why the law is not
// encoded, which the country page shows beside "encodes none of its law".
func TestUnencodedLawSaysWhy(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	binding := map[string]bool{"law": true, "regulation": true, "code": true}
	types := map[string]string{}
	for _, in := range set.Instruments {
		types[in.ID] = in.Type
	}
	unencoded := 0
	for _, j := range set.Jurisdictions {
		bound, unread, laws := lawOf(j, fws, time.Now())
		if len(bound) > 0 || len(unread) > 0 {
			continue // a framework file names the law, and says why if it is not encoded
		}
		// One law may stand behind several safeguards (Turkmenistan's is its
		// data-protection law and its biometric rules): one note suffices.
		why := map[string]bool{}
		for _, sg := range laws {
			why[lawKey(sg)] = why[lawKey(sg)] || strings.Contains(strings.ToLower(sg.Note), "not encoded")
		}
		for _, sg := range laws {
			if sg.Instrument != "" && !binding[types[sg.Instrument]] {
				continue
			}
			unencoded++
			if !why[lawKey(sg)] {
				t.Errorf("%s: %s %q binds here, no framework encodes it, and no note on it says why", j.Code, sg.Kind, sg.Name)
			}
		}
	}
	if unencoded == 0 {
		t.Log("every jurisdiction with a binding law has a framework")
	}
}

// lawKey names the law behind a safeguard: its instrument, or its name
// where the register holds no instrument for it.
func lawKey(sg registry.Safeguard) string {
	if sg.Instrument != "" {
		return sg.Instrument
	}
	return "name:" + sg.Name
}

// policeFaceID is the fact document of a police force's face
// identification at a distance in a public place, in a jurisdiction, live
// or after the event (timing), for one purpose.
func policeFaceID(t *testing.T, jurisdiction, timing, purpose string) *rules.Facts {
	t.Helper()
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	f, err := schema.ParseFacts("facts", []byte(`{"schema": "observatory.facts/v0", "deployment": {"jurisdiction": "`+jurisdiction+`"},
		"operator": {"type": "police", "is_law_enforcement_authority": true, "is_public_body": true},
		"system": {"is_ai_system": true, "capabilities": ["remote_biometric_identification"], "modalities": ["face"]},
		"identification": {"mode": "identification", "remote": true, "timing": "`+timing+`"},
		"setting": {"publicly_accessible": true}, "purposes": ["`+purpose+`"]}`))
	if err != nil {
		t.Fatal(err)
	}
	return f
}
