package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const delhiFacts = `schema: observatory.facts/v0
deployment: {jurisdiction: IN}
operator: {type: police, is_law_enforcement_authority: true, is_public_body: true}
system: {capabilities: [remote_biometric_identification]}
identification: {mode: identification, remote: true, timing: real_time}
setting: {spaces: [street_square], publicly_accessible: true}
purposes: [protest_public_order]
`

type classification struct {
	AsOf    string `json:"as_of"`
	Facts   string `json:"facts"`
	Results []struct {
		Framework, Applicability, Tier, Label string
		Rules                                 []struct {
			ID, Citation, Explanation, Status string
			Facts                             map[string]any
		}
		Obligations []struct{ ID, Text, Citation, Rule string }
		Missing     []string
	}
}

// TestClassifyCommand classifies a fact document from a file and from
// standard input, in the shape DESIGN.md gives.
func TestClassifyCommand(t *testing.T) {
	t.Parallel()
	doc := filepath.Join(t.TempDir(), "delhi.yaml")
	os.WriteFile(doc, []byte(delhiFacts), 0o644)
	var c classification
	out := mustRun(t, "classify", "--framework", "eu-ai-act", "--as-of", "2026-11-24", doc)
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if c.AsOf != "2026-11-24" || len(c.Results) != 1 {
		t.Fatalf("as_of %s, %d results", c.AsOf, len(c.Results))
	}
	r := c.Results[0]
	if r.Framework != "eu-ai-act" || r.Applicability != "benchmark_only" || r.Tier != "prohibited" || len(r.Rules) != 1 ||
		r.Rules[0].ID != "EU-AIA-5-1-h" || r.Rules[0].Citation != "Art. 5(1)(h)" || r.Rules[0].Explanation == "" ||
		r.Rules[0].Facts["identification.timing"] != "real_time" || r.Missing == nil {
		t.Errorf("result: %+v", r)
	}

	cmd := exec.Command(binary, "classify")
	cmd.Stdin = strings.NewReader(delhiFacts)
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	c = classification{}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	seen := map[string]bool{}
	for _, r := range c.Results {
		seen[r.Framework] = true
	}
	for _, fw := range []string{"eu-ai-act", "coe-ai-convention", "kr-ai-basic-act", "cn-frt-measures", "in-dpdp-act", "apac-baseline"} {
		if !seen[fw] {
			t.Errorf("classify without --framework: no result under %s", fw)
		}
	}
}

// TestClassifyBadInput checks that a wrong fact document and a broken
// framework are refused with the field, or the file, line and column.
func TestClassifyBadInput(t *testing.T) {
	t.Parallel()
	doc := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(doc, []byte(strings.Replace(delhiFacts, "real_time", "realtime", 1)), 0o644)
	_, errs, err := run(t, "classify", doc)
	if err == nil || !strings.Contains(errs, "bad.yaml:5: /identification/timing: value must be one of 'real_time', 'post', 'both', 'unknown'") {
		t.Errorf("bad enumeration value: %v\n%s", err, errs)
	}

	dir := filepath.Join(t.TempDir(), "mine")
	copyDir(t, "../../frameworks/eu-ai-act", dir)
	rules, _ := os.ReadFile(filepath.Join(dir, "rules.yaml"))
	const right, typo = "facts.setting.publicly_accessible == true", "facts.setting.publicly_accesible == true"
	// The position the error must give is where the typo is in the file,
	// whatever rules come before it: its line, and the column of the dot
	// before the misspelt field, which is where CEL places a selection.
	before, _, found := strings.Cut(string(rules), right)
	if !found {
		t.Fatalf("eu-ai-act's rules.yaml no longer has %q", right)
	}
	line := strings.Count(before, "\n") + 1
	col := len(before) - strings.LastIndex(before, "\n") + len("facts.setting")
	os.WriteFile(filepath.Join(dir, "rules.yaml"), []byte(strings.Replace(string(rules), right, typo, 1)), 0o644)
	_, errs, err = run(t, "classify", "--framework", dir, doc)
	if at := fmt.Sprintf("%s:%d:%d: ", filepath.Join(dir, "rules.yaml"), line, col); err == nil || !strings.Contains(errs, at) || !strings.Contains(errs, "undeclared reference to 'facts.setting.publicly_accesible'") {
		t.Errorf("typo in a rule: want %q in the error", at)
		t.Errorf("typo in a rule: %v\n%s", err, errs)
	}
	_, errs, err = run(t, "classify", "--framework", "eu-ai-akt", doc)
	if err == nil || !strings.Contains(errs, `unknown framework "eu-ai-akt" (known: apac-baseline`) {
		t.Errorf("unknown framework: %v\n%s", err, errs)
	}
}

