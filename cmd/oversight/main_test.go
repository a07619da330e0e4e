package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testenv"
	"oversight/ledger"
	"oversight/store"
)

// binary is the oversight command built once for the tests that run it as
// a separate process; tmp holds it and the built-in register's template.
var binary, tmp string

func TestMain(m *testing.M) {
	var err error
	if tmp, err = os.MkdirTemp("", "oversight-bin"); err != nil {
		panic(err)
	}
	binary = filepath.Join(tmp, "oversight")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, err := run(t, args...)
	if err != nil {
		t.Fatalf("oversight %s: %v\n%s%s", strings.Join(args, " "), err, out, errs)
	}
	return out
}

// builtinTemplate is a data directory that the first start filled with the
// built-in register, made once for the package by builtinData.
var builtinTemplate = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(tmp, "builtin")
	out, err := exec.Command(binary, "verify", "--data", dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "verify: OK") {
		return "", fmt.Errorf("creating the built-in register: %v\n%s", err, out)
	}
	return dir, nil
})

// builtinData returns a new data directory holding the built-in register:
// a copy of one filled once, rather than a register filled again by every
// test that starts from it.
func builtinData(t *testing.T) string {
	t.Helper()
	tmpl, err := builtinTemplate()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyDir(t, tmpl, dir)
	return dir
}

// copyDir copies the files under from to to, keeping their modes.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExportImportRoundTrip exports the built-in register, imports the
// export into an empty register and checks that exporting that gives the
// same bytes, and that both verify.
func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	a, b := builtinData(t), t.TempDir()
	first := filepath.Join(t.TempDir(), "register.json")
	mustRun(t, "export", "--data", a, "--format", "json", "-o", first)
	mustRun(t, "import", "--data", b, "--no-builtin", first)
	second := mustRun(t, "export", "--data", b, "--format", "json")
	want, _ := os.ReadFile(first)
	if second != string(want) {
		t.Fatal("the re-exported register differs from the export it was imported from")
	}
	var set struct{ Deployments, Jurisdictions []json.RawMessage }
	if err := json.Unmarshal(want, &set); err != nil || len(set.Deployments) == 0 {
		t.Fatalf("export: %v, %d deployments", err, len(set.Deployments))
	}
	for _, dir := range []string{a, b} {
		if out := mustRun(t, "verify", "--data", dir); !strings.Contains(out, "verify: OK") {
			t.Errorf("verify %s: %s", dir, out)
		}
	}
	// The CSV and GeoJSON exports are well formed.
	csv := mustRun(t, "export", "--data", a, "--format", "csv")
	if rows := strings.Count(csv, "\n"); rows < len(set.Deployments)+1 {
		t.Errorf("csv has %d lines for %d deployments", rows, len(set.Deployments))
	}
	var fc struct{ Type string }
	if err := json.Unmarshal([]byte(mustRun(t, "export", "--data", a, "--format", "geojson")), &fc); err != nil || fc.Type != "FeatureCollection" {
		t.Errorf("geojson: %v %q", err, fc.Type)
	}
}

// TestMalformedImportChangesNothing imports files with errors and checks
// that each is refused with file, line and field, and nothing is written.
func TestMalformedImportChangesNothing(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	before := mustRun(t, "export", "--data", dir, "--format", "json")
	files := map[string]struct{ body, want string }{
		"syntax.yaml":       {"deployments:\n  - id: x\n    title: [unclosed\n", "syntax.yaml:3"},
		"enum.yaml":         {"deployments:\n  - id: pk-test\n    title: T\n    jurisdiction: PK\n    status: {value: live}\n    certainty: documented\n    sources: [{key: a, url: 'https://example.org/a'}]\n", "enum.yaml:5: deployments[0].status.value"},
		"nosource.yaml":     {"deployments:\n  - id: pk-test\n    title: T\n    jurisdiction: PK\n    status: {value: unknown}\n    certainty: documented\n", "nosource.yaml:2: deployments[0].sources: deployment \"pk-test\": at least one source is required"},
		"date.yaml":         {"deployments:\n  - id: pk-test\n    title: T\n    jurisdiction: PK\n    status: {value: unknown}\n    certainty: documented\n    dates: [{event: live, date: 2019-02-30, sources: [a]}]\n    sources: [{key: a, url: 'https://example.org/a'}]\n", "date.yaml:7: deployments[0].dates[0].date"},
		"duplicate.yaml":    {"vendors:\n  - {id: v-one, name: V, type: company, ownership: unknown}\n  - {id: v-one, name: W, type: company, ownership: unknown}\n", "duplicate.yaml:3: vendors[1].id"},
		"unknownref.yaml":   {"deployments:\n  - id: pk-test\n    title: T\n    jurisdiction: ZZ\n    status: {value: unknown}\n    certainty: documented\n    sources: [{key: a, url: 'https://example.org/a'}]\n", "unknownref.yaml:4: deployments[0].jurisdiction"},
		"unknownfield.json": {"{\"deployments\": [{\"id\": \"pk-test\", \"titel\": \"T\"}]}", "unknownfield.json:1"},
	}
	for name, f := range files {
		path := filepath.Join(t.TempDir(), name)
		os.WriteFile(path, []byte(f.body), 0o644)
		_, stderr, err := run(t, "import", "--data", dir, path)
		if err == nil {
			t.Errorf("%s was accepted", name)
			continue
		}
		if !strings.Contains(stderr, f.want) {
			t.Errorf("%s: error does not name %q:\n%s", name, f.want, stderr)
		}
	}
	// A batch with one bad record among good ones writes none of them.
	good := fixture.Deployment(1, "PK", "huawei")
	bad := fixture.Deployment(2, "PK", "huawei")
	bad.Certainty = "rumoured"
	body, _ := json.Marshal(map[string]any{"deployments": []any{good, bad}})
	path := filepath.Join(t.TempDir(), "half.json")
	os.WriteFile(path, body, 0o644)
	if _, stderr, err := run(t, "import", "--data", dir, path); err == nil || !strings.Contains(stderr, "deployments[1].certainty") || !strings.Contains(stderr, "allowed: documented, reported, unconfirmed") {
		t.Errorf("half-bad batch: %v\n%s", err, stderr)
	}
	if after := mustRun(t, "export", "--data", dir, "--format", "json"); after != before {
		t.Error("a refused import changed the register")
	}
	mustRun(t, "verify", "--data", dir)
}

