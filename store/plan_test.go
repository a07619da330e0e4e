package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/internal/testcls"
	"oversight/registry"
)

// TestPagePlans asks SQLite for its plan of a page of deployments (the
// first, and the next from its cursor) for every filter and every pair of
// filters, in both of pagePlan's shapes, and holds each to it: no plan
// scans the deployments or their entities; a walk is never sorted and
// starts at the cursor; and a sort follows only a list of ids (the few
// shape), which then drives the statement, each deployment looked up by
// its id.
//
// The register is small, but SQLite plans it as it plans a large one: the
// store keeps no statistics (no ANALYZE), so the planner assumes the same
// sizes whatever the tables hold. The test fails if that changes.
func TestPagePlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := projected(t, 12)
	var stats int
	if err := db.q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_stat%'").Scan(&stats); err != nil || stats > 0 {
		t.Fatalf("the register has %d statistics tables (%v): the plans below depend on their rows", stats, err)
	}
	tier := someTier(t, db)
	cases, names := filterPairs(tier)
	// 0: no filter is few, and every page walks; the default: every filter
	// of this register is few, and every page is listed; a budget of one
	// deployment a row: every walk that tests a filter spends its budget
	// and falls back.
	for _, c := range []struct{ few, perRow int }{{0, db.d.walkPerRow}, {db.d.fewMatches, db.d.walkPerRow}, {0, 1}} {
		t.Run(fmt.Sprintf("few below %d, walk %d a row", c.few, c.perRow), func(t *testing.T) {
			defer func(few, perRow int) { db.d.fewMatches, db.d.walkPerRow = few, perRow }(db.d.fewMatches, db.d.walkPerRow)
			db.d.fewMatches, db.d.walkPerRow = c.few, c.perRow
			for i, f := range cases {
				f.Limit = 1
				for page := 1; page <= 2; page++ {
					stmts, err := db.DeploymentsQueries(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, st := range stmts {
						if msg := badPlan(t, db, st, page == 2); msg != "" {
							t.Errorf("%s, page %d: %s\n%s", names[i], page, msg, st.SQL)
						}
					}
					p, err := db.Deployments(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					f.Cursor = p.Next
					if f.Cursor == "" {
						// The cursor of a page, whether or not any deployment
						// comes after it.
						f.Cursor = "c3ludGhldGlj" // "synthetic"
					}
				}
			}
		})
	}
}

// projected opens a register of fixture.Set(n) with its tiers projected.
func projected(t *testing.T, n int) *DB {
	t.Helper()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(n))
	if _, err := db.SetTierProjector(ctx, testcls.New(t, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ProjectTiers(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// filterPairs is every filter of a page of deployments alone and with each
// other, for the synthetic register of fixture.Set, with their names; tier
// is a tier filter it passes.
func filterPairs(tier *registry.TierFilter) (cases []registry.DeploymentFilter, names []string) {
	filters := []struct {
		name string
		set  func(*registry.DeploymentFilter)
	}{
		{"jurisdiction", func(f *registry.DeploymentFilter) { f.Jurisdictions = []string{"PH"} }},
		{"jurisdictions", func(f *registry.DeploymentFilter) { f.Jurisdictions = []string{"PH", "KZ"} }},
		{"subregion", func(f *registry.DeploymentFilter) { f.Subregion = "south_asia" }},
		{"vendor", func(f *registry.DeploymentFilter) { f.Vendors = []string{"vendor-a"} }},
		{"vendors", func(f *registry.DeploymentFilter) { f.Vendors = []string{"vendor-b", "no-such-vendor"} }},
		{"vendor_hq", func(f *registry.DeploymentFilter) { f.VendorHQ = "CN" }},
		{"technology", func(f *registry.DeploymentFilter) { f.Capability = "cctv" }},
		{"purpose", func(f *registry.DeploymentFilter) { f.Purpose = "general_crime_prevention" }},
		{"status", func(f *registry.DeploymentFilter) { f.Status = "active" }},
		{"certainty", func(f *registry.DeploymentFilter) { f.Certainty = "documented" }},
		{"years", func(f *registry.DeploymentFilter) { f.YearFrom, f.YearTo = 2010, 2030 }},
		{"year_from", func(f *registry.DeploymentFilter) { f.YearFrom = 2010 }},
		{"tier", func(f *registry.DeploymentFilter) { f.Tier = tier }},
		{"q", func(f *registry.DeploymentFilter) { f.Q = "harbour" }},
		{"ids", func(f *registry.DeploymentFilter) { f.IDs = []string{"synthetic-pk-0000000", "synthetic-ph-0000001"} }},
	}
	for i, a := range filters {
		for _, b := range filters[i:] {
			var f registry.DeploymentFilter
			a.set(&f)
			b.set(&f)
			cases = append(cases, f)
			names = append(names, a.name+" + "+b.name)
		}
	}
	return cases, names
}

// TestWalkBudget holds a walk to its budget: two jurisdictions, each
// common, with ids of none of their deployments. Walked, the page reads
// every deployment of both; with the budget spent, it lists the ids.
func TestWalkBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(12))
	defer func(few, perRow int) { db.d.fewMatches, db.d.walkPerRow = few, perRow }(db.d.fewMatches, db.d.walkPerRow)
	// Every filter common; a page of one may read two deployments.
	db.d.fewMatches, db.d.walkPerRow = 0, 1
	f := registry.DeploymentFilter{Jurisdictions: []string{"PH", "KZ"}, IDs: []string{"synthetic-pk-0000000", "synthetic-pk-0000003"}, Limit: 1}
	stmts, err := db.DeploymentsQueries(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, st := range stmts {
		if st.Page {
			pages = append(pages, st.SQL)
		}
	}
	if len(pages) != 2 || !strings.Contains(pages[1], "WHERE d.id IN (SELECT") {
		t.Errorf("the walk did not fall back to the list of ids: %q", pages)
	}
	p, err := db.Deployments(ctx, f)
	if err != nil || len(p.Items) != 0 || p.Next != "" {
		t.Errorf("page: %d items, next %q, %v; want none", len(p.Items), p.Next, err)
	}
}

// badPlan says what is wrong with SQLite's plan for st, "" if nothing.
func badPlan(t *testing.T, db *DB, st Statement, cursor bool) string {
	t.Helper()
	q := st.SQL
	plan, parents := explain(t, db, st)
	sorted := false // the statement's rows sorted, not a subquery's
	for i, detail := range plan {
		sorted = sorted || parents[i] == 0 && detail == "USE TEMP B-TREE FOR ORDER BY"
	}
	if !st.Page {
		// A walk's bound reads the ids in order from an index, no rows.
		if strings.HasPrefix(q, "SELECT d.id FROM deployments d") && (len(plan) != 1 || !strings.Contains(plan[0], "USING COVERING INDEX")) {
			return fmt.Sprintf("a bound not read from an index: %q", plan)
		}
		return ""
	}
	has := func(prefix string) bool {
		for _, line := range plan {
			if strings.HasPrefix(line, prefix) {
				return true
			}
		}
		return false
	}
	listed := strings.Contains(q, "WHERE d.id IN (SELECT")
	switch {
	case slices.ContainsFunc(plan, func(l string) bool { return l == "SCAN d" || l == "SCAN e" }) || has("SCAN d ") || has("SCAN e "):
		return fmt.Sprintf("a scan: %q", plan)
	case sorted && !listed:
		// A merge's compounds are each sorted, at most a page's ids
		// (mergeFrom); the walk is not.
		return fmt.Sprintf("a walk sorted: %q", plan)
	case listed && !(has("SEARCH d USING") && strings.Contains(strings.Join(plan, "\n"), "(id=?)") && has("LIST SUBQUERY")):
		return fmt.Sprintf("a list that does not drive: %q", plan)
	case !listed && cursor && !strings.Contains(strings.Join(plan, "\n"), "id>?)") && !strings.Contains(strings.Join(plan, "\n"), "id>? AND id<?)"):
		// From the cursor, to the end or to the bound of a walk's budget.
		return fmt.Sprintf("a walk that does not start at the cursor: %q", plan)
	}
	return ""
}

// someTier is a tier filter that some deployment of db's passes: the
// first stored tier, on its first day.
func someTier(t *testing.T, db *DB) *registry.TierFilter {
	t.Helper()
	var code, day int
	if err := db.q.QueryRowContext(context.Background(), "SELECT code, from_day FROM deployment_tiers ORDER BY code, from_day LIMIT 1").Scan(&code, &day); err != nil {
		t.Fatal(err)
	}
	fw, tier, ok := db.tiers.projector().decode(code)
	if !ok {
		t.Fatalf("tier code %d", code)
	}
	return &registry.TierFilter{Framework: fw, Tiers: []string{tier}, Day: fmt.Sprintf("%04d-%02d-%02d", day/10000, day/100%100, day%100)}
}

// TestPageShapesAgree pages through every filter and pair of filters a
// deployment a page, with no filter few (every page walked), with only
// those under 3 deployments few (the rarest drives, the others are
// tested), and with every filter few (listed): each way gives the same
// deployments in the same strictly increasing id order, each page's
// cursor naming its last, and DeploymentStates the same pages as
// Deployments.
func TestPageShapesAgree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := projected(t, 12)
	cases, names := filterPairs(someTier(t, db))
	defer func(was int) { db.d.fewMatches = was }(db.d.fewMatches)
	walk := func(f registry.DeploymentFilter) (ids []string, err error) {
		f.Limit = 1
		for range 1000 {
			p, err := db.Deployments(ctx, f)
			if err != nil {
				return nil, err
			}
			s, err := db.DeploymentStates(ctx, f)
			if err != nil {
				return nil, err
			}
			if len(p.Items) != len(s.Items) || p.Next != s.Next || len(p.Items) > 0 && p.Items[0].ID != s.Items[0].ID {
				return nil, fmt.Errorf("after %v: Deployments and DeploymentStates give other pages", ids)
			}
			if len(p.Items) > 0 {
				if state, err := registry.Canonical(p.Items[0]); err != nil || !bytes.Equal(state, s.Items[0].State) {
					return nil, fmt.Errorf("after %v: DeploymentStates gives %s as\n%s\nnot as Deployments does (%v)\n%s", ids, p.Items[0].ID, s.Items[0].State, err, state)
				}
			}
			for _, d := range p.Items {
				if len(ids) > 0 && d.ID <= ids[len(ids)-1] {
					return nil, fmt.Errorf("%s after %v", d.ID, ids)
				}
				ids = append(ids, d.ID)
				if p.Next != "" && p.Next != base64.RawURLEncoding.EncodeToString([]byte(d.ID)) {
					return nil, fmt.Errorf("the cursor of the page of %s is %q", d.ID, p.Next)
				}
			}
			if p.Next == "" {
				return ids, nil
			}
			f.Cursor = p.Next
		}
		return nil, fmt.Errorf("more than 1000 pages: %v", ids)
	}
	found := 0
	for i, f := range cases {
		var want []string
		for j, few := range []int{0, 3, 5000} {
			db.d.fewMatches = few
			got, err := walk(f)
			if err != nil {
				t.Fatalf("%s, few below %d: %v", names[i], few, err)
			}
			if j == 0 {
				want = got
			} else if !slices.Equal(got, want) {
				t.Errorf("%s: few below %d gives %v, none few %v", names[i], few, got, want)
			}
		}
		if len(want) > 0 {
			found++
		}
	}
	if found < len(cases)/2 {
		t.Errorf("only %d of %d filters select any deployment: the test shows little", found, len(cases))
	}
}

// TestTextAlone pages through one word alone read from its lists of
// deployments (deployment_words), and through deployments_fts listed
// (fewer matches than fewWords) and walked (as many or more), which give
// the same deployments; and counts a word as a prefix by its whole-word
// count first, which the prefix's count completes when the whole word's
// falls short.
func TestTextAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(12))
	f := registry.DeploymentFilter{Q: "harb", Limit: 1}
	var got [3][]string
	for i, way := range []struct {
		words bool
		few   int
		sql   string // what the page's statement reads
	}{
		{true, defaultLimits.fewMatches, "FROM deployment_words WHERE word = "},
		{false, defaultLimits.fewMatches, "d.id IN (SELECT id FROM deployments_fts"},
		{false, 1, "e.seq IN (SELECT rowid FROM deployments_fts"},
	} {
		r := db.reader
		r.d.words, r.d.fewWords = way.words, way.few
		got[i] = pageIDs(t, &r, f, func(stmts []Statement) {
			if !strings.Contains(stmts[len(stmts)-1].SQL, way.sql) {
				t.Fatalf("words %v, db.d.fewWords %d: the page runs %s", way.words, way.few, stmts[len(stmts)-1].SQL)
			}
		})
	}
	if len(got[0]) < 2 || !slices.Equal(got[0], got[1]) || !slices.Equal(got[0], got[2]) {
		t.Errorf("from the words' lists %v, listed %v, walked %v", got[0], got[1], got[2])
	}
	for _, c := range []struct {
		words []string
		limit int
		want  int
	}{
		{[]string{"harb"}, 100, len(got[0])},    // no whole word harb: the prefix's count
		{[]string{"harbour"}, 100, len(got[0])}, // every match the whole word
		{[]string{"harbour"}, 1, 1},
		{[]string{"harb", "zzz"}, 100, 0},
	} {
		n, err := db.countTerm(ctx, db.searchTerm(c.words), c.limit, nil)
		if err != nil || n != c.want {
			t.Errorf("count of %q up to %d: %d, %v; want %d", c.words, c.limit, n, err, c.want)
		}
	}
}

