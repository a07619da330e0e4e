package export_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"oversight/export"
	"oversight/internal/testcls"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/store"
	"oversight/synth"
)

// classifiedOnly hides a register's tier projection from export, which
// then classifies every deployment it writes, as it did before it read the
// projection.
type classifiedOnly struct{ export.StateRegister }

// countedTiers counts the deployments whose tiers the projection gave
// export.
type countedTiers struct {
	*store.DB
	held *int
}

func (c countedTiers) TierTable(ctx context.Context, ids []string, day string) (*registry.TierTable, bool, error) {
	t, ok, err := c.DB.TierTable(ctx, ids, day)
	for _, id := range ids {
		if _, has := t.Row(id); ok && has {
			*c.held++
		}
	}
	return t, ok, err
}

// TestClassificationFromProjection: a JSON export whose "classification"
// is read from the tier projection is the export that classifies each
// deployment, byte for byte: the whole register and a country, on a day
// before any framework is in force, today and after rules not yet in force;
// on SQLite also with one deployment's projected tiers missing (it is
// classified), and on PostgreSQL.
func TestClassificationFromProjection(t *testing.T) {
	t.Parallel()
	base, _ := testcls.Builtin(t)
	if len(base.Facts) == 0 {
		t.Fatal("the built-in dataset has no fact documents: this test would not read any")
	}
	set := &registry.Set{Jurisdictions: base.Jurisdictions, Vendors: base.Vendors, Instruments: base.Instruments,
		Deployments: append(base.Deployments, synth.Batch(base, 11, 0, 400)...), Facts: base.Facts}
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		path := filepath.Join(dir, "oversight.db")
		db := testreg.OpenAt(t, path, dir, set)
		classificationFromProjection(t, db, func() {
			// One deployment's tiers gone from the projection, behind
			// its back: export classifies it, as one written since.
			gone := base.Deployments[1].ID
			raw, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if res, err := raw.Exec("DELETE FROM deployment_spans WHERE deployment_id = $1", gone); err != nil {
				t.Fatal(err)
			} else if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("%d rows of spans deleted for %s, want 1", n, gone)
			}
		})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		classificationFromProjection(t, testreg.OpenPostgres(t, "exportproj", set), func() {})
	})
}

// classificationFromProjection projects db's tiers as a server does, lets
// damage change the projection, and compares the exports.
func classificationFromProjection(t *testing.T, db *store.DB, damage func()) {
	ctx := context.Background()
	// As a server's: the built-in frameworks, reading the register's fact
	// documents.
	cls := testcls.New(t, nil)
	if cls.Table(time.Now()).TierVersion() != "" {
		t.Fatal("a classifier not yet reading the register's facts names a version: export would read the projection for it")
	}
	if err := cls.SyncFacts(ctx, db); err != nil {
		t.Fatal(err)
	}
	testreg.ProjectTiers(t, db, cls)
	if db.ProjectedTierVersion() != cls.Table(time.Now()).TierVersion() {
		t.Fatal("the projection is not the classifier's: this test compares nothing")
	}
	damage()
	for _, day := range []string{"2019-06-01", "2026-12-08", "2031-01-01"} {
		asOf, _ := time.Parse(time.DateOnly, day)
		table := cls.Table(asOf)
		for _, f := range []registry.DeploymentFilter{{}, {Jurisdictions: []string{"IN"}}} {
			held := 0
			var projected, classified bytes.Buffer
			if err := export.Write(ctx, &projected, countedTiers{db, &held}, "json", f, table); err != nil {
				t.Fatal(err)
			}
			if err := export.Write(ctx, &classified, classifiedOnly{db}, "json", f, table); err != nil {
				t.Fatal(err)
			}
			if held < 50 {
				t.Fatalf("%s, %v: the projection gave export %d deployments' tiers", day, f.Jurisdictions, held)
			}
			if !bytes.Contains(classified.Bytes(), []byte(`"classification"`)) || !bytes.Equal(projected.Bytes(), classified.Bytes()) {
				t.Errorf("%s, %v: %d bytes from the projection, %d classified; first difference at byte %d",
					day, f.Jurisdictions, projected.Len(), classified.Len(), firstDiff(projected.Bytes(), classified.Bytes()))
				i := firstDiff(projected.Bytes(), classified.Bytes())
				t.Logf("projected: %s\nclassified: %s", projected.Bytes()[max(0, i-300):min(projected.Len(), i+200)], classified.Bytes()[max(0, i-300):min(classified.Len(), i+200)])
			}
		}
	}
}
