package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/ledger"
	"oversight/tilestore"
)

// A tamperCase changes the database behind the program's back.
type tamperCase struct {
	name   string
	engine string // the engine it applies to; empty for both
	// sql is run on the database; {nl} and {zero32} are written in the
	// engine's words (dialectSQL). fn does what SQL alone cannot.
	sql string
	fn  func(t *testing.T, db *DB)
	// want is found in a mismatch; it names what was changed.
	want string
	// rebuildFixes says the change was to a projection, which rebuild
	// recreates; otherwise it must leave the evidence for verify.
	rebuildFixes bool
	// storage says only SQLite's check of the whole file finds the damage
	// (VerifyOptions.Storage); a verify without it must say it did not
	// look.
	storage bool
	// log says a check of the log alone (VerifyOptions.LogOnly) finds it
	// too: the change is to the log, its checkpoints or its tiles.
	log bool
}

// tamperedRegister is the register every case starts from: 10 revisions,
// with checkpoints of size 9 and 10.
func tamperedRegister(t *testing.T) *DB {
	db := open(t)
	apply(t, db, fixture.Set(4))
	apply(t, db, fixture.Set(5))
	return db
}

var tamperCases = []tamperCase{
	// The projection tables.
	{name: "row edited", sql: "UPDATE deployments SET title = 'Edited' WHERE id = (SELECT MIN(id) FROM deployments)", want: "deployments: row not in the log", rebuildFixes: true},
	{name: "state edited", sql: "UPDATE entities SET state = replace(state, 'Synthetic', 'Edited') WHERE kind = 'vendor'", want: "entities: entity vendor vendor-a: name differs: the log says \"Synthetic vendor-a\", the table holds \"Edited vendor-a\"", rebuildFixes: true},
	{name: "source url edited", sql: "UPDATE sources SET url = 'https://example.org/other' WHERE kind = 'deployment' AND entity_id = (SELECT MIN(id) FROM deployments)", want: "sources:", rebuildFixes: true},
	{name: "row added", sql: "INSERT INTO deployment_vendors VALUES ('synthetic-pk-0000000', 'vendor-b', 'integrator')", want: "deployment_vendors: row not in the log", rebuildFixes: true},
	{name: "row deleted", sql: "DELETE FROM deployment_capabilities WHERE deployment_id = (SELECT MIN(id) FROM deployments)", want: "deployment_capabilities: missing", rebuildFixes: true},
	{name: "entity deleted", sql: "DELETE FROM entities WHERE kind = 'vendor' AND id = (SELECT MIN(id) FROM vendors)", want: "entities: missing", rebuildFixes: true},
	// The jurisdiction and year a capability row carries (migration 020),
	// which a trend table's lists of one technology are read by.
	{name: "capability year edited", sql: "UPDATE deployment_capabilities SET year = 1999 WHERE deployment_id = (SELECT MIN(id) FROM deployments)", want: "deployment_capabilities: row not in the log", rebuildFixes: true},
	{name: "capability jurisdiction edited", sql: "UPDATE deployment_capabilities SET jurisdiction = 'XX' WHERE deployment_id = (SELECT MAX(id) FROM deployments)", want: "deployment_capabilities: row not in the log", rebuildFixes: true},
	{name: "purpose edited", sql: "UPDATE deployment_purposes SET purpose = 'border_control' WHERE deployment_id = (SELECT MIN(id) FROM deployments)", want: "deployment_purposes: row not in the log", rebuildFixes: true},
	{name: "purpose deleted", sql: "DELETE FROM deployment_purposes WHERE deployment_id = (SELECT MAX(id) FROM deployments)", want: "deployment_purposes: missing", rebuildFixes: true},
	{name: "rows swapped between deployments", sql: "UPDATE deployment_capabilities SET deployment_id = CASE WHEN deployment_id = (SELECT MIN(id) FROM deployments) THEN (SELECT MAX(id) FROM deployments) ELSE (SELECT MIN(id) FROM deployments) END WHERE deployment_id IN ((SELECT MIN(id) FROM deployments), (SELECT MAX(id) FROM deployments))", want: "deployment_capabilities", rebuildFixes: true},

	// The counts kept by delta (deployment_counts): a count edited, a row
	// deleted, a row of a combination no deployment has.
	{name: "count edited", sql: "UPDATE deployment_counts SET n = n + 1 WHERE jurisdiction = (SELECT MIN(jurisdiction) FROM deployment_counts)", want: "deployment_counts: row ", rebuildFixes: true},
	{name: "count deleted", sql: "DELETE FROM deployment_counts WHERE jurisdiction = (SELECT MIN(jurisdiction) FROM deployment_counts)", want: "deployment_counts: missing row", rebuildFixes: true},
	{name: "count added", sql: "INSERT INTO deployment_counts VALUES ('PK', 1999, 'live', 'documented', '', '', '', '', 0)", want: "deployment_counts: row PK 1999 live documented [] [] [] [] (n=0) that no current state accounts for", rebuildFixes: true},

	// The financing entries kept apart for the money (withFinancing gives
	// synthetic-pk-0000000 12 entries).
	{name: "financing amount edited", fn: withFinancing("UPDATE deployment_financing SET amount_usd_2021 = amount_usd_2021 * 2 WHERE entry = 4"), want: "deployment_financing: row not in the log", rebuildFixes: true},
	{name: "financing lender rewritten", fn: withFinancing("UPDATE deployment_financing SET lender = 'vendor-b' WHERE lender IS NULL AND entry = 9"), want: "deployment_financing: row not in the log", rebuildFixes: true},
	{name: "financing entry deleted", fn: withFinancing("DELETE FROM deployment_financing WHERE entry = 11"), want: "deployment_financing: missing", rebuildFixes: true},
	{name: "financing entry added", fn: withFinancing("INSERT INTO deployment_financing (deployment_id, entry, instrument) VALUES ('synthetic-pk-0000003', 0, 'grant')"), want: "deployment_financing: row not in the log", rebuildFixes: true},

	// The search index: its rows, and the index search reads.
	{name: "search row deleted", sql: "DELETE FROM deployments_fts WHERE id = (SELECT MAX(id) FROM deployments)", want: "deployments_fts: missing", rebuildFixes: true},
	{name: "search word deleted", engine: "sqlite", sql: "DELETE FROM search_words WHERE word = (SELECT MIN(word) FROM deployment_words)", want: "search_words: word ", rebuildFixes: true},
	// deployment_words, which verify reads one deployment at a time, its
	// words joined by spaces (wordGroup): a row's word changed, a row gone,
	// and two rows made one whose word holds the space that joins them.
	{name: "word edited", sql: "UPDATE deployment_words SET word = 'forged' WHERE deployment_id = (SELECT MIN(id) FROM deployments) AND word = (SELECT MIN(word) FROM deployment_words WHERE deployment_id = (SELECT MIN(id) FROM deployments))", want: "deployment_words: row not in the log", rebuildFixes: true},
	{name: "word row deleted", sql: "DELETE FROM deployment_words WHERE deployment_id = (SELECT MAX(id) FROM deployments) AND word = (SELECT MAX(word) FROM deployment_words WHERE deployment_id = (SELECT MAX(id) FROM deployments))", want: "deployment_words: missing", rebuildFixes: true},
	{name: "two word rows made one with a space", fn: joinTwoWords, want: "deployment_words: ", rebuildFixes: true},
	{name: "search text edited", sql: "UPDATE deployments_fts SET body = 'nothing' WHERE id = (SELECT MIN(id) FROM deployments)", want: "deployments_fts", rebuildFixes: true},
	// FTS5 rebuilt from poisoned content, whose text is then put back:
	// the rows read right, and search finds the row for a word it lacks.
	{name: "search index poisoned, content restored", engine: "sqlite", sql: `
		CREATE TEMP TABLE kept AS SELECT id, c1 FROM deployments_fts_content WHERE id = (SELECT MIN(id) FROM deployments_fts_content);
		UPDATE deployments_fts_content SET c1 = 'poisonword' WHERE id = (SELECT id FROM kept);
		INSERT INTO deployments_fts (deployments_fts) VALUES ('rebuild');
		UPDATE deployments_fts_content SET c1 = (SELECT c1 FROM kept) WHERE id = (SELECT id FROM kept);
		DROP TABLE kept`,
		want: `deployments_fts: the search index of row rowid=5 (id synthetic-pk-0000000) holds the terms "poisonword"`, rebuildFixes: true},
	{name: "search index poisoned, body kept", engine: "postgres", sql: `
		ALTER TABLE deployments_fts ALTER COLUMN tsv DROP EXPRESSION;
		UPDATE deployments_fts SET tsv = to_tsvector('english', 'poisonword') WHERE rowid = (SELECT MIN(rowid) FROM deployments_fts)`,
		want: "deployments_fts: the search index of row rowid=5 (id synthetic-pk-0000000) is not the one its body gives"},

	// Tombstones and redirects: withRetractions retracts synthetic-pk-0000000
	// and merges synthetic-ph-0000001 into synthetic-kz-0000002 first.
	{name: "tombstone reason edited", fn: withRetractions("UPDATE retractions SET reason = 'forged' WHERE id = 'synthetic-pk-0000000'"), want: "retractions: row not in the log", rebuildFixes: true},
	{name: "tombstone deleted", fn: withRetractions("DELETE FROM retractions WHERE id = 'synthetic-pk-0000000'"), want: "retractions: missing or changed row; the log says kind=deployment id=synthetic-pk-0000000", rebuildFixes: true},
	{name: "redirect rewritten", fn: withRetractions("UPDATE retractions SET into_id = 'synthetic-pk-0000003' WHERE id = 'synthetic-ph-0000001'"), want: "retractions: row not in the log", rebuildFixes: true},
	{name: "redirect deleted", fn: withRetractions("DELETE FROM retractions WHERE into_id IS NOT NULL"), want: "retractions: missing", rebuildFixes: true},
	{name: "tombstone forged for a current record", fn: withRetractions("INSERT INTO retractions VALUES ('deployment', 'synthetic-pk-0000003', 5, 5, '2026-01-01T00:00:00Z', 'mallory', 'forged', NULL)"), want: "retractions: row not in the log", rebuildFixes: true},
	{name: "retracted record put back", fn: withRetractions("INSERT INTO deployments (id, jurisdiction, title, status, certainty) VALUES ('synthetic-pk-0000000', 'PK', 'Back', 'active', 'documented')"), want: "deployments: row not in the log", rebuildFixes: true},
	{name: "retraction's op column edited", fn: withRetractions("UPDATE revisions SET op = 'update' WHERE seq = 10"), want: `revisions: revision 10: column op is "update", its record says "retract"`, log: true},

	// The log.
	{name: "last revision deleted", sql: "DELETE FROM revisions WHERE seq = (SELECT MAX(seq) FROM revisions)", want: "log: the log head says", log: true},
	{name: "middle revision deleted", sql: "DELETE FROM revisions WHERE seq = 3", want: "log: revision 3 is missing", log: true},
	// A format-2 record holds no state (registry.Format2): its leaf is
	// altered by rewriting a field of it, here the id.
	{name: "revision altered", sql: "UPDATE revisions SET record = replace(record, 'vendor-b', 'vendor-x') WHERE seq = 4", want: "checkpoints: row size 9: signed root", log: true},
	{name: "revision's content edited", sql: "UPDATE revision_content SET content = replace(content, 'Synthetic', 'Forged') WHERE seq = 4", want: "revision_content: revision 4: its content and salt do not hash to the commitment its leaf holds", log: true},
	{name: "revision's salt replaced", sql: "UPDATE revision_content SET salt = (SELECT salt FROM revision_content WHERE seq = 3) WHERE seq = 4", want: "revision_content: revision 4: its content and salt do not hash", log: true},
	{name: "revision's content deleted", sql: "DELETE FROM revision_content WHERE seq = 4", want: "revision_content: revision 4: its content is missing, and no redaction in the log names it", log: true},
	{name: "content row for no revision", sql: "INSERT INTO revision_content (seq, salt, content) SELECT 99, salt, content FROM revision_content WHERE seq = 4", want: "revision_content: 11 rows, of which 1 belong to no revision of the log", log: true},
	{name: "revision not JSON", sql: "UPDATE revisions SET record = 'not json' WHERE seq = 4", want: "log: revision 4 is not valid JSON", log: true},
	{name: "tree hash altered", sql: "UPDATE tree_hashes SET hash = {zero32} WHERE idx = 2", want: "tree: stored hash 2", log: true},
	// Columns beside the record, which the leaf hash does not cover.
	{name: "revision author edited", sql: "UPDATE revisions SET author = 'mallory' WHERE seq = 2", want: `revisions: revision 2: column author is "mallory", its record says "test"`, log: true},
	{name: "revision time edited", sql: "UPDATE revisions SET created_at = '2001-01-01T00:00:00Z' WHERE seq = 2", want: `revisions: revision 2: column created_at is "2001-01-01T00:00:00Z"`, log: true},
	{name: "revision op edited", sql: "UPDATE revisions SET op = 'retract' WHERE seq = 9", want: `revisions: revision 9: column op is "retract", its record says "create"`, log: true},

	// The log's full tiles stored as files, which a server serves as
	// they are: rebuild writes them again.
	{name: "stored tile edited", fn: tamperTile("entries"), want: string(filepath.Separator) + filepath.Join("tile", "entries", "000") + ": ", rebuildFixes: true, log: true},
	{name: "stored hash tile edited", fn: tamperTile("0"), want: string(filepath.Separator) + filepath.Join("tile", "0", "000") + ": ", rebuildFixes: true, log: true},

	// The checkpoints, every one of them.
	{name: "latest checkpoint forged", sql: "UPDATE checkpoints SET signed = replace(signed, {nl} || '10' || {nl}, {nl} || '11' || {nl}) WHERE size = 10", want: "checkpoints: row size 10: checkpoint signature", log: true},
	{name: "older checkpoint's text rewritten", sql: "UPDATE checkpoints SET signed = replace(signed, {nl} || '9' || {nl}, {nl} || '8' || {nl}) WHERE size = 9", want: "checkpoints: row size 9: checkpoint signature", log: true},
	{name: "older checkpoint re-signed over another root", fn: resign(9, nil), want: "checkpoints: row size 9: signed root", log: true},
	{name: "checkpoint re-signed by another key", fn: resign(10, otherKey), want: "checkpoints: row size 10: checkpoint signature: not signed by the key oversight.local/register+", log: true},
	{name: "checkpoint row for a size never signed", sql: "INSERT INTO checkpoints (size, signed) SELECT 5, signed FROM checkpoints WHERE size = 9", want: "checkpoints: row size 5: holds the checkpoint signed for 9 revisions", log: true},
	{name: "checkpoint row beyond the log", sql: "INSERT INTO checkpoints (size, signed) SELECT 11, signed FROM checkpoints WHERE size = 10", want: "checkpoints: row size 11: holds the checkpoint signed for 10 revisions", log: true},
	{name: "latest checkpoint deleted", sql: "DELETE FROM checkpoints WHERE size = 10", want: "checkpoints: the latest row, size 9, does not cover the log of 10 revisions", log: true},

	// The schema.
	{name: "trigger rewriting rows", engine: "sqlite", sql: "CREATE TRIGGER forge AFTER INSERT ON deployments BEGIN UPDATE deployments SET title = 'Forged' WHERE id = NEW.id; END", want: "schema: trigger deployments.forge is not one the migrations create"},
	{name: "trigger rewriting rows", engine: "postgres", sql: "CREATE FUNCTION forge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.title := 'Forged'; RETURN NEW; END $$; CREATE TRIGGER forge BEFORE INSERT OR UPDATE ON deployments FOR EACH ROW EXECUTE FUNCTION forge()", want: "schema: trigger deployments.forge is not one the migrations create"},
	{name: "view rewriting rows on read in a table's place", sql: "ALTER TABLE vendors RENAME TO vendors_kept; CREATE VIEW vendors AS SELECT id, name, type, 'US' AS headquarters, ownership FROM vendors_kept", want: "schema: view vendors is not one the migrations create"},
	{name: "index dropped", sql: "DROP INDEX deployments_year", want: "schema: index deployments.deployments_year is missing"},
	{name: "column added", engine: "sqlite", sql: "ALTER TABLE deployments ADD COLUMN note TEXT", want: "schema: table deployments differs from the one the migrations create"},
	{name: "column added", engine: "postgres", sql: "ALTER TABLE deployments ADD COLUMN note TEXT", want: "schema: column deployments.note is not one the migrations create"},
	{name: "schema version changed", sql: "UPDATE schema_version SET version = 1", want: "schema: version schema_version differs"},
	{name: "row security hiding checkpoints", engine: "postgres", sql: "ALTER TABLE checkpoints ENABLE ROW LEVEL SECURITY; CREATE POLICY hide ON checkpoints USING (size < 10)", want: "schema: policy checkpoints.hide is not one the migrations create"},

	// The file: an index whose definition was rewritten in place, so
	// that it no longer matches its table.
	{name: "index out of step with its table", engine: "sqlite", fn: rewriteIndex, want: "database: integrity_check: ", storage: true},
	// Pages that belong to nothing, and a page on two lists: what only the
	// file-level part of integrity_check sees (filedamage_test.go).
	{name: "pages on no list", engine: "sqlite", fn: orphanPages, want: "never used", storage: true},
	{name: "freelist through a table's page", engine: "sqlite", fn: freelistIntoTable, want: "2nd reference to page", storage: true},
}

