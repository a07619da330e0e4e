package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// A schemaItem is one object of a database's schema as verify compares
// it: its kind (table, column, index, trigger, view, ...), its name
// (table.object for what belongs to a table), and its definition.
type schemaItem struct{ kind, name, def string }

// A schema is the objects of a database's schema, in order of kind and
// name.
type schema []schemaItem

// def returns the definition of an object, and whether there is one.
func (s schema) def(kind, name string) (string, bool) {
	i, ok := slices.BinarySearchFunc(s, schemaItem{kind, name, ""}, compareItems)
	if !ok {
		return "", false
	}
	return s[i].def, true
}

func compareItems(a, b schemaItem) int {
	return cmp.Or(strings.Compare(a.kind, b.kind), strings.Compare(a.name, b.name))
}

// A storeCheck is what checking the database itself found: its schema
// against the one the migrations create, its storage, and its search
// index against the index's own rows.
type storeCheck struct {
	whole  bool // SQLite's check of the whole file (VerifyOptions.Storage)
	stages *stageLog
	head   int64
	bad    findings
	notes  []string
}

// checkStore compares the live schema with the one the migrations create,
// then runs the engine's check of its storage and search index. An extra
// trigger can rewrite rows as they are written, a view put in a table's
// place can rewrite them as they are read, and a dropped index or changed
// column changes what queries return; none of that is in the log.
func (s *DB) checkStore(ctx context.Context, c *storeCheck) error {
	want, err := s.migratedSchema(ctx)
	if err != nil {
		return fmt.Errorf("verify: the schema the migrations create: %w", err)
	}
	sn, err := s.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer sn.Close()
	c.head = sn.size
	err = c.stages.time("schema", func() (int64, error) {
		got, err := describeSchema(ctx, sn.q, s.d.describe)
		if err == nil {
			compareSchemas(want, got, c.bad.add)
		}
		return int64(len(got)), err
	})
	if err != nil {
		return err
	}
	name := "storage: the search indexes"
	if c.whole {
		name = "storage: the whole file"
	}
	return c.stages.time(name, func() (int64, error) {
		return -1, s.d.checkStorage(ctx, sn, want, c)
	})
}

// migratedSchemas keeps, by engine and server version, the schema the
// migrations create (a schema, read only): a process that verifies several
// registers (the tests, a monitor) runs the migrations on scratch once.
var migratedSchemas sync.Map

// migratedSchema runs the migrations on an empty schema in a transaction
// that is rolled back, and describes what they made: the one definition
// of the schema, rather than a copy of it kept beside them.
func (s *DB) migratedSchema(ctx context.Context) (schema, error) {
	var version string
	if err := s.db.QueryRowContext(ctx, s.d.version).Scan(&version); err != nil {
		return nil, err
	}
	key := s.d.name + " " + version
	if v, ok := migratedSchemas.Load(key); ok {
		return v.(schema), nil
	}
	want, err := s.runMigrations(ctx)
	if err == nil {
		migratedSchemas.Store(key, want)
	}
	return want, err
}

// runMigrations describes the schema the migrations create on scratch.
func (s *DB) runMigrations(ctx context.Context) (schema, error) {
	tx, done, err := s.d.scratch(ctx, s)
	if err != nil {
		return nil, err
	}
	defer done()
	ms, err := migrationSteps(migrations, s.d.migrations)
	if err != nil {
		return nil, err
	}
	if _, err := readVersion(ctx, tx); err != nil {
		return nil, err
	}
	for _, m := range ms {
		if err := m.apply(ctx, tx); err != nil {
			return nil, err
		}
	}
	return describeSchema(ctx, tx, s.d.describe)
}

// sqliteScratch opens a transaction on an empty in-memory database.
func sqliteScratch(ctx context.Context, _ *DB) (*sql.Tx, func(), error) {
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(1) // each connection would open a database of its own
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return tx, func() { tx.Rollback(); db.Close() }, nil
}

// postgresScratch opens a transaction on the register's database in which
// a new, empty schema comes first in the search path. The transaction is
// rolled back, schema and all: verify leaves nothing behind, but its role
// needs the right to create a schema.
func postgresScratch(ctx context.Context, s *DB) (*sql.Tx, func(), error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	name := fmt.Sprintf("oversight_verify_%d", rand.Uint64())
	for _, q := range []string{"CREATE SCHEMA " + name, "SET LOCAL search_path TO " + name} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			tx.Rollback()
			return nil, nil, fmt.Errorf("%w (verify compares the schema with one the migrations make in a schema of their own, rolled back)", err)
		}
	}
	return tx, func() { tx.Rollback() }, nil
}

// describeSchema reads a schema through the dialect's query, which returns
// (kind, name, definition) rows.
func describeSchema(ctx context.Context, q querier, query string) (schema, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out schema
	for rows.Next() {
		var it schemaItem
		var def sql.NullString
		if err := rows.Scan(&it.kind, &it.name, &def); err != nil {
			return nil, err
		}
		it.def = def.String
		out = append(out, it)
	}
	slices.SortFunc(out, compareItems)
	return out, rows.Err()
}

// compareSchemas reports the objects that are in one schema and not the
// other, and those defined differently.
func compareSchemas(want, got schema, bad badFunc) {
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		c := 0
		switch {
		case i == len(want):
			c = 1
		case j == len(got):
			c = -1
		default:
			c = compareItems(want[i], got[j])
		}
		switch {
		case c < 0:
			bad("schema", "%s %s is missing%s", want[i].kind, want[i].name, defined("; the migrations create it as ", want[i].def))
			i++
		case c > 0:
			bad("schema", "%s %s is not one the migrations create%s", got[j].kind, got[j].name, defined(": ", got[j].def))
			j++
		default:
			if want[i].def != got[j].def {
				bad("schema", "%s %s differs from the one the migrations create: %s", got[j].kind, got[j].name, difference(want[i].def, got[j].def))
			}
			i++
			j++
		}
	}
}

