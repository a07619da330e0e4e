package store

import (
	"context"
	"strings"
	"testing"
)

// checkTiersTampered changes the stored tiers of deployment victim in each
// way a hand on the database might, and requires VerifyTiers to name the
// change, the table and the deployment; each change is undone before the
// next.
func checkTiersTampered(t *testing.T, db *DB, victim string) {
	t.Helper()
	ctx := context.Background()
	var packed []byte
	if err := db.db.QueryRowContext(ctx, "SELECT spans FROM deployment_spans WHERE deployment_id = $1", victim).Scan(&packed); err != nil {
		t.Fatal(err)
	}
	first, err := unpackSpans(nil, packed)
	if err != nil || len(first) < 2 {
		t.Fatalf("%s's spans: %v, %v", victim, first, err)
	}
	// The first span under another tier of its framework, whose code the
	// projector makes.
	other := first[0]
	other.code ^= 1
	for _, c := range []struct {
		name string
		sql  []string
		args []any
		want []string // in the mismatches' text
	}{
		{"a row altered", []string{"UPDATE deployment_tiers SET until_day = until_day - 1 WHERE deployment_id = $1 AND code = $2 AND from_day = $3"},
			[]any{victim, first[0].code, first[0].from}, []string{"deployment_tiers: deployment " + victim + " under ", "which the table lacks", "1 rows that no deployment's tiers give", "which its spans do not"}},
		{"a row of no deployment", []string{"INSERT INTO deployment_tiers (code, from_day, until_day, deployment_id) VALUES (0, 10101, 99991231, 'no-such-deployment')"},
			nil, []string{"deployment_tiers: deployment no-such-deployment under ", "which its spans do not"}},
		{"a row deleted", []string{"DELETE FROM deployment_tiers WHERE deployment_id = $1 AND code = $2"},
			[]any{victim, first[1].code}, []string{"deployment_tiers: deployment " + victim + " under ", "which the table lacks"}},
		{"packed spans cut short", []string{"UPDATE deployment_spans SET spans = $2 WHERE deployment_id = $1"},
			[]any{victim, packed[:len(packed)-1]}, []string{"deployment_spans: deployment " + victim + ": [packed spans: "}},
		{"packed spans altered", []string{"UPDATE deployment_spans SET spans = $2 WHERE deployment_id = $1"},
			[]any{victim, packSpans(append([]span{other}, first[1:]...))}, []string{"deployment_spans: deployment " + victim + " under ", "the frameworks give"}},
		{"packed spans deleted", []string{"DELETE FROM deployment_spans WHERE deployment_id = $1"},
			[]any{victim}, []string{"deployment_spans: deployment " + victim + " under ", "the table holds []"}},
		{"packed spans of no deployment", []string{"INSERT INTO deployment_spans (deployment_id, spans) VALUES ('no-such-deployment', $1)"},
			[]any{packed}, []string{"deployment_spans: 1 rows of deployments the register does not hold"}},
	} {
		saved := savedTiers(t, db)
		for _, q := range c.sql {
			if _, err := db.db.ExecContext(ctx, q, c.args...); err != nil {
				t.Fatalf("%s: %s: %v", c.name, q, err)
			}
		}
		_, bad, _, err := db.VerifyTiers(ctx)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var text []string
		for _, m := range bad {
			text = append(text, m.String())
		}
		all := strings.Join(text, "\n")
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: VerifyTiers gives\n%s\nwithout %q", c.name, all, w)
			}
		}
		saved.restore(t, db)
	}
	if _, bad, _, err := db.VerifyTiers(ctx); err != nil || len(bad) > 0 {
		t.Fatalf("VerifyTiers after every change was undone: %v, %v", bad, err)
	}
}

// tierRowsSaved are the rows of the tier tables, as savedTiers read them.
type tierRowsSaved struct {
	spans [][]any // deployment_id, spans
	tiers [][]any // code, from_day, until_day, deployment_id
}

// savedTiers reads every row of deployment_spans and deployment_tiers.
func savedTiers(t *testing.T, db *DB) tierRowsSaved {
	t.Helper()
	var s tierRowsSaved
	read := func(q string, n int) [][]any {
		rows, err := db.db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][]any
		for rows.Next() {
			vals := make([]any, n)
			ptrs := make([]any, n)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	s.spans = read("SELECT deployment_id, spans FROM deployment_spans ORDER BY deployment_id", 2)
	s.tiers = read("SELECT code, from_day, until_day, deployment_id FROM deployment_tiers ORDER BY code, from_day, until_day, deployment_id", 4)
	return s
}

// restore writes the rows saved back in place of the tables' own.
func (s tierRowsSaved) restore(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, q := range []string{"DELETE FROM deployment_spans", "DELETE FROM deployment_tiers"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range s.spans {
		if _, err := tx.ExecContext(ctx, "INSERT INTO deployment_spans (deployment_id, spans) VALUES ($1, $2)", r...); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range s.tiers {
		if _, err := tx.ExecContext(ctx, "INSERT INTO deployment_tiers (code, from_day, until_day, deployment_id) VALUES ($1, $2, $3, $4)", r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