// TestVerifyCatchesTampering changes the database behind the program's
// back in each way that matters and checks that verify names it; that
// rebuild repairs what is only a projection and leaves all other evidence
// in place; and that rebuild never writes the log or its checkpoints.
func TestVerifyCatchesTampering(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Every case builds this register the same way: that it verifies
	// untouched is checked once, here.
	verifyOK(t, tamperedRegister(t))
	for _, c := range tamperCases {
		if c.engine != "" && c.engine != engineOf(t).name {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each case has a register (on PostgreSQL a schema) of its own
			db := tamperedRegister(t)
			if c.fn != nil {
				c.fn(t, db)
			} else if _, err := db.db.ExecContext(ctx, dialectSQL(db, c.sql)); err != nil {
				t.Fatal(err)
			}
			opt := VerifyOptions{Storage: c.storage}
			if c.storage {
				notLooked(t, db)
			}
			mentionsWith(t, db, opt, c.want)
			if c.log {
				mentionsWith(t, db, VerifyOptions{LogOnly: true}, c.want)
			}
			log := logContents(t, db)
			_, err := db.Rebuild(ctx)
			if after := logContents(t, db); after != log {
				t.Error("rebuild changed the log, its tree hashes or its checkpoints")
			}
			if c.rebuildFixes {
				if err != nil {
					t.Fatal(err)
				}
				verifyOK(t, db)
			} else {
				mentionsWith(t, db, opt, c.want) // whether rebuild failed or not
			}
		})
	}
}

