package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
)

// TestVerifyStages checks that the report times every check: the log
// with the rows the log holds, each table with the rows it holds, and the
// storage check named by the mode it ran in.
func TestVerifyStages(t *testing.T) {
	t.Parallel()
	db := open(t)
	apply(t, db, fixture.Set(4))
	rep := verifyOK(t, db)
	rows := map[string]int64{}
	for i, st := range rep.Stages {
		name, _, _ := strings.Cut(st.Name, " (")
		rows[name] = st.Rows
		if st.Wall < 0 || i > 0 && st.Start < rep.Stages[i-1].Start {
			t.Errorf("stage %q: start %v, wall %v, after %v", st.Name, st.Start, st.Wall, rep.Stages[i-1].Start)
		}
	}
	if n, ok := rows["log: revisions read, hashed and replayed"]; !ok || n != rep.Size {
		t.Errorf("the log's stage read %d rows (found %v), the log holds %d", n, ok, rep.Size)
	}
	var hashes int64
	if err := db.db.QueryRow("SELECT count(*) FROM tree_hashes").Scan(&hashes); err != nil {
		t.Fatal(err)
	}
	if n, ok := rows["tree hashes: compared with the log just read"]; !ok || n != hashes {
		t.Errorf("the tree hashes' stage read %d rows (found %v), the table holds %d", n, ok, hashes)
	}
	for _, tb := range allTables {
		if tb == tEntities {
			continue
		}
		var want int64
		if err := db.db.QueryRow("SELECT count(*) FROM " + tb.name).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if n, ok := rows[tb.name]; !ok || n != want {
			t.Errorf("stage %s: %d rows (found %v), the table holds %d", tb.name, n, ok, want)
		}
	}
	if _, ok := rows["storage: the search indexes"]; !ok {
		t.Errorf("no stage of the search indexes' check: %v", rep.Stages)
	}
	whole, err := db.VerifyWith(context.Background(), VerifyOptions{Storage: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(whole.Stages, func(st Stage) bool { return st.Name == "storage: the whole file" }) {
		t.Errorf("no stage of the whole file's check with VerifyOptions.Storage: %v", whole.Stages)
	}
}
