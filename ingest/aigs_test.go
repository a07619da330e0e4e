package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"oversight/internal/testenv"
	"oversight/registry"
)

var update = flag.Bool("update", false, "rewrite ../data/claims/aigs-2022.yaml from the AIGS CSV")

const aigsClaims = "../data/claims/aigs-2022.yaml"

// aigsCSV returns the path of the original sheet 1 CSV, in the shared data
// beside the repository.
func aigsCSV(t *testing.T) string {
	t.Helper()
	return testenv.Shared(t, "data/aigs-2022/aigs_2022_sheet1.csv")
}

// readAIGS parses the original sheet 1 CSV.
func readAIGS(t *testing.T) (*registry.Set, *Source) {
	t.Helper()
	path := aigsCSV(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	set, src, err := Parse(path, data, AIGS)
	if err != nil {
		t.Fatal(err)
	}
	return set, src
}

// claimsOf indexes claims by jurisdiction and indicator.
func claimsOf(set *registry.Set) map[string]map[string]*registry.Claim {
	out := map[string]map[string]*registry.Claim{}
	for _, c := range set.Claims {
		if out[c.Jurisdiction] == nil {
			out[c.Jurisdiction] = map[string]*registry.Claim{}
		}
		out[c.Jurisdiction][c.Indicator] = c
	}
	return out
}

// TestAIGSOriginal checks the figures of shared/reference/deployments.md
// against the import of the original file, and that every claim is valid.
func TestAIGSOriginal(t *testing.T) {
	set, _ := readAIGS(t)
	byCC := claimsOf(set)
	want := []string{"AU", "BD", "CN", "HK", "ID", "IN", "JP", "KG", "KH", "KP", "KR", "KZ", "LA", "LK",
		"MM", "MN", "MY", "NZ", "PG", "PH", "PK", "SG", "TH", "TJ", "TW", "UZ", "VN"}
	var got []string
	for cc := range byCC {
		got = append(got, cc)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("countries = %v (%d), want %v (27)", got, len(got), want)
	}
	for ind, n := range map[string]int{
		"safe_city_system":          18,
		"facial_recognition_system": 23,
		"smart_policing":            18,
		"social_media_surveillance": 16,
	} {
		count := 0
		for cc, m := range byCC {
			c := m[ind]
			if c == nil {
				t.Errorf("%s has no %s claim", cc, ind)
				continue
			}
			if c.Value == true {
				count++
			} else if c.Note != blankNote {
				t.Errorf("%s: false value has note %q", c.ID, c.Note)
			}
		}
		if count != n {
			t.Errorf("%s true in %d countries, want %d", ind, count, n)
		}
	}
	if errs := set.Check(func(kind, id string) bool { return kind == "jurisdiction" }); len(errs) > 0 {
		for _, e := range errs {
			t.Error(e)
		}
	}
	for _, c := range set.Claims {
		if want := fmt.Sprintf("aigs-2022-%s-%s", strings.ToLower(c.Jurisdiction), strings.ReplaceAll(c.Indicator, "_", "-")); c.ID != want {
			t.Errorf("id %q, want %q", c.ID, want)
		}
	}
}

// TestAIGSSamples checks three rows quoted in deployments.md, value by value.
func TestAIGSSamples(t *testing.T) {
	set, _ := readAIGS(t)
	byCC := claimsOf(set)
	tests := map[string]map[string]any{
		// Malaysia,EAP,…,EA,…,x,4,x,x,x,x,1,,"Malaysia, Israel, Japan",Huawei,Yitu,NEC,IBM,
		"MY": {
			"safe_city_system": true, "facial_recognition_system": true, "smart_policing": true, "social_media_surveillance": true,
			"vendors":    []any{"Huawei", "Yitu", "NEC", "IBM"},
			"china_tech": true, "us_tech": false,
			"other_countries":      []any{"Malaysia", "Israel", "Japan"},
			"belt_and_road_member": true, "regime_type": "electoral_autocracy",
		},
		// Pakistan,SCA,…,EA,…,x,41,x,x,x,x,1,,Canada,Huawei,Sandvine,,,
		"PK": {
			"safe_city_system": true, "facial_recognition_system": true, "smart_policing": true, "social_media_surveillance": true,
			"vendors":    []any{"Huawei", "Sandvine"},
			"china_tech": true, "us_tech": false,
			"other_countries":      []any{"Canada"},
			"belt_and_road_member": true, "regime_type": "electoral_autocracy",
		},
		// Philippines,EAP,…,EA,…,x,28,x,x,x,x,1,1,"Israel, Philippines",Huawei,CITCC,IBM,Boeing,Verint
		"PH": {
			"safe_city_system": true, "facial_recognition_system": true, "smart_policing": true, "social_media_surveillance": true,
			"vendors":    []any{"Huawei", "CITCC", "IBM", "Boeing", "Verint"},
			"china_tech": true, "us_tech": true,
			"other_countries":      []any{"Israel", "Philippines"},
			"belt_and_road_member": true, "regime_type": "electoral_autocracy",
		},
	}
	for cc, want := range tests {
		got := map[string]any{}
		for ind, c := range byCC[cc] {
			got[ind] = c.Value
			if c.Dataset != "aigs-2022" || len(c.Sources) != 1 || c.Sources[0] != aigsSource {
				t.Errorf("%s: dataset %q, sources %+v", c.ID, c.Dataset, c.Sources)
			}
			if wantPeriod := map[bool]string{true: "2021", false: "2012-2022"}[ind == "regime_type"]; c.Period != wantPeriod {
				t.Errorf("%s: period %q, want %q", c.ID, c.Period, wantPeriod)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", cc, got, want)
		}
	}
}

// TestAIGSSouthKorea checks the repaired Other Countries cell, the blank
// Company 1 and that the note quotes what the file holds.
func TestAIGSSouthKorea(t *testing.T) {
	set, _ := readAIGS(t)
	kr := claimsOf(set)["KR"]
	oc := kr["other_countries"]
	if oc == nil {
		t.Fatal("no other_countries claim for KR")
	}
	if want := []any{"South Korea", "Sweden", "Russia"}; !reflect.DeepEqual(oc.Value, want) {
		t.Errorf("KR other_countries = %#v, want %#v", oc.Value, want)
	}
	if !strings.Contains(oc.Note, "South KorElectoral Autocracy, SwElectoral Democracyen, Russia") {
		t.Errorf("KR other_countries note does not quote the raw cell: %q", oc.Note)
	}
	if want := []any{"Korea Telecom", "SK Telecom", "LG Uplus", "Axxonsoft"}; !reflect.DeepEqual(kr["vendors"].Value, want) {
		t.Errorf("KR vendors = %#v, want %#v", kr["vendors"].Value, want)
	}
	if my := claimsOf(set)["MY"]["other_countries"]; strings.Contains(my.Note, "artefact") {
		t.Errorf("MY note mentions a repair it did not need: %q", my.Note)
	}
}

// TestRepairAIGSText checks the undo of the find-and-replace artefact on
// both corrupted cells, and that it leaves text alone where the names are
// used as names.
func TestRepairAIGSText(t *testing.T) {
	for in, want := range map[string]string{
		"UnitElectoral Democracy States of AmeriClosed Autocracy":       "United States of America",
		"South KorElectoral Autocracy, SwElectoral Democracyen, Russia": "South Korea, Sweden, Russia",
		"V-Dem Electoral Democracy Index 2021":                          "V-Dem Electoral Democracy Index 2021",
		"Closed Autocracy":                                              "Closed Autocracy",
		"from Electoral Autocracy to Electoral Democracy":               "from Electoral Autocracy to Electoral Democracy",
		"Israel, Japan": "Israel, Japan",
		"":              "",
	} {
		if got := repairAIGSText(in); got != want {
			t.Errorf("repairAIGSText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAIGSLocate checks that a claim's path maps to its row's line.
func TestAIGSLocate(t *testing.T) {
	set, src := readAIGS(t)
	for i, c := range set.Claims {
		if c.ID != "aigs-2022-my-vendors" {
			continue
		}
		file, line, _ := src.Locate(fmt.Sprintf("claims[%d].value", i))
		if want := aigsCSV(t); file != want || line != 32 { // Malaysia is line 32 of the file
			t.Errorf("Locate = %s:%d, want %s:32", file, line, want)
		}
		return
	}
	t.Fatal("no claim aigs-2022-my-vendors")
}

// aigsFixture returns the original file with edit applied to its text.
func aigsFixture(t *testing.T, edit func(string) string) []byte {
	t.Helper()
	data, err := os.ReadFile(aigsCSV(t))
	if err != nil {
		t.Fatal(err)
	}
	out := edit(string(data))
	if out == string(data) {
		t.Fatal("fixture edit changed nothing")
	}
	return []byte(out)
}

// firstError returns the first *Error of a Parse error.
func firstError(t *testing.T, err error) *Error {
	t.Helper()
	var l ErrorList
	if !errors.As(err, &l) || len(l) == 0 {
		t.Fatalf("error %v (%T) is not a non-empty ErrorList", err, err)
	}
	return l[0]
}

// TestAIGSMalformed checks that bad files are refused with file, line,
// field and, where they are closed, the allowed values.
func TestAIGSMalformed(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string
		line    int
		field   string
		msg     string
		allowed string
	}{
		{"missing column",
			func(s string) string { return strings.Replace(s, ",Smart Policing,", ",", 1) },
			1, "Smart Policing", `missing column "Smart Policing"`, "Safe City System"},
		{"renamed column",
			func(s string) string { return strings.Replace(s, ",US Tech,", ",USA Tech,", 1) },
			1, "US Tech", `unexpected "USA Tech"`, "China Tech"},
		{"unknown country",
			func(s string) string { return strings.Replace(s, "\nLaos,EAP,", "\nLao PDR,EAP,", 1) },
			6, "Country", `"Lao PDR"`, ""},
		{"bad marker",
			func(s string) string {
				return strings.Replace(s, "Pakistan,SCA,0.36299999999999999,EA,0.65406811237335205,NOT FREE,25,11375.525626091723,20,x,41,x,",
					"Pakistan,SCA,0.36299999999999999,EA,0.65406811237335205,NOT FREE,25,11375.525626091723,20,x,41,yes,", 1)
			},
			34, "Safe City System", `"yes"`, "x"},
		{"bad regime",
			func(s string) string {
				return strings.Replace(s, "\nJapan,EAP,0.83499999999999996,LD,", "\nJapan,EAP,0.83499999999999996,XX,", 1)
			},
			88, "V-Dem Regime Type 2021", `"XX"`, "LD"},
		{"artefact not undone",
			func(s string) string {
				return strings.Replace(s, "20,x,41,x,x,x,x,1,,Canada,", "20,x,41,x,x,x,x,1,,Electoral DemocracyCanada,", 1)
			},
			34, "Other Countries", "could not be undone", ""},
		{"short row",
			func(s string) string { return strings.Replace(s, "LG Uplus,Axxonsoft", "LG Uplus", 1) },
			91, "", "wrong number of fields", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse("bad.csv", aigsFixture(t, tt.edit), AIGS)
			if err == nil {
				t.Fatal("no error")
			}
			e := firstError(t, err)
			if e.File != "bad.csv" || (tt.line > 0 && e.Line != tt.line) || e.Field != tt.field {
				t.Errorf("error at %s:%d field %q, want bad.csv:%d field %q: %v", e.File, e.Line, e.Field, tt.line, tt.field, e)
			}
			if !strings.Contains(e.Error(), tt.msg) || (tt.allowed != "" && !slices.Contains(e.Allowed, tt.allowed)) {
				t.Errorf("error %q should say %q and allow %q", e, tt.msg, tt.allowed)
			}
		})
	}
}

// TestAIGSClaimsFile checks that the committed claims file is the import
// of the original CSV; go test ./ingest/ -run TestAIGSClaimsFile -update
// rewrites it.
func TestAIGSClaimsFile(t *testing.T) {
	set, _ := readAIGS(t)
	if *update {
		b, err := aigsClaimsYAML(set)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(aigsClaims, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(aigsClaims)
	if err != nil {
		t.Fatalf("%v (run go test ./ingest/ -run TestAIGSClaimsFile -update)", err)
	}
	got, _, err := Parse(aigsClaims, data, YAML)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, set) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(set, "", " ")
		t.Errorf("%s is not the import of %s; run with -update\n%s", aigsClaims, aigsCSV(t), firstDiff(string(g), string(w)))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: file has %q, import gives %q", i+1, gl, wl)
		}
	}
	return "(same JSON; types differ)"
}

// aigsClaimsYAML renders the claims file with a header naming its source,
// its licence and how it is made.
func aigsClaimsYAML(set *registry.Set) ([]byte, error) {
	body, err := yaml.MarshalWithOptions(set, yaml.IndentSequence(true))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`# GENERATED by go test ./ingest/ -run TestAIGSClaimsFile -update; do not edit.
# Country-level claims for the 27 Asia-Pacific (EAP and SCA) countries of
# sheet 1 of the AI & Big Data Global Surveillance Index (2022 updated),
# read from shared/data/aigs-2022/aigs_2022_sheet1.csv by ingest.parseAIGS.
#
# Source: Feldstein, Steven (2022), "AI & Big Data Global Surveillance Index
# (2022 updated)", Mendeley Data, V4, doi: 10.17632/gjhf5y4xjp.4,
# https://data.mendeley.com/datasets/gjhf5y4xjp/4. Carnegie Endowment for
# International Peace. Licensed CC BY 4.0
# (https://creativecommons.org/licenses/by/4.0/).
# Changes: converted to CSV; Asia-Pacific rows only; cells recast as claims;
# South Korea's "Other Countries" cell, corrupted by a find-and-replace in
# the workbook, repaired (its note quotes the original). Regime types are
# V-Dem's (Varieties of Democracy) 2021 values as carried by the index.
`)
	b.Write(body)
	return b.Bytes(), nil
}
