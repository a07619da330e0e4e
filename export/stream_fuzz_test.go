package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"oversight/export"
	"oversight/ingest"
	"oversight/registry"
	"oversight/store"
)

// FuzzStreamImportVerifyExport holds `oversight import`'s streamed path
// (ingest.Reader into store.DB.ApplyStream) to FuzzImportVerifyExport's
// property: any JSON or CSV file that imports leaves a register that
// verifies, whose JSON export streams into an empty register and exports
// again to the same bytes; and a file refused writes nothing.
func FuzzStreamImportVerifyExport(f *testing.F) {
	ctx := context.Background()
	key, builtin, template, empty := fuzzRegisters(f)
	// Small seeds: the fuzzer minimises each new input it finds byte by
	// byte, an import and two exports each time.
	some := &registry.Set{Deployments: builtin.Deployments[:1], Claims: builtin.Claims[:1]}
	js, _ := json.Marshal(some)
	f.Add(false, js)
	// Deployments before the vendors they name, which only a stream logs
	// in the file's order.
	f.Add(false, []byte(`{"deployments":[{"id":"x","title":"T","jurisdiction":"SG","vendors":[{"vendor":"new-co","role":"supplier","sources":["a"]}],`+
		`"status":{"value":"unknown"},"certainty":"reported","sources":[{"key":"a","url":"https://example.org"}]}],`+
		`"vendors":[{"id":"new-co","name":"New Co","type":"company","ownership":"unknown"}]}`))
	var csv bytes.Buffer
	if err := export.Write(ctx, &csv, setRegister{some}, "csv", registry.DeploymentFilter{}, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(true, csv.Bytes())

	files := f.TempDir()
	f.Fuzz(func(t *testing.T, isCSV bool, in []byte) {
		name, format := filepath.Join(files, "in.json"), ingest.JSON
		if isCSV {
			name, format = filepath.Join(files, "in.csv"), ingest.CSV
		}
		if err := os.WriteFile(name, in, 0o644); err != nil {
			t.Fatal(err)
		}
		db := openCopy(t, template, key)
		before, err := db.Size(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApplyStream(ctx, ingest.NewReader([]string{name}, format), store.Meta{Author: "fuzz"}, nil); err != nil {
			var ce *store.CheckError
			var el ingest.ErrorList
			if !errors.As(err, &ce) && !errors.As(err, &el) {
				t.Fatalf("refused, but not for the file: %v", err)
			}
			if after, _ := db.Size(ctx); after != before {
				t.Fatalf("a refused file wrote %d revisions", after-before)
			}
			return
		}
		rep, err := db.Verify(ctx)
		if err != nil || !rep.OK() {
			t.Fatalf("verify after an import: %v %v", err, rep.Mismatches)
		}
		first := exportJSON(t, db)
		again := filepath.Join(files, "export.json")
		if err := os.WriteFile(again, first, 0o644); err != nil {
			t.Fatal(err)
		}
		db2 := openCopy(t, empty, key)
		if _, err := db2.ApplyStream(ctx, ingest.NewReader([]string{again}, ingest.JSON), store.Meta{Author: "fuzz"}, nil); err != nil {
			t.Fatalf("the export does not import: %v", err)
		}
		if second := exportJSON(t, db2); !bytes.Equal(first, second) {
			t.Fatalf("export, import, export changed the bytes:\n%s\n%s", first, second)
		}
	})
}
