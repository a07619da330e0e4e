package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // registers driver "sqlite"

	"oversight/analysis"
	"oversight/registry"
)

// A value of one filter, with how many deployments it selects alone.
type value struct {
	v string
	n int
}

// values holds, for each filter, its most common value and its rarest
// (of those any deployment has), read from the register.
type values struct {
	jurisdiction, subregion, technology, purpose, vendor, vendorHQ, status, certainty, tier, word [2]value
	yearFrom, yearTo                                                                              int
}

func (v values) String() string {
	var b strings.Builder
	for _, f := range []struct {
		name string
		v    [2]value
	}{{"jurisdiction", v.jurisdiction}, {"subregion", v.subregion}, {"technology", v.technology}, {"purpose", v.purpose}, {"vendor", v.vendor},
		{"vendor_hq", v.vendorHQ}, {"status", v.status}, {"certainty", v.certainty}, {"tier", v.tier}, {"q", v.word}} {
		fmt.Fprintf(&b, "\n  %-12s common %s (%d), rare %s (%d)", f.name, f.v[0].v, f.v[0].n, f.v[1].v, f.v[1].n)
	}
	fmt.Fprintf(&b, "\n  years        %d-%d", v.yearFrom, v.yearTo)
	return b.String()
}

// pickValues reads the register's file for the values of values.
func pickValues(ctx context.Context, file string, cls *analysis.Classifier) (values, error) {
	var v values
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return v, err
	}
	defer db.Close()
	day := strings.ReplaceAll(today(), "-", "")
	for _, q := range []struct {
		into *[2]value
		sql  string
	}{
		{&v.jurisdiction, "SELECT jurisdiction, count(*) FROM deployments GROUP BY 1"},
		{&v.subregion, "SELECT j.subregion, count(*) FROM deployments d JOIN jurisdictions j ON j.code = d.jurisdiction GROUP BY 1"},
		{&v.technology, "SELECT capability, count(*) FROM deployment_capabilities GROUP BY 1"},
		{&v.purpose, "SELECT purpose, count(*) FROM deployment_purposes GROUP BY 1"},
		{&v.vendor, "SELECT vendor_id, count(DISTINCT deployment_id) FROM deployment_vendors GROUP BY 1"},
		{&v.vendorHQ, "SELECT v.headquarters, count(DISTINCT dv.deployment_id) FROM deployment_vendors dv JOIN vendors v ON v.id = dv.vendor_id WHERE v.headquarters IS NOT NULL GROUP BY 1"},
		{&v.status, "SELECT status, count(*) FROM deployments GROUP BY 1"},
		{&v.certainty, "SELECT certainty, count(*) FROM deployments GROUP BY 1"},
		{&v.tier, "SELECT code, count(*) FROM deployment_tiers WHERE from_day <= " + day + " AND " + day + " < until_day GROUP BY 1"},
	} {
		if *q.into, err = extremes(ctx, db, q.sql); err != nil {
			return v, err
		}
	}
	fws, tiers := cls.TierFrameworks(), cls.TierNames()
	for i, t := range v.tier {
		var code int
		fmt.Sscan(t.v, &code)
		// The store's codes: a block of 32 a framework (store/tiercodes.go).
		v.tier[i].v = fws[code/32] + ":" + tiers[code%32]
	}
	if v.word, err = words(ctx, db); err != nil {
		return v, err
	}
	err = db.QueryRowContext(ctx, "SELECT min(year) + (max(year) - min(year)) / 2, max(year) FROM deployments").Scan(&v.yearFrom, &v.yearTo)
	return v, err
}

// extremes returns the most common value of a GROUP BY's counts, and the
// rarest.
func extremes(ctx context.Context, db *sql.DB, q string) ([2]value, error) {
	var out [2]value
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return out, fmt.Errorf("%s: %w", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		var x value
		if err := rows.Scan(&x.v, &x.n); err != nil {
			return out, err
		}
		if out[0].n == 0 || x.n > out[0].n {
			out[0] = x
		}
		if out[1].n == 0 || x.n < out[1].n {
			out[1] = x
		}
	}
	return out, rows.Err()
}

