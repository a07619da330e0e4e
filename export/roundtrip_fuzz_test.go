package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/data"
	"oversight/export"
	"oversight/ingest"
	"oversight/ledger"
	"oversight/registry"
	"oversight/store"
)

// FuzzImportVerifyExport is the property the register rests on: any file
// that imports must leave a register that verifies, whose JSON export
// imports into an empty register and exports again to the same bytes.
//
// A fresh register holds the built-in jurisdictions, instruments and
// vendors, so that deployments and claims of the seeds can refer to them;
// it is copied from a template for each input rather than built again.
func FuzzImportVerifyExport(f *testing.F) {
	ctx := context.Background()
	key, builtin, template, empty := fuzzRegisters(f)

	// Seeds: a few built-in deployments and claims in each format.
	some := &registry.Set{Deployments: builtin.Deployments[:3], Claims: builtin.Claims[:5]}
	js, _ := json.Marshal(some)
	f.Add(uint8(0), js)
	yamlSeed := "deployments:\n  - id: x\n    title: '@T'\n    jurisdiction: SG\n    place: {lat: 0.5, lon: -0.25}\n" +
		"    status: {value: unknown}\n    certainty: reported\n    sources: [{key: a, url: 'https://example.org'}]\n"
	f.Add(uint8(1), []byte(yamlSeed))
	f.Add(uint8(1), []byte(strings.Replace(yamlSeed, "0.5", "-0.0", 1)))
	var csv bytes.Buffer
	if err := export.Write(ctx, &csv, setRegister{some}, "csv", registry.DeploymentFilter{}, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(2), csv.Bytes())
	f.Add(uint8(2), []byte("id,title,jurisdiction,status,certainty,sources\nf,'=1+2,SG,unknown,reported,\"[{\"\"key\"\":\"\"a\"\",\"\"url\"\":\"\"https://e.org\"\"}]\"\n"))
	if sheet, err := os.ReadFile("../../shared/data/aigs-2022/aigs_2022_sheet1.csv"); err == nil {
		f.Add(uint8(3), sheet)
	}

	if extract, err := os.ReadFile("../ingest/testdata/aiddata-gcdf3-extract.csv"); err == nil {
		f.Add(uint8(4), extract)
	}

	formats := []ingest.Format{ingest.JSON, ingest.YAML, ingest.CSV, ingest.AIGS, ingest.AidData}
	f.Fuzz(func(t *testing.T, kind uint8, in []byte) {
		set, src, err := ingest.Parse("fuzz", in, formats[int(kind)%len(formats)])
		if err != nil {
			return
		}
		db := openCopy(t, template, key)
		if ingest.Check(set, src, db.Known(ctx)) != nil {
			return
		}
		if _, err := db.Apply(ctx, set, store.Meta{Author: "fuzz"}, nil); err != nil {
			t.Fatalf("checked, but the import fails: %v", err)
		}
		rep, err := db.Verify(ctx)
		if err != nil || !rep.OK() {
			t.Fatalf("verify after an import: %v %v", err, rep.Mismatches)
		}
		first := exportJSON(t, db)
		again, src, err := ingest.Parse("export.json", first, ingest.JSON)
		if err != nil {
			t.Fatalf("the export does not import: %v", err)
		}
		db2 := openCopy(t, empty, key)
		if err := ingest.Check(again, src, db2.Known(ctx)); err != nil {
			t.Fatalf("the export does not import: %v", err)
		}
		if _, err := db2.Apply(ctx, again, store.Meta{Author: "fuzz"}, nil); err != nil {
			t.Fatal(err)
		}
		if second := exportJSON(t, db2); !bytes.Equal(first, second) {
			t.Fatalf("export, import, export changed the bytes:\n%s\n%s", first, second)
		}
	})
}

// openCopy opens a copy of a register's database, its write-ahead log
// included. The copy is not in t.TempDir(), whose name holds the seed's
// "#", which OpenSQLite would pass on in a URI as a fragment.
func openCopy(t *testing.T, path string, key *ledger.Key) *store.DB {
	dir, err := os.MkdirTemp("", "fuzzregister")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cp := filepath.Join(dir, "r.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cp+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.OpenSQLite(context.Background(), cp, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func exportJSON(t *testing.T, db *store.DB) []byte {
	var b bytes.Buffer
	if err := export.Write(context.Background(), &b, db, "json", registry.DeploymentFilter{}, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// setRegister serves a Set's deployments to export, for the CSV seed.
type setRegister struct{ s *registry.Set }

func (r setRegister) Each(ctx context.Context, kind string, fn func(registry.Entity) error) error {
	for _, e := range r.s.Entities() {
		if e.Kind() == kind {
			if err := fn(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r setRegister) Deployments(ctx context.Context, f registry.DeploymentFilter) (registry.Page[*registry.Deployment], error) {
	return registry.Page[*registry.Deployment]{Items: r.s.Deployments}, nil
}

func (r setRegister) EachDeployment(ctx context.Context, f registry.DeploymentFilter, fn func(*registry.Deployment) error) error {
	for _, d := range r.s.Deployments {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// fuzzRegisters makes, in f's temporary directory, the registers the
// round-trip fuzz targets copy for each input: template holds the built-in
// jurisdictions, instruments and vendors, so that the seeds' deployments
// and claims can refer to them; empty holds nothing. Both are signed with
// key.
func fuzzRegisters(f *testing.F) (key *ledger.Key, builtin *registry.Set, template, empty string) {
	ctx := context.Background()
	dir := f.TempDir()
	key, err := ledger.LoadOrCreateKey(dir, ledger.DefaultOrigin)
	if err != nil {
		f.Fatal(err)
	}
	builtin, err = data.Load()
	if err != nil {
		f.Fatal(err)
	}
	base := &registry.Set{Jurisdictions: builtin.Jurisdictions, Instruments: builtin.Instruments, Vendors: builtin.Vendors}
	template, empty = filepath.Join(dir, "base.db"), filepath.Join(dir, "empty.db")
	for path, set := range map[string]*registry.Set{template: base, empty: {}} {
		db, err := store.OpenSQLite(ctx, path, key)
		if err != nil {
			f.Fatal(err)
		}
		if _, err := db.Apply(ctx, set, store.Meta{Author: "fuzz"}, nil); err != nil {
			f.Fatal(err)
		}
		db.Close()
	}
	return key, builtin, template, empty
}
