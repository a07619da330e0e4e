package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"oversight/data"
	"oversight/internal/fixture"
	"oversight/ledger"
	"oversight/registry"
)

// engine opens a fresh, empty register on one database engine. The tests
// below run on SQLite; TestPostgres runs them again on PostgreSQL.
type engine struct {
	name string
	open func(t testing.TB, key *ledger.Key) *DB
}

var sqliteEngine = engine{"sqlite", func(t testing.TB, key *ledger.Key) *DB {
	db, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "test.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	return db
}}

// postgresEngine gives each test its own schema in the database
// $OBS_TEST_POSTGRES names.
func postgresEngine(url string) engine {
	return engine{"postgres", func(t testing.TB, key *ledger.Key) *DB {
		ctx := context.Background()
		admin, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		schema := fmt.Sprintf("t%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		})
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		db, err := OpenPostgres(ctx, url+sep+"search_path="+schema, key)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}}
}

var engineInUse = sqliteEngine

func open(t testing.TB) *DB {
	t.Helper()
	key, err := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db := engineInUse.open(t, key)
	t.Cleanup(func() { db.Close() })
	return db
}

// dialectSQL writes the few SQL functions the tamper cases need in the
// current engine's words.
func dialectSQL(q string) string {
	if engineInUse.name == "postgres" {
		return strings.NewReplacer("{nl}", "chr(10)", "{zero32}", "decode(repeat('00', 32), 'hex')").Replace(q)
	}
	return strings.NewReplacer("{nl}", "char(10)", "{zero32}", "zeroblob(32)").Replace(q)
}

// TestPostgres runs the store's conformance suite on PostgreSQL. Under CI
// the database must be there; elsewhere the test is skipped without it.
func TestPostgres(t *testing.T) {
	url := os.Getenv("OBS_TEST_POSTGRES")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("OBS_TEST_POSTGRES is not set; scripts/test.sh starts a PostgreSQL cluster")
		}
		t.Skip("OBS_TEST_POSTGRES is not set")
	}
	engineInUse = postgresEngine(url)
	defer func() { engineInUse = sqliteEngine }()
	for _, c := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"ApplyListAndFilter", TestApplyListAndFilter}, {"Pagination", TestPagination}, {"MatchPaging", TestMatchPaging}, {"LargeBatchOnLongerLog", TestLargeBatchOnLongerLog},
		{"ApplyUnchangedAndUpdate", TestApplyUnchangedAndUpdate}, {"BadBatchWritesNothing", TestBadBatchWritesNothing},
		{"VerifyCatchesTampering", TestVerifyCatchesTampering}, {"ConcurrentWriters", TestConcurrentWriters},
		{"InclusionProof", TestInclusionProof}, {"Sources", TestSources},
		{"VerifyAgainstEarlierCheckpoint", TestVerifyAgainstEarlierCheckpoint},
	} {
		t.Run(c.name, c.fn)
	}
}

