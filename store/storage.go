package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// sqliteStorage runs SQLite's integrity_check. Whole (storeCheck.whole),
// it checks every page of the file, every index against its table and,
// from SQLite 3.44, every FTS5 index against its content. Otherwise it
// checks the FTS5 indexes alone (integrity_check of each FTS5 table),
// which are the search's: verify compares the index's content (its
// rowid, id and body) with the log; search reads the inverted index,
// which can be made to disagree with the content (edit the content, have
// FTS5 rebuild the index, put the content back), so that search finds the
// wrong rows while the content is right.
func sqliteStorage(ctx context.Context, sn *Snapshot, want schema, c *storeCheck) error {
	// FTS5 reloads the index structure it caches per connection when a
	// cursor opens on the table, not when integrity_check reads it: a
	// connection of the pool that read the index before another rewrote
	// it would check the old structure against the new content.
	var one int64
	if err := sn.q.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT rowid FROM "+tDepFTS.name+" LIMIT 1)").Scan(&one); err != nil {
		return err
	}
	checks := []string{"PRAGMA integrity_check(" + strconv.Itoa(most) + ")"}
	if !c.whole {
		checks = nil
		for _, t := range ftsTables(want) {
			checks = append(checks, "PRAGMA integrity_check("+t+")")
		}
		c.notes = append(c.notes, "SQLite's file itself (its pages, and each index against its table) was not checked: verify --storage runs PRAGMA integrity_check of the whole file")
	}
	var found []string
	for _, q := range checks {
		msgs, err := integrityCheck(ctx, sn, q)
		if err != nil {
			return err
		}
		found = append(found, msgs...)
	}
	search := false
	for i, msg := range found {
		if i == most {
			c.bad.add("database", "integrity_check: and %d more", len(found)-most)
			break
		}
		c.bad.add("database", "integrity_check: %s", msg)
		search = search || strings.Contains(msg, "FTS5 table main."+tDepFTS.name)
	}
	if search {
		if err := searchRowsSQLite(ctx, sn, want, c.bad.add); err != nil {
			c.bad.add(tDepFTS.name, "the search index differs from its rows; which rows could not be told: %v", err)
		}
	}
	return nil
}

// ftsTables returns the FTS5 tables the migrations make.
func ftsTables(want schema) []string {
	var names []string
	for _, it := range want {
		if it.kind == "table" && strings.Contains(strings.ToUpper(it.def), " USING FTS5") {
			names = append(names, it.name)
		}
	}
	return names
}

// integrityCheck runs one PRAGMA integrity_check and returns what it
// found other than "ok".
func integrityCheck(ctx context.Context, sn *Snapshot, q string) ([]string, error) {
	msgs, err := queryStrings(ctx, sn.q, q)
	return slices.DeleteFunc(msgs, func(m string) bool { return m == "ok" }), err
}

