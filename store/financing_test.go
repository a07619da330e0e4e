package store

import (
	"context"
	"reflect"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// financed returns the i-th fixture deployment with n financing entries:
// lent by vendor-a, by no one, by vendor-b (which the deployment names as
// prime); with amounts in 2021 USD, in another currency, and none.
func financed(i, n int) *registry.Deployment {
	d := fixture.Deployment(i, []string{"PK", "PH", "KZ"}[i%3], "vendor-b")
	for k := range n {
		f := registry.Financing{Instrument: "concessional_loan", Sources: []string{"a"}}
		switch k % 4 {
		case 0:
			usd, amount := 1234567.89+float64(k), 0.1*float64(k+1)
			f.Lender, f.Amount, f.Currency, f.Year, f.AmountUSD2021, f.AidDataID = "vendor-a", &amount, "CNY", 2015+k, &usd, 90000+k
		case 1:
			amount := 3e6 / 7
			f.Instrument, f.Amount, f.Currency = "grant", &amount, "USD"
		case 2:
			f.Lender, f.Instrument = "vendor-b", "buyers_credit"
		case 3:
			f.Lender, f.Year = "vendor-a", 2020
		}
		d.Financing = append(d.Financing, f)
	}
	return d
}

// withFinancing gives a deployment 12 financing entries, so that entries
// 10 and 11 sort after 2 as numbers (and before it as text), verifies the
// register, then runs q on it.
func withFinancing(q string) func(*testing.T, *DB) {
	return func(t *testing.T, db *DB) {
		apply(t, db, &registry.Set{Deployments: []*registry.Deployment{financed(0, 12)}})
		verifyOK(t, db)
		if _, err := db.db.ExecContext(context.Background(), dialectSQL(db, q)); err != nil {
			t.Fatal(err)
		}
	}
}

// financingOf reads every entry EachFinancing gives.
func financingOf(t *testing.T, db *DB, f registry.DeploymentFilter) []registry.FinancingEntry {
	t.Helper()
	var out []registry.FinancingEntry
	if err := db.EachFinancing(context.Background(), f, func(e registry.FinancingEntry) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantFinancing is what EachFinancing must give for ds, in order.
func wantFinancing(ds ...*registry.Deployment) []registry.FinancingEntry {
	var out []registry.FinancingEntry
	for _, d := range ds {
		for _, f := range d.Financing {
			f.Sources, f.Note = nil, ""
			out = append(out, registry.FinancingEntry{Deployment: d.ID, Jurisdiction: d.Jurisdiction, Financing: f})
		}
	}
	return out
}

// TestFinancingProjection writes, updates and retracts financed
// deployments and checks what EachFinancing reads after each, filtered
// and not; then that rebuild, and migration 017 run on a register that
// already holds financing, make the same rows.
func TestFinancingProjection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(6)
	a, b, c := financed(6, 12), financed(7, 3), financed(8, 1)
	set.Deployments = append(set.Deployments, a, b, c)
	apply(t, db, set)
	verifyOK(t, db)
	same := func(what string, got, want []registry.FinancingEntry) {
		t.Helper()
		if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("%s: got %d entries %+v\nwant %d %+v", what, len(got), got, len(want), want)
		}
	}
	// Deployment ids sort c (kz) before b (ph) before a (pk).
	same("all", financingOf(t, db, registry.DeploymentFilter{}), wantFinancing(c, b, a))
	same("PH", financingOf(t, db, registry.DeploymentFilter{Jurisdictions: []string{"PH"}}), wantFinancing(b))
	var sure []*registry.Deployment
	for _, d := range []*registry.Deployment{c, b, a} {
		if d.Certainty == a.Certainty {
			sure = append(sure, d)
		}
	}
	same("certainty", financingOf(t, db, registry.DeploymentFilter{Certainty: a.Certainty}), wantFinancing(sure...))

	// An entry dropped, a lender changed; a deployment retracted.
	a2 := *a
	a2.Financing = a.Financing[1:]
	a2.Financing[0].Lender = "vendor-b"
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{&a2}})
	if _, err := db.Retract(ctx, "deployment", c.ID, Meta{Author: "test", Reason: "a test"}); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
	written := financingOf(t, db, registry.DeploymentFilter{})
	same("after the update", written, wantFinancing(b, &a2))

	if _, err := db.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	same("rebuilt", financingOf(t, db, registry.DeploymentFilter{}), written)

	// Migration 017 on the register as it was before it.
	// (and 018 and 019 after it, which make their own tables again).
	undoPurposes(t, db) // migration 022
	undo := append(append(append(append(undoTierSpans(db), "DROP TABLE deployment_financing"), undoWords(db)...), undoClasses()...), undoCapabilityCells()...)
	for _, q := range append(undo, "UPDATE schema_version SET version = 16") {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	same("migrated", financingOf(t, db, registry.DeploymentFilter{}), written)
	verifyOK(t, db)
}
