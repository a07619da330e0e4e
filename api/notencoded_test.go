package api

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"oversight/frameworks"
	"oversight/ingest"
)

// TestExportsLeaveOutUnencoded: the CSV, GeoJSON and JSON exports carry a
// tier for every framework that classifies and none for a law the
// register could not encode, which has no tier to give: an empty or
// default cell under its name would read as the law asking nothing.
func TestExportsLeaveOutUnencoded(t *testing.T) {
	srv, _ := newServer(t, 12)
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	var encoded, unencoded []string
	for _, fw := range fws {
		if fw.Encoded() {
			encoded = append(encoded, fw.ID)
		} else {
			unencoded = append(unencoded, fw.ID)
		}
	}
	if len(unencoded) == 0 {
		t.Fatal("no framework is not encoded: nothing tested")
	}
	_, body := get(t, srv, "/api/v1/export?format=csv")
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	columns := map[string]bool{}
	for _, h := range rows[0] {
		columns[h] = true
	}
	var geo struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	_, body = get(t, srv, "/api/v1/export?format=geojson")
	if err := json.Unmarshal(body, &geo); err != nil || len(geo.Features) == 0 {
		t.Fatalf("geojson: %v, %d features", err, len(geo.Features))
	}
	var js struct {
		Classification struct{ Frameworks []string } `json:"classification"`
	}
	_, body = get(t, srv, "/api/v1/export?format=json")
	if err := json.Unmarshal(body, &js); err != nil {
		t.Fatalf("json: %v", err)
	}
	listed := strings.Join(js.Classification.Frameworks, " ")
	for _, id := range append(encoded, unencoded...) {
		want := !strings.Contains(strings.Join(unencoded, " "), id)
		col := ingest.TierColumnPrefix + id
		_, inGeo := geo.Features[0].Properties[col]
		inJSON := strings.Contains(" "+listed+" ", " "+id+" ")
		if columns[col] != want || inGeo != want || inJSON != want {
			t.Errorf("%s: csv column %v, geojson property %v, json framework listed %v; want %v", id, columns[col], inGeo, inJSON, want)
		}
	}
}
