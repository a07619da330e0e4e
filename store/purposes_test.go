package store

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

// TestPurposeCodes: migration 022 cuts a purpose into its words at
// underscores alone, which holds while every code is lower-case ASCII
// letters and digits between underscores.
func TestPurposeCodes(t *testing.T) {
	t.Parallel()
	code := regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	for _, p := range registry.Purposes.Values {
		if !code.MatchString(p) {
			t.Errorf("purpose %q: migration 022 would cut it into other words than the store does", p)
		}
	}
}

// searchRows are a register's search text and words, as verify compares
// them, and the words search_words lists where the engine keeps them.
type searchRows struct{ bodies, words, known []string }

func readSearchRows(t testing.TB, db *DB) searchRows {
	t.Helper()
	var r searchRows
	r.bodies = column(t, db, "SELECT id || ' ' || body FROM deployments_fts ORDER BY rowid")
	r.words = column(t, db, "SELECT deployment_id || ' ' || word FROM deployment_words ORDER BY deployment_id, word")
	if db.d.words {
		r.known = column(t, db, "SELECT word FROM search_words ORDER BY word")
	}
	return r
}

// column reads the one column of q's rows.
func column(t testing.TB, db *DB, q string) []string {
	t.Helper()
	rows, err := db.db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPurposesMigrated: a register whose search text and words were
// written before the purposes were in them, and which had no table of
// purposes (set here as that projection wrote them), holds, after
// migrations 022 and 023, the rows the store writes now, verifies clean,
// and finds a deployment by a word of its purposes and by its purpose.
func TestPurposesMigrated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(6)
	shop, none, two := set.Deployments[0], set.Deployments[1], set.Deployments[2]
	shop.System.Purposes = []string{"fraud_prevention", "retail_loss_prevention"}
	none.System.Purposes = nil
	// Out of the vocabulary's order: the text keeps the record's.
	two.System.Purposes = []string{"crowd_management", "border_control"}
	apply(t, db, set)
	two.Summary += " Revised."
	apply(t, db, &registry.Set{Deployments: []*registry.Deployment{two}})
	written := readSearchRows(t, db)
	purposeRows := "SELECT deployment_id || ' ' || purpose FROM deployment_purposes ORDER BY deployment_id, purpose"
	writtenPurposes := column(t, db, purposeRows)

	undoPurposes(t, db)
	if _, err := db.db.ExecContext(ctx, "UPDATE schema_version SET version = 21"); err != nil {
		t.Fatal(err)
	}
	before := readSearchRows(t, db)
	if slices.Equal(before.bodies, written.bodies) || slices.Equal(before.words, written.words) || db.d.words && slices.Contains(before.known, "retail") {
		t.Fatal("the rows set as the old projection wrote them are the new ones: nothing to test")
	}
	if err := db.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	migrated := readSearchRows(t, db)
	for _, c := range []struct {
		name      string
		got, want []string
	}{{"deployments_fts", migrated.bodies, written.bodies}, {"deployment_words", migrated.words, written.words}, {"search_words", migrated.known, written.known}} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s after migration 022:\n%q\nwritten by the store:\n%q", c.name, c.got, c.want)
		}
	}
	if got := column(t, db, purposeRows); !slices.Equal(got, writtenPurposes) || len(got) == 0 {
		t.Errorf("deployment_purposes after migration 023:\n%q\nwritten by the store:\n%q", got, writtenPurposes)
	}
	verifyOK(t, db)
	p, err := db.Deployments(ctx, registry.DeploymentFilter{Purpose: "retail_loss_prevention"})
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != shop.ID {
		t.Errorf("purpose retail_loss_prevention after migration 023: %d deployments, %v; want %s", len(p.Items), err, shop.ID)
	}
	for q, want := range map[string][]string{"retail": {shop.ID}, "loss prevention": {shop.ID}, "border": {two.ID}, "crowd management": {two.ID}} {
		p, err := db.Deployments(ctx, registry.DeploymentFilter{Q: q})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var got []string
		for _, d := range p.Items {
			got = append(got, d.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("search %q after migration 022: %q, want %q", q, got, want)
		}
	}
}

// undoPurposes takes db's search text and words back to what the
// projection wrote before migration 022: no purposes in the text, their
// words nowhere, unless the rest of the text held them; nor the table of
// purposes of migration 023. Tests that run
// the migrations again on db call it before undoing earlier ones.
func undoPurposes(t testing.TB, db *DB) {
	t.Helper()
	ctx := context.Background()
	var ds []*registry.Deployment
	for _, state := range column(t, db, "SELECT state FROM entities WHERE kind = 'deployment'") {
		d := new(registry.Deployment)
		if err := json.Unmarshal([]byte(state), d); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("DROP TABLE deployment_purposes") // migration 023
	exec("DELETE FROM deployment_words")
	for _, d := range ds {
		d.System.Purposes = nil
		text := searchText(d)
		exec("UPDATE deployments_fts SET body = $1 WHERE rowid = (SELECT seq FROM entities WHERE kind = 'deployment' AND id = $2)", text, d.ID)
		var values []string
		var args []any
		for _, w := range indexWords(text) {
			args = append(args, w, d.ID)
			values = append(values, fmt.Sprintf("($%d, $%d)", len(args)-1, len(args)))
		}
		if len(values) > 0 {
			exec("INSERT INTO deployment_words (word, deployment_id) VALUES "+strings.Join(values, ", "), args...)
		}
	}
	if db.d.words {
		// search_words as the writes before left it, and its index rebuilt.
		exec("DELETE FROM search_words")
		exec("INSERT INTO search_words (word) SELECT DISTINCT word FROM deployment_words")
		exec("INSERT INTO search_words_fts (search_words_fts) VALUES ('rebuild')")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
