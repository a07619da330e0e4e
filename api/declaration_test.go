package api

import (
	"encoding/csv"
	"strings"
	"testing"

	"oversight/export"
	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/rules"
)

// TestDeclarationExport: a declaration comes out in each scheme's shape,
// every field in order, answered or null; a police force's live face
// matching would go to the EU database's secure section (AI Act Art.
// 49(4)), which takes Section C points 1 to 3 only; CSV cells are escaped
// against spreadsheet formulas; a record without a declaration, or a
// scheme it does not answer, is not found, and a bad scheme a 400.
func TestDeclarationExport(t *testing.T) {
	set := fixture.Set(3)
	d := set.Deployments[0]
	d.System.Capabilities = []string{"remote_biometric_identification"}
	d.Declaration = &registry.Declaration{By: d.Operator.Name, Date: registry.Date{Year: 2026, Month: 12, Day: 5}, Answers: []registry.Answer{
		{Scheme: "eu-ai-act", Field: "C.1.name", Text: d.Operator.Name},
		{Scheme: "eu-ai-act", Field: "C.4", Text: "=HYPERLINK(\"http://evil\")"},
	}}
	// Post-event face matching by the police, known to be so.
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	facts, err := schema.ParseFacts("facts", []byte(`{"schema": "observatory.facts/v0",
		"deployment": {"id": "`+d.ID+`", "jurisdiction": "`+d.Jurisdiction+`"},
		"operator": {"type": "police", "is_law_enforcement_authority": true, "is_public_body": true},
		"system": {"is_ai_system": true, "capabilities": ["remote_biometric_identification"], "modalities": ["face"]},
		"identification": {"mode": "identification", "remote": true, "timing": "post"},
		"setting": {"publicly_accessible": true}, "purposes": ["criminal_investigation"]}`))
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := serveSet(t, set, map[string]*rules.Facts{d.ID: facts})
	base := "/api/v1/deployments/" + d.ID + "/declaration"

	var sheet export.DeclarationSheet
	getJSON(t, srv, base+"?scheme=eu-ai-act", &sheet)
	if sheet.Scheme != "eu-ai-act" || sheet.DeclaredBy != d.Operator.Name || sheet.Declared != "2026-12-05" || sheet.SelfDeclare {
		t.Errorf("sheet: %+v", sheet)
	}
	if len(sheet.Sections) != 1 || len(sheet.Sections[0].Fields) != 9 {
		t.Fatalf("sections: %+v", sheet.Sections)
	}
	fields := map[string]export.SheetField{}
	for _, f := range sheet.Sections[0].Fields {
		fields[f.ID] = f
	}
	if sheet.Restricted != "yes" {
		t.Errorf("police live face matching: restricted_section %q", sheet.Restricted)
	}
	for id, in := range map[string]bool{"C.1.name": true, "C.3": true, "C.4": false, "C.5": false} {
		if f := fields[id]; f.InRestricted == nil || *f.InRestricted != in {
			t.Errorf("%s in the restricted section: %v, want %v", id, f.InRestricted, in)
		}
	}
	if a := fields["C.1.name"].Answer; a == nil || *a != d.Operator.Name || fields["C.3"].Answer != nil {
		t.Errorf("answers: %+v", fields)
	}
	if strings.Join(sheet.MissingRequired, " ") != "C.1.address C.1.contact C.2.name C.2.address C.2.contact C.3" {
		t.Errorf("missing: %v", sheet.MissingRequired)
	}

	resp, body := get(t, srv, base+"?scheme=eu-ai-act&format=csv")
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %v\n%s", resp.StatusCode, err, body)
	}
	if len(rows) != 10 || rows[8][1] != "C.4" || rows[8][4] != "'=HYPERLINK(\"http://evil\")" {
		t.Errorf("CSV rows: %q", rows)
	}

	for path, want := range map[string]int{
		base + "?scheme=uk-atrs": 404, // not answered
		"/api/v1/deployments/" + set.Deployments[1].ID + "/declaration?scheme=eu-ai-act": 404,
		base + "?scheme=nope":                 400,
		base:                                  400,
		base + "?scheme=eu-ai-act&format=xml": 400,
		base + "?scheme=eu-ai-act&format=":    400,
		"/api/v1/deployments/nope/declaration?scheme=eu-ai-act": 404,
	} {
		if resp, b := get(t, srv, path); resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d\n%s", path, resp.StatusCode, want, b)
		}
	}
}
