package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"oversight/data"
	"oversight/internal/testenv"
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
var postgresEngine = engine{
	"postgres", func(t testing.TB, key *ledger.Key) *DB {
		db, err := OpenPostgres(context.Background(), testenv.PostgresSchema(t, "t"), key)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}}

// engineOf is the engine a test runs on: PostgreSQL under TestPostgres,
// SQLite elsewhere. It is told by the test's name rather than a variable,
// so that the two suites run at the same time.
func engineOf(t testing.TB) engine {
	if strings.HasPrefix(t.Name(), "TestPostgres/") {
		return postgresEngine
	}
	return sqliteEngine
}

func open(t testing.TB) *DB {
	t.Helper()
	key, err := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db := engineOf(t).open(t, key)
	t.Cleanup(func() { db.Close() })
	return db
}

// dialectSQL writes the few SQL functions the tamper cases need in the
// words of db's engine.
func dialectSQL(db *DB, q string) string {
	if db.d.name == "postgres" {
		return strings.NewReplacer("{nl}", "chr(10)", "{zero32}", "decode(repeat('00', 32), 'hex')").Replace(q)
	}
	return strings.NewReplacer("{nl}", "char(10)", "{zero32}", "zeroblob(32)").Replace(q)
}

// TestPostgres runs the store's conformance suite on PostgreSQL. Under CI
// the database must be there; elsewhere the test is skipped without it.
func TestPostgres(t *testing.T) {
	t.Parallel()
	testenv.Postgres(t) // fails under CI, skips elsewhere, when there is none
	for _, c := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"ApplyListAndFilter", TestApplyListAndFilter}, {"Pagination", TestPagination}, {"PagesInIDOrder", TestPagesInIDOrder}, {"MatchPaging", TestMatchPaging}, {"LargeBatchOnLongerLog", TestLargeBatchOnLongerLog},
		{"ApplyStream", TestApplyStream}, {"ApplyStreamRefuses", TestApplyStreamRefuses}, {"ApplyStreamTiers", TestApplyStreamTiers}, {"HashCacheBounded", TestHashCacheBounded},
		{"ApplyUnchangedAndUpdate", TestApplyUnchangedAndUpdate}, {"BadBatchWritesNothing", TestBadBatchWritesNothing},
		{"VerifyCatchesTampering", TestVerifyCatchesTampering}, {"VerifyLogOnly", TestVerifyLogOnly}, {"ConcurrentWriters", TestConcurrentWriters},
		{"InclusionProof", TestInclusionProof}, {"Sources", TestSources},
		{"VerifyAgainstEarlierCheckpoint", TestVerifyAgainstEarlierCheckpoint}, {"MigrationsOwnTransaction", TestMigrationsOwnTransaction},
		{"VerifyWithPinnedKey", TestVerifyWithPinnedKey}, {"SchemaDescribesWhatMatters", TestSchemaDescribesWhatMatters},
		{"SubmitAndAccept", TestSubmitAndAccept}, {"DisputeNeedsEditToAccept", TestDisputeNeedsEditToAccept}, {"DecideRetractAndMerge", TestDecideRetractAndMerge}, {"Reply", TestReply}, {"Withdraw", TestWithdraw}, {"SelfRegistration", TestSelfRegistration}, {"Releases", TestReleases}, {"ChangeCounts", TestChangeCounts},
		{"Retract", TestRetract}, {"Redact", TestRedact}, {"RedactRefuses", TestRedactRefuses}, {"FormatOneRegister", TestFormatOneRegister}, {"Merge", TestMerge}, {"MergeInstrument", TestMergeInstrument}, {"TierProjection", TestTierProjection}, {"ResetTiersInParts", TestResetTiersInParts}, {"ResetLetsOthersWrite", TestResetLetsOthersWrite}, {"ProjectionSkipsWhatChanged", TestProjectionSkipsWhatChanged}, {"TiersMigrated", TestTiersMigrated}, {"CountsByDelta", TestCountsByDelta}, {"FinancingProjection", TestFinancingProjection}, {"ClassCounts", TestClassCounts}, {"FacetsCounted", TestFacetsCounted},
		{"SnapshotSameAsDB", TestSnapshotSameAsDB}, {"SnapshotIsolation", TestSnapshotIsolation}, {"SnapshotGetMany", TestSnapshotGetMany}, {"SnapshotClose", TestSnapshotClose},
		{"FactsLogged", TestFactsLogged}, {"FactsRefused", TestFactsRefused}, {"FactsTampered", TestFactsTampered},
		{"WordsMigrated", TestWordsMigrated}, {"PurposesMigrated", TestPurposesMigrated}, {"PurposeFacets", TestPurposeFacets}, {"FacetsKept", TestFacetsKept}, {"CapabilityCells", TestCapabilityCells}, {"CountDeployments", TestCountDeployments},
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

func verifyOK(t *testing.T, db *DB) *Report {
	t.Helper()
	rep, err := db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("verify failed: %v", rep.Mismatches)
	}
	return rep
}

func builtinSet(t testing.TB) *registry.Set {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestSQLiteWriter checks the setup of SQLite's writing connection: its
// page cache, and statement journals kept in memory (temp_store 2), which
// a multi-row INSERT otherwise spills to a temporary file, two write calls
// a page (docs/performance.md, "Import speed").
func TestSQLiteWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	key, err := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	db, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "oversight.db"), key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var temp, cache int
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&temp); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache)
	})
	if err != nil {
		t.Fatal(err)
	}
	if temp != 2 || cache != -65536 {
		t.Errorf("the writing connection has temp_store %d and cache_size %d, want 2 (memory) and -65536 (64 MiB)", temp, cache)
	}
	// A reader's connection keeps the defaults: its sorts may be large.
	if err := db.db.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&temp); err != nil {
		t.Fatal(err)
	}
	if temp == 2 {
		t.Errorf("a reading connection has temp_store 2: the pool's connections should not hold their sorts in memory")
	}
}