// TestConditionsOfCommonWords: words on more deployments than fewMatches
// are counted by the facets and the counts' examples (conditions), whose
// statements read deployments d without their entities, as they are
// listed.
func TestConditionsOfCommonWords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(30))
	defer func(was int) { db.d.fewMatches = was }(db.d.fewMatches)
	db.d.fewMatches = 1 // every word is common
	f := registry.DeploymentFilter{Q: "harbour"}
	page, err := db.Deployments(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) < 2 {
		t.Fatalf("%d deployments hold the word, want several", len(page.Items))
	}
	got, err := db.Facets(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if n := sum(got.Jurisdiction); n != len(page.Items) {
		t.Errorf("the facets count %d deployments, the list %d", n, len(page.Items))
	}
	var cells []registry.Cell
	type key struct {
		jurisdiction string
		year         int
	}
	seen := map[key]bool{}
	for _, d := range page.Items {
		if k := (key{d.Jurisdiction, d.Year()}); !seen[k] {
			seen[k] = true
			cells = append(cells, registry.Cell{Jurisdiction: d.Jurisdiction, Year: d.Year(), Limit: len(page.Items)})
		}
	}
	ids, err := db.FirstDeployments(ctx, f, cells, len(page.Items))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(page.Items) {
		t.Errorf("the counts' examples are %d deployments, the list %d", len(ids), len(page.Items))
	}
}

// explain returns the lines of SQLite's plan of st, and the id of each
// line's parent (0 for the statement's own).
func explain(t *testing.T, db *DB, st Statement) (plan []string, parents []int) {
	t.Helper()
	rows, err := db.q.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+st.SQL, st.Args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan, parents = append(plan, detail), append(parents, parent)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan, parents
}
