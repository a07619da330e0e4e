package analysis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"oversight/data"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/store"
	"oversight/synth"
)

// countedRegister is the built-in register with synthetic deployments
// added, then updated, retracted and merged, and a vendor's headquarters
// changed, so that its counts have gone through every kind of write.
func countedRegister(t *testing.T, engine string) (*store.DB, *registry.Set) {
	t.Helper()
	ctx := context.Background()
	base, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := openEngine(t, engine, base)
	meta := store.Meta{Author: "test", Reason: "a test of the counts"}
	ds := synth.Batch(base, 3, 0, 1200) // over ListMax in some cells
	if _, err := db.Apply(ctx, &registry.Set{Deployments: ds}, meta, nil); err != nil {
		t.Fatal(err)
	}
	// Updates: a capability dropped, a year moved, a vendor added, the
	// capabilities cleared, a certainty changed.
	var changed []*registry.Deployment
	for i, d := range ds[:60] {
		c := *d
		switch i % 5 {
		case 0:
			if len(c.System.Capabilities) > 1 {
				c.System.Capabilities = c.System.Capabilities[1:]
			}
		case 1:
			c.Dates = nil
		case 2:
			c.Vendors = append(c.Vendors[:len(c.Vendors):len(c.Vendors)], registry.VendorRole{Vendor: base.Vendors[i].ID, Role: "integrator", Sources: []string{"synthetic"}})
		case 3:
			c.System.Capabilities = nil
		case 4:
			c.Certainty = "unconfirmed"
		}
		changed = append(changed, &c)
	}
	updateRetractMerge(t, db, changed, ds, meta)
	// A vendor cited by deployments merged into another: each citing
	// deployment is updated.
	var from, into string
	for _, d := range ds[300:] {
		if len(d.Vendors) > 0 && from == "" {
			from = d.Vendors[0].Vendor
		}
		if len(d.Vendors) > 0 && from != "" && d.Vendors[0].Vendor != from {
			into = d.Vendors[0].Vendor
			break
		}
	}
	if _, err := db.Merge(ctx, "vendor", from, into, meta); err != nil {
		t.Fatal(err)
	}
	// A vendor's headquarters changed: counts are by vendor, so none
	// changes, but the tables that read the headquarters do.
	for _, v := range base.Vendors {
		if v.ID != from && v.Headquarters != "" {
			c := *v
			c.Headquarters = "SG"
			if _, err := db.Apply(ctx, &registry.Set{Vendors: []*registry.Vendor{&c}}, meta, nil); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	return db, base
}

// walkOnly hides a register's counts, so that tables are built the
// walking way.
type walkOnly struct{ NetworkRegister }

// countQueries are the filters the pages offer, alone and together.
var countQueries = []NetworkQuery{
	{},
	{Subregion: "southeast_asia"},
	{Jurisdictions: []string{"PK", "IN", "CN"}},
	{VendorHQ: "CN"},
	{VendorHQ: "SG"},
	{Certainty: "documented"},
	{Capability: "remote_biometric_identification"},
	{YearFrom: 2015, YearTo: 2020},
	{Subregion: "southeast_asia", YearFrom: 2014, YearTo: 2017},
	{YearFrom: 2018},
	{Subregion: "south_asia", Capability: "cctv", YearTo: 2019},
	{VendorHQ: "CN", Certainty: "reported", Capability: "remote_biometric_identification"},
}

// TestTablesFromCounts builds each whole-register table both ways, by
// walking the deployments and by summing the register's counts, on each
// engine, for each filter the pages offer, and requires identical JSON:
// trends, the vendor table, the vendor network with its money (the API's
// and /money's), and the share of suppliers of a few countries (one of
// them, NZ, supplies none).
func TestTablesFromCounts(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel() // the engines' registers are apart
			ctx := context.Background()
			db, _ := countedRegister(t, engine)
			if rep, err := db.Verify(ctx); err != nil {
				t.Fatalf("verify: %v", err)
			} else if !rep.OK() {
				t.Fatalf("verify: %v", rep.Mismatches)
			}
			for _, q := range countQueries {
				t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
					walked := bothWays(t, db, func(reg NetworkRegister) (any, error) { return Trends(ctx, reg, q) })
					if walked.(*TrendTable).Totals.Total == 0 && len(q.Jurisdictions) == 0 && q.VendorHQ != "SG" {
						t.Fatalf("the query selects nothing: the comparison would prove nothing")
					}
					bothWays(t, db, func(reg NetworkRegister) (any, error) { return BuildVendorTable(ctx, reg, q) })
					bothWays(t, db, func(reg NetworkRegister) (any, error) { return BuildNetwork(ctx, reg, q) })
					for _, country := range []string{"CN", "US", "SG", "NZ"} {
						bothWays(t, db, func(reg NetworkRegister) (any, error) { return CountSuppliers(ctx, reg, q, country) })
					}
				})
			}
			// The lists are cut somewhere, so the comparison covers the cut.
			all, err := Trends(ctx, db, NetworkQuery{})
			if err != nil {
				t.Fatal(err)
			}
			cut := false
			for _, c := range all.Totals.Cells {
				cut = cut || c.N > ListMax
			}
			if !cut {
				t.Error("no cell holds more than ListMax deployments: make the register larger")
			}
			// Lenders, linked by a vendor role or by financing alone, are
			// compared too.
			table, err := BuildVendorTable(ctx, db, NetworkQuery{})
			if err != nil {
				t.Fatal(err)
			}
			lends, financed := false, false
			for _, r := range table.Rows {
				lends = lends || r.Lends && !slices.Contains(r.Roles, "financier")
				financed = financed || len(r.Lenders) > 0
			}
			if !lends || !financed {
				t.Errorf("a lender no vendor role names: %v, a row with lenders: %v; want both", lends, financed)
			}
			// The money is compared with amounts, with none, and with
			// entries that name no lender.
			n, err := BuildNetwork(ctx, db, NetworkQuery{})
			if err != nil {
				t.Fatal(err)
			}
			usd, unknown, flows := false, false, false
			for _, l := range n.Lenders {
				usd = usd || l.USD2021Flows > 0
				unknown = unknown || l.UnknownAmount > 0
				flows = flows || len(l.Flows) > 0
			}
			if !usd || !unknown || !flows || n.UnattributedTotal == 0 {
				t.Errorf("a lender with amounts in 2021 USD: %v, one with an entry of no amount: %v, one with entries: %v, %d entries with no lender; want all",
					usd, unknown, flows, n.UnattributedTotal)
			}
		})
	}
}