// defined shows a definition after a lead, when there is one: SQLite
// keeps none for the indexes it makes itself.
func defined(lead, def string) string {
	if def == "" {
		return ""
	}
	return lead + shorten(def, 160)
}

// shorten collapses runs of white space and cuts s to about n bytes.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		cut := n
		for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// difference shows where two definitions part: a little of what comes
// before, and what each says from there.
func difference(want, got string) string {
	want, got = strings.Join(strings.Fields(want), " "), strings.Join(strings.Fields(got), " ")
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-30)
	for from > 0 && want[from]&0xC0 == 0x80 {
		from--
	}
	lead := ""
	if from > 0 {
		lead = "..."
	}
	return fmt.Sprintf("was %q, now %q", lead+shorten(want[from:], 100), lead+shorten(got[from:], 100))
}

// sqliteSchema describes a SQLite database: every table, index, trigger
// and view with the statement that made it, as sqlite_schema keeps it
// (automatic indexes have none), and the schema version. ANALYZE's
// statistics tables are left out: they change how queries run, not what
// they return.
const sqliteSchema = `
SELECT type, CASE WHEN type IN ('index', 'trigger') THEN tbl_name || '.' || name ELSE name END, coalesce(sql, '')
FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%'
UNION ALL
SELECT 'version', 'schema_version', group_concat(version) FROM schema_version`

// postgresSchema describes the register's schema (the current schema) in
// PostgreSQL's catalogs: relations with row security, columns with their
// types, constraints, defaults, generation expressions and collations,
// indexes, triggers, rules, policies, functions, types and operators, and
// the schema version. Objects of extensions are left out; the schema's
// name is taken out of definitions, so that the migrations' scratch schema
// compares equal.
const postgresSchema = `
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = current_schema()),
ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
rel AS (
    SELECT c.* FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM ns)
    AND (c.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_class'::regclass)))
SELECT kind, name, replace(def, quote_ident(current_schema()) || '.', '') FROM (
    SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
        WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' WHEN 'S' THEN 'sequence'
        WHEN 'c' THEN 'type' ELSE 'relation' END AS kind,
        c.relname::text AS name,
        concat_ws(' ', CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
            CASE WHEN c.relrowsecurity THEN 'ROW LEVEL SECURITY' END,
            CASE WHEN c.relforcerowsecurity THEN 'FORCE ROW LEVEL SECURITY' END) AS def
    FROM rel c WHERE c.relkind NOT IN ('i', 'I', 't')
    UNION ALL
    SELECT 'column', c.relname || '.' || a.attname,
        concat_ws(' ', format_type(a.atttypid, a.atttypmod),
            CASE WHEN a.attnotnull THEN 'NOT NULL' END,
            CASE WHEN a.attgenerated <> '' THEN 'GENERATED' WHEN d.adbin IS NOT NULL THEN 'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) END,
            CASE WHEN a.attcollation <> t.typcollation THEN 'COLLATE ' || (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END)
    FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relkind IN ('r', 'p', 'f')
    UNION ALL
    SELECT 'generated column', c.relname || '.' || a.attname, pg_get_expr(d.adbin, d.adrelid)
    FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attgenerated <> '' AND NOT a.attisdropped
    JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    UNION ALL
    SELECT 'constraint', c.relname || '.' || k.conname, pg_get_constraintdef(k.oid)
    FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid
    UNION ALL
    SELECT 'index', c.relname || '.' || i.relname, pg_get_indexdef(x.indexrelid)
    FROM rel c JOIN pg_index x ON x.indrelid = c.oid JOIN pg_class i ON i.oid = x.indexrelid
    UNION ALL
    SELECT 'trigger', c.relname || '.' || g.tgname,
        pg_get_triggerdef(g.oid) || CASE g.tgenabled WHEN 'D' THEN ' (disabled)' ELSE '' END
    FROM rel c JOIN pg_trigger g ON g.tgrelid = c.oid AND NOT g.tgisinternal
    UNION ALL
    SELECT 'rule', c.relname || '.' || w.rulename, pg_get_ruledef(w.oid)
    FROM rel c JOIN pg_rewrite w ON w.ev_class = c.oid AND w.rulename <> '_RETURN'
    UNION ALL
    SELECT 'policy', c.relname || '.' || p.polname,
        concat_ws(' ', p.polcmd, pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM rel c JOIN pg_policy p ON p.polrelid = c.oid
    UNION ALL
    SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.prosrc
    FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)
    AND p.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_proc'::regclass)
    UNION ALL
    SELECT 'type', t.typname, t.typtype::text FROM pg_type t
    WHERE t.typnamespace = (SELECT oid FROM ns) AND t.typrelid = 0 AND t.typcategory <> 'A'
    AND t.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_type'::regclass)
    UNION ALL
    SELECT 'operator', o.oprname || '(' || format_type(o.oprleft, NULL) || ', ' || format_type(o.oprright, NULL) || ')', o.oprcode::text
    FROM pg_operator o WHERE o.oprnamespace = (SELECT oid FROM ns)
    AND o.oid NOT IN (SELECT objid FROM ext WHERE classid = 'pg_operator'::regclass)
    UNION ALL
    SELECT 'version', 'schema_version', string_agg(version::text, ',') FROM schema_version
) AS objects`
