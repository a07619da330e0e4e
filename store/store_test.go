package store

import (
	"context"
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
	testenv.Postgres(t) // fails under CI, skips elsewhere, when there is none
	engineInUse = postgresEngine
	defer func() { engineInUse = sqliteEngine }()
	for _, c := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"ApplyListAndFilter", TestApplyListAndFilter}, {"Pagination", TestPagination}, {"PagesInIDOrder", TestPagesInIDOrder}, {"MatchPaging", TestMatchPaging}, {"LargeBatchOnLongerLog", TestLargeBatchOnLongerLog},
		{"ApplyStream", TestApplyStream}, {"ApplyStreamRefuses", TestApplyStreamRefuses}, {"ApplyStreamTiers", TestApplyStreamTiers}, {"HashCacheBounded", TestHashCacheBounded},
		{"ApplyUnchangedAndUpdate", TestApplyUnchangedAndUpdate}, {"BadBatchWritesNothing", TestBadBatchWritesNothing},
		{"VerifyCatchesTampering", TestVerifyCatchesTampering}, {"ConcurrentWriters", TestConcurrentWriters},
		{"InclusionProof", TestInclusionProof}, {"Sources", TestSources},
		{"VerifyAgainstEarlierCheckpoint", TestVerifyAgainstEarlierCheckpoint}, {"MigrationsOwnTransaction", TestMigrationsOwnTransaction},
		{"VerifyWithPinnedKey", TestVerifyWithPinnedKey}, {"SchemaDescribesWhatMatters", TestSchemaDescribesWhatMatters},
		{"SubmitAndAccept", TestSubmitAndAccept}, {"DisputeNeedsEditToAccept", TestDisputeNeedsEditToAccept}, {"DecideRetractAndMerge", TestDecideRetractAndMerge}, {"Reply", TestReply}, {"Withdraw", TestWithdraw}, {"SelfRegistration", TestSelfRegistration}, {"Releases", TestReleases}, {"ChangeCounts", TestChangeCounts},
		{"Retract", TestRetract}, {"Redact", TestRedact}, {"RedactRefuses", TestRedactRefuses}, {"FormatOneRegister", TestFormatOneRegister}, {"Merge", TestMerge}, {"MergeInstrument", TestMergeInstrument}, {"TierProjection", TestTierProjection}, {"CountsByDelta", TestCountsByDelta}, {"FacetsCounted", TestFacetsCounted},
		{"SnapshotSameAsDB", TestSnapshotSameAsDB}, {"SnapshotIsolation", TestSnapshotIsolation}, {"SnapshotGetMany", TestSnapshotGetMany}, {"SnapshotClose", TestSnapshotClose},
		{"FactsLogged", TestFactsLogged}, {"FactsRefused", TestFactsRefused}, {"FactsTampered", TestFactsTampered},
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

func builtinSet(t testing.TB) *registry.Set {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}