func apply(t testing.TB, db *DB, set *registry.Set) Result {
	t.Helper()
	res, err := db.Apply(context.Background(), set, Meta{Author: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func verifyOK(t *testing.T, db *DB) {
	t.Helper()
	rep, err := db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("verify failed: %v", rep.Mismatches)
	}
}

func TestApplyListAndFilter(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	res := apply(t, db, fixture.Set(30))
	if res.Created != 35 || res.Size != 35 {
		t.Fatalf("apply: %+v, want 35 created", res)
	}
	verifyOK(t, db)

	all, err := db.Deployments(ctx, registry.DeploymentFilter{})
	if err != nil || len(all.Items) != 30 || all.Next != "" {
		t.Fatalf("all: %d items, next %q, err %v", len(all.Items), all.Next, err)
	}
	cases := []struct {
		name string
		f    registry.DeploymentFilter
		want func(*registry.Deployment) bool
	}{
		{"jurisdiction", registry.DeploymentFilter{Jurisdictions: []string{"PH"}}, func(d *registry.Deployment) bool { return d.Jurisdiction == "PH" }},
		{"two jurisdictions", registry.DeploymentFilter{Jurisdictions: []string{"PH", "KZ"}}, func(d *registry.Deployment) bool { return d.Jurisdiction != "PK" }},
		{"vendor", registry.DeploymentFilter{Vendor: "vendor-b"}, func(d *registry.Deployment) bool { return d.Vendors[0].Vendor == "vendor-b" }},
		{"vendor hq", registry.DeploymentFilter{VendorHQ: "CN"}, func(d *registry.Deployment) bool { return d.Vendors[0].Vendor == "vendor-a" }},
		{"capability", registry.DeploymentFilter{Capability: "lpr_anpr"}, func(d *registry.Deployment) bool { return d.System.Capabilities[0] == "lpr_anpr" }},
		{"status", registry.DeploymentFilter{Status: "pilot"}, func(d *registry.Deployment) bool { return d.Status.Value == "pilot" }},
		{"certainty", registry.DeploymentFilter{Certainty: "reported"}, func(d *registry.Deployment) bool { return d.Certainty == "reported" }},
		{"years", registry.DeploymentFilter{YearFrom: 2012, YearTo: 2014}, func(d *registry.Deployment) bool { return d.Year() >= 2012 && d.Year() <= 2014 }},
		{"text", registry.DeploymentFilter{Q: "harbour"}, func(d *registry.Deployment) bool { return strings.Contains(d.Title, "harbour") }},
		{"text prefix and punctuation", registry.DeploymentFilter{Q: `"harb" (`}, func(d *registry.Deployment) bool { return strings.Contains(d.Title, "harbour") }},
		{"combined", registry.DeploymentFilter{Jurisdictions: []string{"PK"}, Vendor: "vendor-a"}, func(d *registry.Deployment) bool {
			return d.Jurisdiction == "PK" && d.Vendors[0].Vendor == "vendor-a"
		}},
	}
	for _, c := range cases {
		p, err := db.Deployments(ctx, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := 0
		for _, d := range all.Items {
			if c.want(d) {
				want++
			}
		}
		if want == 0 || len(p.Items) != want {
			t.Errorf("%s: got %d deployments, want %d (of 30)", c.name, len(p.Items), want)
		}
		for _, d := range p.Items {
			if !c.want(d) {
				t.Errorf("%s: %s does not match", c.name, d.ID)
			}
		}
	}
}

func TestPagination(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(25))
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		p, err := db.Deployments(ctx, registry.DeploymentFilter{Limit: 10, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Items {
			ids = append(ids, d.ID)
		}
		if p.Next == "" {
			if pages != 2 {
				t.Errorf("got %d pages, want 3", pages+1)
			}
			break
		}
		cursor = p.Next
	}
	if len(ids) != 25 {
		t.Fatalf("paged through %d deployments, want 25", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			t.Fatalf("ids out of order or repeated: %s, %s", ids[i-1], ids[i])
		}
	}
	if _, err := db.Deployments(ctx, registry.DeploymentFilter{Cursor: "!!"}); err == nil {
		t.Error("a malformed cursor was accepted")
	}
	// EachDeployment starts after the cursor it is given.
	var rest []string
	from := base64.RawURLEncoding.EncodeToString([]byte(ids[9]))
	if err := db.EachDeployment(ctx, registry.DeploymentFilter{Cursor: from}, func(d *registry.Deployment) error {
		rest = append(rest, d.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rest, ids[10:]) {
		t.Errorf("walked from %s: %v, want %v", ids[9], rest, ids[10:])
	}
}

// TestMatchPaging pages through a list with a test the database cannot
// run, with SQL conditions too, and checks every accepted deployment comes
// once, in order, and no other.
func TestMatchPaging(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(40))
	var want []string
	all := registry.DeploymentFilter{Jurisdictions: []string{"PK", "PH"}}
	if err := db.EachDeployment(ctx, all, func(d *registry.Deployment) error {
		if d.ID[len(d.ID)-1]%3 == 0 {
			want = append(want, d.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) < 5 {
		t.Fatalf("fixture gives %d matches; the test needs several pages", len(want))
	}
	f := all
	f.Limit = 2
	f.Match = func(d *registry.Deployment) (bool, error) { return d.ID[len(d.ID)-1]%3 == 0, nil }
	var got []string
	for pages := 0; pages < 100; pages++ {
		p, err := db.Deployments(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) > 2 {
			t.Fatalf("page of %d items, limit 2", len(p.Items))
		}
		for _, d := range p.Items {
			got = append(got, d.ID)
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged %v, want %v", got, want)
	}
	f.Cursor, got = "", nil
	if err := db.EachDeployment(ctx, f, func(d *registry.Deployment) error { got = append(got, d.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("walked %v, want %v", got, want)
	}
	f.Match = func(*registry.Deployment) (bool, error) { return false, errors.New("no facts") }
	if _, err := db.Deployments(ctx, f); err == nil || err.Error() != "no facts" {
		t.Errorf("the test's error was not returned: %v", err)
	}
}

// TestLargeBatchOnLongerLog applies a batch big enough that rows are
// written while the tree reads hashes stored by earlier batches, and
// updates rows too, then checks everything with verify.
func TestLargeBatchOnLongerLog(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(37))
	set := &registry.Set{}
	for i := range 700 {
		set.Deployments = append(set.Deployments, fixture.Deployment(1000+i, []string{"PK", "PH", "KZ"}[i%3], "vendor-a"))
	}
	old := fixture.Set(37).Deployments[5]
	old.Title = "Renamed in a large batch"
	set.Deployments = append(set.Deployments, old)
	res := apply(t, db, set)
	if res.Created != 700 || res.Updated != 1 {
		t.Fatalf("created %d, updated %d; want 700 and 1", res.Created, res.Updated)
	}
	verifyOK(t, db)
	if n, err := db.Count(ctx, "deployment"); err != nil || n != 737 {
		t.Fatalf("%d deployments, %v; want 737", n, err)
	}
}

func TestApplyUnchangedAndUpdate(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(3)
	apply(t, db, set)
	res := apply(t, db, set)
	if res.Unchanged != 8 || res.Created+res.Updated != 0 || res.Size != 8 {
		t.Fatalf("second apply of the same set: %+v", res)
	}
	set.Deployments[1].Title = "Renamed synthetic deployment"
	res = apply(t, db, &registry.Set{Deployments: []*registry.Deployment{set.Deployments[1]}})
	if res.Updated != 1 || res.Size != 9 {
		t.Fatalf("update: %+v", res)
	}
	hist, err := db.History(ctx, "deployment", set.Deployments[1].ID)
	if err != nil || len(hist) != 2 || hist[0].Op != "create" || hist[1].Op != "update" {
		t.Fatalf("history: %+v, %v", hist, err)
	}
	e, _ := db.Get(ctx, "deployment", set.Deployments[1].ID)
	if e.(*registry.Deployment).Title != "Renamed synthetic deployment" {
		t.Error("update not projected")
	}
	verifyOK(t, db)
}

func TestBadBatchWritesNothing(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(2))
	bad := &registry.Set{Deployments: []*registry.Deployment{fixture.Deployment(100, "PK", "vendor-a"), fixture.Deployment(101, "XX", "no-such-vendor")}}
	_, err := db.Apply(ctx, bad, Meta{Author: "test"}, nil)
	var ce *CheckError
	if !errors.As(err, &ce) || len(ce.Errs) != 2 {
		t.Fatalf("want a CheckError naming 2 problems, got %v", err)
	}
	if n, _ := db.Size(ctx); n != 7 {
		t.Fatalf("log size %d after a refused batch, want 7", n)
	}
	if _, err := db.Get(ctx, "deployment", bad.Deployments[0].ID); !errors.Is(err, registry.ErrNotFound) {
		t.Error("the valid half of a refused batch was written")
	}
	verifyOK(t, db)
}

// TestVerifyCatchesTampering changes the database behind the program's
// back in each way that matters and checks that verify names it, and that
// rebuild repairs what is only a projection.
func TestVerifyCatchesTampering(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, sql, want string
		rebuildFixes    bool
	}{
		{"row edited", "UPDATE deployments SET title = 'Edited' WHERE id = (SELECT MIN(id) FROM deployments)", "deployments: row not in the log", true},
		{"state edited", "UPDATE entities SET state = replace(state, 'Synthetic', 'Edited') WHERE kind = 'vendor'", "entities:", true},
		{"source url edited", "UPDATE sources SET url = 'https://example.org/other' WHERE kind = 'deployment' AND entity_id = (SELECT MIN(id) FROM deployments)", "sources:", true},
		{"row added", "INSERT INTO deployment_vendors VALUES ('synthetic-pk-0000000', 'vendor-b', 'integrator')", "deployment_vendors: row not in the log", true},
		{"row deleted", "DELETE FROM deployment_capabilities WHERE deployment_id = (SELECT MIN(id) FROM deployments)", "deployment_capabilities: missing", true},
		{"entity deleted", "DELETE FROM entities WHERE kind = 'vendor' AND id = (SELECT MIN(id) FROM vendors)", "entities: missing", true},
		{"search row deleted", "DELETE FROM deployments_fts WHERE id = (SELECT MAX(id) FROM deployments)", "deployments_fts: missing", true},
		{"rows swapped between deployments", "UPDATE deployment_capabilities SET deployment_id = CASE WHEN deployment_id = (SELECT MIN(id) FROM deployments) THEN (SELECT MAX(id) FROM deployments) ELSE (SELECT MIN(id) FROM deployments) END WHERE deployment_id IN ((SELECT MIN(id) FROM deployments), (SELECT MAX(id) FROM deployments))", "deployment_capabilities", true},
		{"search index edited", "UPDATE deployments_fts SET body = 'nothing' WHERE id = (SELECT MIN(id) FROM deployments)", "deployments_fts", true},
		{"last revision deleted", "DELETE FROM revisions WHERE seq = (SELECT MAX(seq) FROM revisions)", "log: the log head says", false},
		{"middle revision deleted", "DELETE FROM revisions WHERE seq = 3", "log: revision 3 is missing", false},
		{"revision altered", "UPDATE revisions SET record = replace(record, 'Synthetic', 'Forged') WHERE seq = 4", "checkpoint: signed root", false},
		{"revision not JSON", "UPDATE revisions SET record = 'not json' WHERE seq = 4", "log: revision 4 is not valid JSON", false},
		{"checkpoint forged", "UPDATE checkpoints SET signed = replace(signed, {nl} || '9' || {nl}, {nl} || '8' || {nl})", "checkpoint", false},
		{"tree hash altered", "UPDATE tree_hashes SET hash = {zero32} WHERE idx = 2", "tree: stored hash 2", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := open(t)
			apply(t, db, fixture.Set(4))
			verifyOK(t, db)
			if _, err := db.db.ExecContext(ctx, dialectSQL(c.sql)); err != nil {
				t.Fatal(err)
			}
			rep, err := db.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("verify passed after tampering")
			}
			found := false
			for _, m := range rep.Mismatches {
				found = found || strings.Contains(m.String(), c.want)
			}
			if !found {
				t.Errorf("no mismatch mentions %q: %v", c.want, rep.Mismatches)
			}
			if c.rebuildFixes {
				if _, err := db.Rebuild(ctx); err != nil {
					t.Fatal(err)
				}
				verifyOK(t, db)
			}
		})
	}
}

func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(0))
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				d := fixture.Deployment(1000+w*each+i, "PK", "vendor-a")
				if _, err := db.Apply(ctx, &registry.Set{Deployments: []*registry.Deployment{d}}, Meta{Author: fmt.Sprint("writer-", w)}, nil); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, _ := db.Size(ctx); n != 5+writers*each {
		t.Fatalf("log size %d, want %d", n, 5+writers*each)
	}
	verifyOK(t, db)
}

func TestInclusionProof(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(20))
	_, cp, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, seq := range []int64{0, 7, cp.Size - 1} {
		_, rec, err := db.Revision(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.InclusionProof(ctx, seq, cp.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := ledger.CheckRecord(p, cp.Size, cp.Hash, seq, rec); err != nil {
			t.Errorf("revision %d: %v", seq, err)
		}
		if err := ledger.CheckRecord(p, cp.Size, cp.Hash, seq, append(rec, ' ')); err == nil {
			t.Errorf("revision %d: proof accepted an altered record", seq)
		}
	}
}

func TestSources(t *testing.T) {
	db := open(t)
	apply(t, db, fixture.Set(3))
	p, err := db.Sources(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The fixture cites two URLs: s1 (jurisdictions and vendors) and a (deployments).
	if len(p.Items) != 2 || len(p.Items[0].CitedBy) != 3 || len(p.Items[1].CitedBy) != 5 {
		t.Fatalf("sources: %+v", p.Items)
	}
}

// TestVerifyAgainstEarlierCheckpoint removes the newest change together
// with its revision, tree hashes and checkpoint. What remains is a valid,
// shorter log under an older signed checkpoint, so verify alone cannot see
// it; a checkpoint a reader saved before does.
func TestVerifyAgainstEarlierCheckpoint(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	apply(t, db, fixture.Set(0)) // 5 revisions, checkpoint of size 5
	d := fixture.Deployment(1, "PH", "vendor-a")
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{d}}) // checkpoint of size 6
	_, saved, err := db.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DELETE FROM deployments_fts",
		"DELETE FROM deployment_capabilities",
		"DELETE FROM deployment_vendors",
		"DELETE FROM deployments",
		"DELETE FROM sources WHERE kind = 'deployment'",
		"DELETE FROM entities WHERE kind = 'deployment'",
		"DELETE FROM revisions WHERE seq = 5",
		fmt.Sprintf("DELETE FROM tree_hashes WHERE idx >= %d", tlog.StoredHashIndex(0, 5)),
		"DELETE FROM checkpoints WHERE size = 6",
		"UPDATE log_head SET size = 5",
	} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	verifyOK(t, db) // the gap: nothing in the database shows the removal
	rep, err := db.Verify(ctx, saved)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(rep.Mismatches[0].String(), "an earlier checkpoint was signed for 6 revisions; the log now holds 5") {
		t.Fatalf("the removal was not reported: %v", rep.Mismatches)
	}
}

// TestSearchSameOnBothEngines runs the same full-text queries over the
// built-in register on SQLite (FTS5) and PostgreSQL (tsvector) and requires
// the same deployments.
func TestSearchSameOnBothEngines(t *testing.T) {
	url := os.Getenv("OBS_TEST_POSTGRES")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("OBS_TEST_POSTGRES is not set; scripts/test.sh starts a PostgreSQL cluster")
		}
		t.Skip("OBS_TEST_POSTGRES is not set")
	}
	set := builtinSet(t)
	key, _ := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	lite := sqliteEngine.open(t, key)
	pg := postgresEngine(url).open(t, key)
	defer lite.Close()
	defer pg.Close()
	apply(t, lite, set)
	apply(t, pg, set)
	ctx := context.Background()
	for _, q := range []string{"facial recognition", "huawei", "safe city", "police", "camera", "protest", "Islamabad", "smart", "recogn", "cctv command", "Lahore"} {
		var got [2][]string
		for i, db := range []*DB{lite, pg} {
			err := db.EachDeployment(ctx, registry.DeploymentFilter{Q: q}, func(d *registry.Deployment) error {
				got[i] = append(got[i], d.ID)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if strings.Join(got[0], " ") != strings.Join(got[1], " ") {
			t.Errorf("%q: sqlite %v\npostgres %v", q, got[0], got[1])
		}
		if len(got[0]) == 0 && q != "recogn" {
			t.Errorf("%q matches nothing", q)
		}
	}
}

func builtinSet(t testing.TB) *registry.Set {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}