// searchRowsSQLite names the rows whose entries in the FTS5 index differ
// from their text. It indexes the text again, in a temporary table made
// as the migrations make the index, and compares the (term, row) pairs of
// the two indexes through fts5vocab. It runs only once integrity_check
// found the index damaged, and costs about what indexing the register
// did; the temporary tables go with the snapshot's transaction.
func searchRowsSQLite(ctx context.Context, sn *Snapshot, want schema, bad badFunc) error {
	def, ok := want.def("table", tDepFTS.name)
	using := strings.Index(def, " USING ")
	if !ok || using < 0 {
		return fmt.Errorf("the migrations make no FTS5 table %s", tDepFTS.name)
	}
	for _, q := range []string{
		"CREATE VIRTUAL TABLE temp.verify_fts" + def[using:],
		"INSERT INTO temp.verify_fts (rowid, id, body) SELECT rowid, id, body FROM main." + tDepFTS.name,
		"CREATE VIRTUAL TABLE temp.verify_got USING fts5vocab(main, " + tDepFTS.name + ", instance)",
		"CREATE VIRTUAL TABLE temp.verify_want USING fts5vocab(temp, verify_fts, instance)",
	} {
		if _, err := sn.c.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	rows, err := sn.q.QueryContext(ctx, `
SELECT d.doc, coalesce(f.id, ''), d.term, d.held FROM (
    SELECT doc, term, 1 AS held FROM (SELECT term, doc FROM temp.verify_got EXCEPT SELECT term, doc FROM temp.verify_want)
    UNION ALL
    SELECT doc, term, 0 FROM (SELECT term, doc FROM temp.verify_want EXCEPT SELECT term, doc FROM temp.verify_got)
) AS d LEFT JOIN main.`+tDepFTS.name+` AS f ON f.rowid = d.doc
ORDER BY d.doc, d.held DESC, d.term`)
	if err != nil {
		return err
	}
	defer rows.Close()
	type terms struct {
		id          string
		held, lacks []string
	}
	var docs []int64
	byDoc := map[int64]*terms{}
	for rows.Next() {
		var doc int64
		var id, term string
		var held bool
		if err := rows.Scan(&doc, &id, &term, &held); err != nil {
			return err
		}
		t := byDoc[doc]
		if t == nil {
			if len(docs) == most+1 {
				break
			}
			t = &terms{id: id}
			byDoc[doc] = t
			docs = append(docs, doc)
		}
		if held {
			t.held = append(t.held, term)
		} else {
			t.lacks = append(t.lacks, term)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, doc := range docs {
		if i == most {
			bad(tDepFTS.name, "and the search index of more rows")
			break
		}
		t := byDoc[doc]
		var parts []string
		if len(t.held) > 0 {
			parts = append(parts, "holds "+listTerms(t.held)+", which its body does not")
		}
		if len(t.lacks) > 0 {
			parts = append(parts, "lacks "+listTerms(t.lacks)+", which its body holds")
		}
		bad(tDepFTS.name, "the search index of row rowid=%d (id %s) %s", doc, t.id, strings.Join(parts, "; "))
	}
	return nil
}

// listTerms quotes the first few terms and counts the rest.
func listTerms(ts []string) string {
	const show = 5
	q := make([]string, 0, show)
	for _, t := range ts[:min(len(ts), show)] {
		q = append(q, strconv.Quote(t))
	}
	s := "the terms " + strings.Join(q, ", ")
	if len(ts) > show {
		s += fmt.Sprintf(" and %d more", len(ts)-show)
	}
	return s
}

// postgresStorage checks the search index: each row's tsvector must be
// the one the migrations' expression gives for its body, recomputed for
// every row in one scan on the server. The column is generated, so
// PostgreSQL computes it on every write; it differs only when the column
// was made writable (ALTER ... DROP EXPRESSION, which the schema check
// reports too), when the text search configuration it uses was changed,
// or when the files were edited.
//
// PostgreSQL has no counterpart of integrity_check to run: its amcheck
// extension is not installed by default, and verify installs nothing.
// The report says so.
func postgresStorage(ctx context.Context, sn *Snapshot, want schema, c *storeCheck) error {
	c.notes = append(c.notes, "PostgreSQL's storage itself was not checked: it has no integrity_check (run pg_amcheck, from PostgreSQL's client programs, and keep data checksums on)")
	expr, ok := want.def("generated column", tDepFTS.name+".tsv")
	if !ok {
		return fmt.Errorf("the migrations make no generated column %s.tsv", tDepFTS.name)
	}
	// Neither ORDER BY nor LIMIT: with them PostgreSQL walks the primary
	// key on one core; without, it scans the table in parallel.
	rows, err := sn.q.QueryContext(ctx, "SELECT rowid, id FROM "+tDepFTS.name+" WHERE tsv IS DISTINCT FROM ("+expr+")")
	if err != nil {
		c.bad.add(tDepFTS.name, "the search index could not be checked: %v", err)
		return nil
	}
	type found struct {
		rowid int64
		id    string
	}
	var differ []found
	for rows.Next() && len(differ) <= most {
		var f found
		if err := rows.Scan(&f.rowid, &f.id); err != nil {
			rows.Close()
			return err
		}
		differ = append(differ, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortFunc(differ, func(a, b found) int { return cmp.Compare(a.rowid, b.rowid) })
	for i, f := range differ {
		if i == most {
			c.bad.add(tDepFTS.name, "and the search index of more rows")
			break
		}
		c.bad.add(tDepFTS.name, "the search index of row rowid=%d (id %s) is not the one its body gives (column tsv)", f.rowid, f.id)
	}
	return nil
}
