package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNotEncodedCommands: the commands name a law the register could not
// encode as such: listed, tested and classified as "not encoded", refused
// as a scenario or a mutation target, and shown beside its country in a
// scenario, never as "(none in the register)".
func TestNotEncodedCommands(t *testing.T) {
	t.Parallel()
	const id, dir = "bd-pdp-ordinance", "../../frameworks/bd-pdp-ordinance"
	if out := mustRun(t, "frameworks"); !strings.Contains(out, id) || !strings.Contains(out, "not encoded") {
		t.Errorf("frameworks lists no law not encoded:\n%s", out)
	}
	if out := mustRun(t, "frameworks", "test", dir); !strings.Contains(out, "ok\t"+id+": not encoded") {
		t.Errorf("frameworks test: %s", out)
	}
	if _, errs, err := run(t, "frameworks", "mutate", id); err == nil || !strings.Contains(errs, "not encoded") {
		t.Errorf("frameworks mutate %s: %v %s", id, err, errs)
	}
	facts := filepath.Join(t.TempDir(), "facts.json")
	os.WriteFile(facts, []byte(`{"schema": "observatory.facts/v0", "deployment": {"jurisdiction": "BD"}}`), 0o644)
	var cl struct {
		Results []map[string]any
	}
	if err := json.Unmarshal([]byte(mustRun(t, "classify", "--framework", dir, facts)), &cl); err != nil || len(cl.Results) != 1 {
		t.Fatalf("classify: %v %+v", err, cl)
	}
	if r := cl.Results[0]; r["applicability"] != "not_encoded" || r["tier"] != nil {
		t.Errorf("classify under a law not encoded: %v", r)
	}
	data := builtinData(t)
	if _, errs, err := run(t, "simulate", "--data", data, "--framework", id); err == nil || !strings.Contains(errs, "is not encoded") {
		t.Errorf("simulate %s: %v %s", id, err, errs)
	}
	text := mustRun(t, "simulate", "--data", data, "--framework", "eu-ai-act", "--jurisdiction", "BD")
	if !strings.Contains(text, id+" (not encoded)") || strings.Contains(text, "(none in the register)") {
		t.Errorf("simulate in BD:\n%s", text)
	}
}
