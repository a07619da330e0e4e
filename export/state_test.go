package export_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"oversight/data"
	"oversight/export"
	"oversight/internal/testcls"
	"oversight/ledger"
	"oversight/registry"
	"oversight/store"
	"oversight/synth"
)

// decodedOnly hides a register's stored states from export, which then
// decodes and encodes each deployment as it did before it read them.
type decodedOnly struct{ export.Register }

// TestStatesAsDecoded: a JSON export written from the deployments' stored
// states is the export written by decoding and encoding each deployment,
// byte for byte, and so is a GeoJSON one that passes over the states with
// no latitude undecoded: the whole register, the deployments a filter
// selects, with tiers and without, one of them retracted.
func TestStatesAsDecoded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	key, err := ledger.LoadOrCreateKey(dir, ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "oversight.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	base, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Apply(ctx, base, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Apply(ctx, &registry.Set{Deployments: synth.Batch(base, 7, 0, 300)}, store.Meta{Author: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	// A retracted deployment leaves both lists.
	if _, err := db.Retract(ctx, "deployment", base.Deployments[0].ID, store.Meta{Author: "test", Reason: "a test retraction"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := any(db).(export.StateRegister); !ok {
		t.Fatal("the store does not give export its stored states: this test compares nothing")
	}
	table := testcls.New(t, nil).Table(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
	for _, c := range []struct {
		name   string
		format string
		f      registry.DeploymentFilter
		tiers  export.Tiers
	}{
		{"whole register", "json", registry.DeploymentFilter{}, nil},
		{"whole register, tiers", "json", registry.DeploymentFilter{}, table},
		{"a country, tiers", "json", registry.DeploymentFilter{Jurisdictions: []string{"IN"}}, table},
		{"a technology", "json", registry.DeploymentFilter{Capability: "remote_biometric_identification"}, nil},
		{"GeoJSON, tiers", "geojson", registry.DeploymentFilter{}, table},
		{"GeoJSON of a country", "geojson", registry.DeploymentFilter{Jurisdictions: []string{"IN"}}, nil},
	} {
		var fast, slow bytes.Buffer
		if err := export.Write(ctx, &fast, db, c.format, c.f, c.tiers); err != nil {
			t.Fatal(err)
		}
		if err := export.Write(ctx, &slow, decodedOnly{db}, c.format, c.f, c.tiers); err != nil {
			t.Fatal(err)
		}
		if fast.Len() < 1000 || !bytes.Equal(fast.Bytes(), slow.Bytes()) {
			t.Errorf("%s: %d bytes from stored states, %d decoded; first difference at byte %d", c.name, fast.Len(), slow.Len(), firstDiff(fast.Bytes(), slow.Bytes()))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