// mentions verifies db and requires a mismatch that mentions want.
func mentions(t *testing.T, db *DB, want string) {
	t.Helper()
	mentionsWith(t, db, VerifyOptions{}, want)
}

// mentionsWith is mentions with options.
func mentionsWith(t *testing.T, db *DB, opt VerifyOptions, want string) {
	t.Helper()
	rep, err := db.VerifyWith(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Storage != !opt.Storage {
		t.Errorf("Report.Storage is %v, asked %v", rep.Storage, opt.Storage)
	}
	for _, m := range rep.Mismatches {
		if strings.Contains(m.String(), want) {
			return
		}
	}
	t.Errorf("no mismatch mentions %q: %v", want, rep.Mismatches)
}

// notLooked verifies db without the whole file's check, which must say in
// its notes that the file was not checked.
func notLooked(t *testing.T, db *DB) {
	t.Helper()
	rep, err := db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Storage || !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, "SQLite's file itself") }) {
		t.Errorf("a verify without VerifyOptions.Storage does not say the file went unchecked: Storage %v, notes %q", rep.Storage, rep.Notes)
	}
}

// logContents renders the log's tables: what rebuild must never write.
func logContents(t *testing.T, db *DB) string {
	var b strings.Builder
	for _, q := range []string{
		"SELECT seq, kind, entity_id, op, author, created_at, record FROM revisions ORDER BY seq",
		"SELECT idx, hash FROM tree_hashes ORDER BY idx",
		"SELECT seq, salt, content FROM revision_content ORDER BY seq",
		"SELECT size, signed FROM checkpoints ORDER BY size",
		"SELECT size FROM log_head",
	} {
		rows, err := db.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			b.WriteString(tuple(vals) + "\n")
		}
		rows.Close()
	}
	return b.String()
}