// TestUserFramework copies a built-in framework as a user would, edits
// it, tests it and simulates it against the register.
func TestUserFramework(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "my-baseline")
	copyDir(t, "../../frameworks/apac-baseline", dir)
	if out := mustRun(t, "frameworks", "test", dir); !strings.Contains(out, "ok\tapac-baseline") {
		t.Errorf("frameworks test: %s", out)
	}
	data := builtinData(t)
	out := mustRun(t, "simulate", "--data", data, "--framework", dir, "--jurisdiction", "PK", "--format", "json")
	var sc struct {
		Framework      string
		Deployments    int
		Changed        int
		Items          []struct{ Deployment, Jurisdiction, Current, Proposed, Change string }
		ByJurisdiction []struct{ Code string } `json:"by_jurisdiction"`
	}
	if err := json.Unmarshal([]byte(out), &sc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if sc.Deployments == 0 || len(sc.Items) != sc.Deployments || len(sc.ByJurisdiction) != 1 || sc.ByJurisdiction[0].Code != "PK" {
		t.Errorf("scenario: %+v", sc)
	}
	for _, it := range sc.Items {
		if it.Jurisdiction != "PK" || it.Current == "" || it.Proposed == "" || it.Change == "" {
			t.Errorf("item %+v", it)
		}
	}
	text := mustRun(t, "simulate", "--data", data, "--framework", "eu-ai-act")
	if !strings.Contains(text, "Scenario: ") || !strings.Contains(text, "JURISDICTION") {
		t.Errorf("text output:\n%s", text)
	}
	// A golden case that no longer holds fails the test command.
	tests := filepath.Join(dir, "tests")
	names, _ := filepath.Glob(filepath.Join(tests, "*.yaml"))
	b, _ := os.ReadFile(names[0])
	os.WriteFile(names[0], []byte(strings.Replace(string(b), "tier: prohibited\n", "tier: minimal_risk\n", 1)), 0o644)
	if out, errs, err := run(t, "frameworks", "test", dir); err == nil || !strings.Contains(out, "FAIL") || !strings.Contains(errs, "tier: got") {
		t.Errorf("a broken golden case passed: %v\n%s%s", err, out, errs)
	}
}

// endless gives bytes of x until n have been read, counting them.
type endless struct{ n, read int }

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.n {
		return 0, io.EOF
	}
	k := min(len(p), e.n-e.read)
	for i := range p[:k] {
		p[i] = 'x'
	}
	e.read += k
	return k, nil
}

// TestClassifyInputBounded gives classify a fact document far over its
// limit on standard input: it is refused naming the limit, after reading
// little more than the limit, instead of being read whole into memory.
func TestClassifyInputBounded(t *testing.T) {
	t.Parallel()
	in := &endless{n: 64 << 20}
	cmd := exec.Command(binary, "classify")
	cmd.Stdin = in
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("a 64 MiB fact document was accepted")
	}
	if want := "at most 1048576"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q does not say %q", stderr.String(), want)
	}
	if in.read > 8<<20 {
		t.Errorf("classify read %d bytes of standard input before refusing it, want little more than 1 MiB", in.read)
	}
}