// TestImportAIGS imports the original AIGS 2022 sheet into the built-in
// register, whose claims were transcribed from it: nothing changes.
func TestImportAIGS(t *testing.T) {
	t.Parallel()
	sheet := testenv.Shared(t, "data/aigs-2022/aigs_2022_sheet1.csv")
	out := mustRun(t, "import", "--data", builtinData(t), "--format", "aigs", sheet)
	if !strings.Contains(out, "0 created, 0 updated, 256 unchanged") {
		t.Errorf("import --format aigs: %s", out)
	}
}

// TestImportAidData imports three rows of AidData's GCDF 3.0 table into
// the built-in register: three deployments, each carrying its origin and
// licence, in a log that verifies; the same file again changes nothing.
func TestImportAidData(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	extract := filepath.Join("..", "..", "ingest", "testdata", "aiddata-gcdf3-extract.csv")
	if out := mustRun(t, "import", "--data", dir, "--format", "aiddata", extract); !strings.Contains(out, "3 created, 0 updated, 0 unchanged") {
		t.Errorf("import --format aiddata: %s", out)
	}
	if out := mustRun(t, "import", "--data", dir, "--format", "aiddata", extract); !strings.Contains(out, "0 created, 0 updated, 3 unchanged") {
		t.Errorf("import --format aiddata again: %s", out)
	}
	mustRun(t, "verify", "--data", dir)
	out := mustRun(t, "export", "--data", dir, "--format", "json")
	for _, want := range []string{`"id": "ph-aiddata-63248"`, `"licence": "ODC-By-1.0"`, `"row_url": "https://china.aiddata.org/projects/63248"`} {
		if !strings.Contains(out, want) && !strings.Contains(strings.ReplaceAll(out, `":"`, `": "`), want) {
			t.Errorf("the export lacks %s", want)
		}
	}
}

// TestVerifyCheckpointFlag passes a saved checkpoint to verify: the
// current one passes, one with an altered size is refused as unsigned.
func TestVerifyCheckpointFlag(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	mustRun(t, "verify", "--data", dir)
	key, err := ledger.LoadOrCreateKey(dir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "oversight.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	signed, cp, err := db.Checkpoint(context.Background())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "checkpoint")
	os.WriteFile(good, signed, 0o644)
	mustRun(t, "verify", "--data", dir, "--checkpoint", good)

	forged := filepath.Join(t.TempDir(), "forged")
	os.WriteFile(forged, bytes.Replace(signed, []byte(fmt.Sprintf("\n%d\n", cp.Size)), []byte(fmt.Sprintf("\n%d\n", cp.Size+1)), 1), 0o644)
	if _, stderr, err := run(t, "verify", "--data", dir, "--checkpoint", forged); err == nil || !strings.Contains(stderr, "signature") {
		t.Errorf("a forged checkpoint was accepted: %v %s", err, stderr)
	}
}

// TestVerifyStorageAndStages runs verify with and without --storage: only
// with it does it say SQLite's file was checked, and without it a note
// says it was not; -v prints each check's wall time and rows.
func TestVerifyStorageAndStages(t *testing.T) {
	t.Parallel()
	dir := builtinData(t)
	out := mustRun(t, "verify", "--data", dir, "-v")
	for _, want := range []string{"verify: note: SQLite's file itself (its pages, and each index against its table) was not checked", "rows: log: revisions read", "rows: storage: the search indexes", "rows: deployment_words"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify -v lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "file itself is sound") {
		t.Errorf("verify without --storage says the file was checked:\n%s", out)
	}
	out = mustRun(t, "verify", "--data", dir, "--storage")
	if !strings.Contains(out, "verify: SQLite's file itself is sound") || strings.Contains(out, "was not checked") || strings.Contains(out, "verify: stage:") {
		t.Errorf("verify --storage:\n%s", out)
	}
}
