package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"

	"oversight/ledger"
)

var postgres = dialect{
	limits: defaultLimits,
	name:   "postgres",
	// Every writer takes this row lock first, so one process at a time
	// appends to the log however many servers share the database; readers
	// are not blocked.
	lockHead:   "SELECT size FROM log_head WHERE id = 1 FOR UPDATE",
	migrations: "migrations/postgres",
	param:      func(i int) string { return "$" + strconv.Itoa(i) },
	// The database's collation may not be bytewise.
	collate:  ` COLLATE "C"`,
	snapshot: sql.LevelRepeatableRead,
	inJSON: func(column, ph string) string {
		return column + " IN (SELECT jsonb_array_elements_text(" + ph + "::jsonb))"
	},
	instr: func(s, sub string) string { return "strpos(" + s + ", " + sub + ")" },
	anyVendor: func(list, query string) string {
		return "EXISTS (SELECT 1 FROM unnest(string_to_array(" + list + ", ' ')) j(v) WHERE split_part(j.v, ':', 1) IN (" + query + "))"
	},
	match: func(ph string) string { return "tsv @@ to_tsquery('english', " + ph + ")" },
	spanKeys: func(ph string) string {
		return "SELECT (j ->> 0)::integer AS code, (j ->> 1)::integer AS from_day, (j ->> 2)::integer AS until_day, j ->> 3 AS deployment_id FROM jsonb_array_elements(" + ph + "::jsonb) j"
	},
	// to_tsquery: word:* for a prefix. The words hold only letters and
	// digits, so they cannot reach its syntax.
	query: func(words []string, prefix bool) string {
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = w
			if prefix {
				q[i] += ":*"
			}
		}
		return strings.Join(q, " & ")
	},
	migrateLock:  "SELECT pg_advisory_xact_lock(727269)",
	describe:     postgresSchema,
	version:      "SHOW server_version_num",
	scratch:      postgresScratch,
	checkStorage: postgresStorage,
}

// OpenPostgres opens the register in the PostgreSQL database at url
// (postgres://…) and brings its schema up to date. Several processes may
// share it: writes take a row lock on the log head, migrations an advisory
// lock.
func OpenPostgres(ctx context.Context, url string, key *ledger.Key) (*DB, error) {
	return OpenPostgresWithin(ctx, url, key, Memory{})
}

// OpenPostgresWithin is OpenPostgres with its connections bounded by
// m.Conns; the caches are the PostgreSQL server's, outside this process.
func OpenPostgresWithin(ctx context.Context, url string, key *ledger.Key, m Memory) (*DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	m.within(db)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &DB{reader: reader{db, postgres, key, &tierState{}, nil}, db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return s, nil
}