// words picks from the search index's vocabulary a word most deployments
// hold and a word on about a thousandth of them (at least one).
func words(ctx context.Context, db *sql.DB) ([2]value, error) {
	var out [2]value
	conn, err := db.Conn(ctx)
	if err != nil {
		return out, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, deployments_fts, row)"); err != nil {
		return out, err
	}
	var total int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM deployments").Scan(&total); err != nil {
		return out, err
	}
	// Words of letters only, so that no number or id stands in for one,
	// which the search finds as a user would type them: the index holds
	// stems, and a stem searched for may not match itself ("deploy").
	const letters = "term NOT GLOB '*[^a-z]*' AND length(term) >= 4"
	for i, q := range []string{
		"SELECT term, doc FROM temp.vocab WHERE " + letters + " ORDER BY doc DESC LIMIT 50",
		fmt.Sprintf("SELECT term, doc FROM temp.vocab WHERE %s AND doc >= %d ORDER BY doc, term LIMIT 50", letters, max(1, total/1000)),
	} {
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			return out, err
		}
		var cand []value
		for rows.Next() {
			var x value
			if err := rows.Scan(&x.v, &x.n); err != nil {
				rows.Close()
				return out, err
			}
			cand = append(cand, x)
		}
		rows.Close()
		for _, x := range cand {
			var n int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM deployments_fts WHERE deployments_fts MATCH $1", `"`+x.v+`"*`).Scan(&n); err != nil {
				return out, err
			}
			if n > 0 {
				out[i] = value{x.v, n}
				break
			}
		}
	}
	return out, nil
}

// cases are every filter alone, both values of each, and every pair of
// filters, in each pairing of their values, with the plain list first.
func cases(v values) []filterCase {
	type variant struct {
		name string
		set  func(*registry.DeploymentFilter)
	}
	both := func(name string, vs [2]value, set func(*registry.DeploymentFilter, string)) []variant {
		var out []variant
		for i, kind := range []string{"common", "rare"} {
			x := vs[i].v
			out = append(out, variant{fmt.Sprintf("%s %s %s", name, kind, x), func(f *registry.DeploymentFilter) { set(f, x) }})
		}
		return out
	}
	tier := func(f *registry.DeploymentFilter, x string) {
		fw, t, _ := strings.Cut(x, ":")
		f.Tier = &registry.TierFilter{Framework: fw, Tiers: []string{t}, Day: today()}
	}
	dims := [][]variant{
		both("jurisdiction", v.jurisdiction, func(f *registry.DeploymentFilter, x string) { f.Jurisdictions = []string{x} }),
		{{"jurisdictions two", func(f *registry.DeploymentFilter) {
			f.Jurisdictions = []string{v.jurisdiction[0].v, v.jurisdiction[1].v}
		}}},
		both("subregion", v.subregion, func(f *registry.DeploymentFilter, x string) { f.Subregion = x }),
		both("technology", v.technology, func(f *registry.DeploymentFilter, x string) { f.Capability = x }),
		both("purpose", v.purpose, func(f *registry.DeploymentFilter, x string) { f.Purpose = x }),
		both("vendor", v.vendor, func(f *registry.DeploymentFilter, x string) { f.Vendors = []string{x} }),
		{{"vendors two", func(f *registry.DeploymentFilter) {
			f.Vendors = []string{v.vendor[0].v, v.vendor[1].v}
		}}},
		both("vendor_hq", v.vendorHQ, func(f *registry.DeploymentFilter, x string) { f.VendorHQ = x }),
		both("status", v.status, func(f *registry.DeploymentFilter, x string) { f.Status = x }),
		both("certainty", v.certainty, func(f *registry.DeploymentFilter, x string) { f.Certainty = x }),
		{{fmt.Sprintf("years %d-%d", v.yearFrom, v.yearTo), func(f *registry.DeploymentFilter) { f.YearFrom, f.YearTo = v.yearFrom, v.yearTo }}},
		both("tier", v.tier, tier),
		both("q", v.word, func(f *registry.DeploymentFilter, x string) { f.Q = x }),
	}
	out := []filterCase{{"plain list", registry.DeploymentFilter{}},
		{fmt.Sprintf("year_from %d", v.yearFrom), registry.DeploymentFilter{YearFrom: v.yearFrom}},
		{fmt.Sprintf("year_to %d", v.yearFrom), registry.DeploymentFilter{YearTo: v.yearFrom}}}
	for _, d := range dims {
		for _, x := range d {
			var f registry.DeploymentFilter
			x.set(&f)
			out = append(out, filterCase{x.name, f})
		}
	}
	for i, a := range dims {
		for _, b := range dims[i+1:] {
			for _, x := range a {
				for _, y := range b {
					var f registry.DeploymentFilter
					x.set(&f)
					y.set(&f)
					out = append(out, filterCase{x.name + " + " + y.name, f})
				}
			}
		}
	}
	return out
}