// noWalk is a register that keeps counts but refuses to be walked, so that
// a table said to be summed from them cannot fall back to reading every
// deployment.
type noWalk struct{ *store.DB }

func (noWalk) EachDeployment(context.Context, registry.DeploymentFilter, func(*registry.Deployment) error) error {
	return errors.New("walked the register")
}

// bothWays builds a table by walking db and by summing its counts,
// requires the same JSON, and returns the walked one.
func bothWays(t *testing.T, db *store.DB, build func(NetworkRegister) (any, error)) any {
	t.Helper()
	walked, err := build(walkOnly{db})
	if err != nil {
		t.Fatal(err)
	}
	counted, err := build(noWalk{db})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, walked, counted)
	return walked
}

// updateRetractMerge writes changed, then retracts ds[100:110] and merges
// ds[200] into ds[201].
func updateRetractMerge(t *testing.T, db *store.DB, changed, ds []*registry.Deployment, meta store.Meta) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.Apply(ctx, &registry.Set{Deployments: changed}, meta, nil); err != nil {
		t.Fatal(err)
	}
	for _, d := range ds[100:110] {
		if _, err := db.Retract(ctx, "deployment", d.ID, meta); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Merge(ctx, "deployment", ds[200].ID, ds[201].ID, meta); err != nil {
		t.Fatal(err)
	}
}

// openEngine opens a register holding set on engine, sqlite or postgres.
func openEngine(t *testing.T, engine string, set *registry.Set) *store.DB {
	t.Helper()
	if engine == "sqlite" {
		return testreg.Open(t, set)
	}
	return testreg.OpenPostgres(t, "counts", set)
}

// sameJSON fails unless a and b encode to the same JSON, naming the first
// place they differ.
func sameJSON(t *testing.T, walked, counted any) {
	t.Helper()
	a, err := json.Marshal(walked)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(counted)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) == string(b) {
		return
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	t.Fatalf("walked and counted differ at byte %d:\nwalked:  …%s…\ncounted: …%s…", i, a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}
