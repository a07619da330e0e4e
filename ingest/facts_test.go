package ingest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/ingest"
)

// TestFactDocument checks that a file holding one fact document, YAML or
// JSON, reads as a set of one FactDoc, and that one the schema refuses is
// refused naming the file, the field and, in YAML, its line.
func TestFactDocument(t *testing.T) {
	good, err := os.ReadFile("../data/facts/au-bunnings-store-face-recognition.yaml")
	if err != nil {
		t.Fatal(err)
	}
	set, _, err := ingest.Parse("bunnings.yaml", good, ingest.YAML)
	if err != nil || len(set.Facts) != 1 || set.Facts[0].ID != "au-bunnings-store-face-recognition" || len(set.Entities()) != 1 {
		t.Fatalf("a fact document: %v, %+v; want one FactDoc", err, set)
	}
	state, err := set.Facts[0].MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	set, _, err = ingest.Parse("bunnings.json", state, ingest.JSON)
	if err != nil || len(set.Facts) != 1 {
		t.Fatalf("the document as JSON: %v", err)
	}

	bad := "schema: observatory.facts/v0\ndeployment:\n  id: x\noperator:\n  type: wizard\n"
	_, _, err = ingest.Parse("bad.yaml", []byte(bad), ingest.YAML)
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:5") || !strings.Contains(err.Error(), "operator.type") {
		t.Errorf("a fact document with an unknown operator type: %v; want bad.yaml:5 naming operator.type", err)
	}
	_, _, err = ingest.Parse("bad.json", []byte(`{"schema":"observatory.facts/v0","deployment":{"id":"x"},"identification":{"timing":"soon"}}`), ingest.JSON)
	if err == nil || !strings.Contains(err.Error(), "identification.timing") {
		t.Errorf("a JSON fact document with an unknown timing: %v; want identification.timing named", err)
	}

	// The streaming reader `oversight import` uses reads a JSON fact
	// document whole, and names the field of one it refuses.
	dir := t.TempDir()
	name := filepath.Join(dir, "facts.json")
	if err := os.WriteFile(name, []byte(`{"schema":"observatory.facts/v0","deployment":{"id":"x"},"operator":{"type":"wizard"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := ingest.NewReader([]string{name}, "")
	defer r.Close()
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "operator.type") {
		t.Errorf("streaming a refused fact document: %v; want operator.type named", err)
	}
}