// tamperTile grows the log past a full tile, stores its tiles, checks
// that they verify, and changes a byte of the first tile of level (entries
// for the entry bundles).
func tamperTile(level string) func(t *testing.T, db *DB) {
	return func(t *testing.T, db *DB) { tamperTileFile(t, db, level) }
}

func tamperTileFile(t *testing.T, db *DB, level string) {
	ctx := context.Background()
	apply(t, db, fixture.Set(260))
	db.SetTiles(tilestore.NewFiles(t.TempDir()))
	if n, err := db.Tiles().Fill(ctx, db.openTiles); err != nil || n != 2 {
		t.Fatalf("Fill: %d tiles, %v", n, err)
	}
	if rep := verifyOK(t, db); rep.Tiles != 2 {
		t.Fatalf("verify compared %d stored tiles, want 2", rep.Tiles)
	}
	name := filepath.Join(db.Tiles().Dir(), "tile", level, "000")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	b[100] ^= 1
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// otherKey makes a key of the register's name that is not its key.
func otherKey(t *testing.T, _ *DB) *ledger.Key {
	k, err := ledger.LoadOrCreateKey(t.TempDir(), ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// resign signs the checkpoint stored under size again: with the key from
// by, or else with the register's own key over another root, as someone
// holding log.key could.
func resign(size int64, by func(*testing.T, *DB) *ledger.Key) func(*testing.T, *DB) {
	return func(t *testing.T, db *DB) {
		ctx := context.Background()
		var signed []byte
		if err := db.db.QueryRowContext(ctx, fmt.Sprintf("SELECT signed FROM checkpoints WHERE size = %d", size)).Scan(&signed); err != nil {
			t.Fatal(err)
		}
		cp, err := ledger.Open(signed, db.key.Verifier)
		if err != nil {
			t.Fatal(err)
		}
		key := db.key
		if by != nil {
			key = by(t, db)
		} else {
			cp.Hash[0] ^= 1
		}
		if signed, err = key.Sign(cp); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.ExecContext(ctx, fmt.Sprintf("UPDATE checkpoints SET signed = $1 WHERE size = %d", size), string(signed)); err != nil {
			t.Fatal(err)
		}
	}
}

// rewriteIndex rewrites the definition of an index in sqlite_schema, as a
// hand with PRAGMA writable_schema (or a hex editor) can, leaving its
// entries as they were: the index and its table no longer agree.
func rewriteIndex(t *testing.T, db *DB) {
	ctx := context.Background()
	conn, err := db.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var v int
	if err := conn.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"PRAGMA writable_schema = ON",
		"UPDATE sqlite_schema SET sql = replace(sql, '(kind, entity_id, seq)', '(entity_id, kind, seq)') WHERE name = 'revisions_entity'",
		fmt.Sprintf("PRAGMA schema_version = %d", v+1), // other connections read the schema again
		"PRAGMA writable_schema = OFF",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

// joinTwoWords replaces the two first words of the first deployment with
// one row holding both, joined by a space: the same text as the two rows
// give when verify joins a deployment's words.
func joinTwoWords(t *testing.T, db *DB) {
	ctx := context.Background()
	var id string
	if err := db.db.QueryRowContext(ctx, "SELECT MIN(id) FROM deployments").Scan(&id); err != nil {
		t.Fatal(err)
	}
	words, err := queryStrings(ctx, db.db, "SELECT word FROM deployment_words WHERE deployment_id = $1 ORDER BY word"+db.d.collate+" LIMIT 2", id)
	if err != nil || len(words) != 2 {
		t.Fatalf("the first deployment's words: %q, %v", words, err)
	}
	for _, q := range []string{"DELETE FROM deployment_words WHERE deployment_id = $1 AND word IN ($2, $3)", "INSERT INTO deployment_words (deployment_id, word) VALUES ($1, $2 || ' ' || $3)"} {
		if _, err := db.db.ExecContext(ctx, q, id, words[0], words[1]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVerifyLogOnly checks that a verify of the log alone says so, and
// that it is what it says: a projection edited behind the program's back
// passes it (and is caught by the whole verify), with a note that the
// tables were not compared, so that an OK of the log alone cannot be
// read as an OK of the register. The log's own cases are the tamper cases
// marked log.
func TestVerifyLogOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := tamperedRegister(t)
	if _, err := db.db.ExecContext(ctx, tamperCases[0].sql); err != nil {
		t.Fatal(err)
	}
	rep, err := db.VerifyWith(ctx, VerifyOptions{LogOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || !rep.LogOnly || rep.Size != 10 || rep.Checkpoints != 2 {
		t.Errorf("log alone: OK %v, LogOnly %v, %d revisions, %d checkpoints; want OK, true, 10, 2: %v", rep.OK(), rep.LogOnly, rep.Size, rep.Checkpoints, rep.Mismatches)
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, "tables") && strings.Contains(n, "not compared") }) {
		t.Errorf("the log alone does not say the tables went unchecked: %q", rep.Notes)
	}
	for _, st := range rep.Stages {
		if strings.HasPrefix(st.Name, "entities") || strings.HasPrefix(st.Name, "deployments") {
			t.Errorf("the log alone read %q", st.Name)
		}
	}
	mentionsWith(t, db, VerifyOptions{}, tamperCases[0].want)
}
