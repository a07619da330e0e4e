package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
)

func TestIndexWords(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"Safe-City, safe city;\nCITY's", []string{"city", "s", "safe"}},
		{"face_verification_1to1 (2019)", []string{"1to1", "2019", "face", "verification"}},
		// Non-ASCII stays in its word, as it is: the index folds it.
		{"Café ÉTAT naïve–x", []string{"café", "naïve–x", "État"}}, // in byte order
	} {
		if got := indexWords(c.text); !slices.Equal(got, c.want) {
			t.Errorf("indexWords(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// FuzzIndexWords holds the words of a text to what words.go rests on: a
// query word of ASCII letters and digits matches the text in an FTS5 index
// of it exactly when it matches one of the text's words in an FTS5 index
// of the words, both with the search index's tokenizer.
func FuzzIndexWords(f *testing.F) {
	for _, s := range [][2]string{
		{"Safe-City, safe city;\nCITY's", "citi"},
		{"cities of the plain", "city"},
		{"policing policy", "polic"},
		{"Café ÉTAT naïve–x", "etat"},
		{"naïve–x", "x"},
		{"e\u0301tat", "tat"},
		{"\xc3a\x80b", "b"},
		{"face_verification_1to1", "1to"},
		{"", "a"},
	} {
		f.Add(s[0], s[1])
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	for _, q := range []string{
		"CREATE VIRTUAL TABLE text_fts USING fts5 (body, tokenize = 'porter unicode61', detail = none, prefix = '2 3 4 5 6 7 8')",
		"CREATE VIRTUAL TABLE words_fts USING fts5 (word, tokenize = 'porter unicode61', detail = none, prefix = '2 3 4 5 6 7 8')",
	} {
		if _, err := db.Exec(q); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, text, word string) {
		words := indexWords(text)
		for i, w := range words {
			if w == "" || strings.IndexFunc(w, func(r rune) bool { return r < 0x80 && asciiSeparator(byte(r)) || 'A' <= r && r <= 'Z' }) >= 0 ||
				i > 0 && words[i-1] >= w || !strings.Contains(strings.ToLower(text), strings.ToLower(w)) && !strings.Contains(text, w) {
				t.Fatalf("indexWords(%q) = %q: %q is no word of it", text, words, w)
			}
		}
		if !oneWord(word) || len(word) > 40 {
			return
		}
		for _, q := range []string{"DELETE FROM text_fts", "DELETE FROM words_fts"} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Exec("INSERT INTO text_fts (body) VALUES ($1)", text); err != nil {
			t.Fatal(err)
		}
		for _, w := range words {
			if _, err := db.Exec("INSERT INTO words_fts (word) VALUES ($1)", w); err != nil {
				t.Fatal(err)
			}
		}
		q := sqlite.query([]string{word}, true)
		var inText, inWords int
		if err := db.QueryRow("SELECT count(*) FROM text_fts WHERE text_fts MATCH $1", q).Scan(&inText); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow("SELECT count(*) > 0 FROM words_fts WHERE words_fts MATCH $1", q).Scan(&inWords); err != nil {
			t.Fatal(err)
		}
		if inText != inWords {
			t.Errorf("%s: the text %q matches %d, its words %q %d", q, text, inText, words, inWords)
		}
	})
}

// TestWordsMigrated: migration 018 cuts the search text of an existing
// register into the same words as the store writes, punctuation, capitals
// and letters beyond ASCII included.
func TestWordsMigrated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := open(t)
	set := fixture.Set(6)
	d := set.Deployments[0]
	d.Summary = "Café-CITY's \"ÉTAT\" naïve–x, face_ID (2019)\t1.5 back\\slash"
	apply(t, db, set)
	read := func() []string {
		return column(t, db, "SELECT deployment_id || ' ' || word FROM deployment_words ORDER BY deployment_id, word")
	}
	written := read()
	if !slices.Contains(written, d.ID+" état") && !slices.Contains(written, d.ID+" État") {
		t.Fatalf("the store wrote no word ÉTAT for %s: %q", d.ID, written)
	}
	body, err := migrations.ReadFile(migrationFile(t, db, 18))
	if err != nil {
		t.Fatal(err)
	}
	fill := string(body)[strings.Index(string(body), "INSERT INTO deployment_words"):]
	if db.d.words {
		// search_words is kept as it is: its rows are only ever added.
		fill = fill[:strings.Index(fill, "INSERT INTO search_words")]
	}
	for _, q := range []string{"DELETE FROM deployment_words", fill} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if got := read(); !slices.Equal(got, written) {
		t.Errorf("migrated:\n%q\nwritten:\n%q", got, written)
	}
	verifyOK(t, db)
	if db.d.words {
		// A word written is found through search_words_fts.
		p, err := db.Deployments(ctx, registry.DeploymentFilter{Q: "etat"})
		if err != nil || len(p.Items) != 1 || p.Items[0].ID != d.ID {
			t.Errorf("etat: %v, %v; want %s", p.Items, err, d.ID)
		}
	}
}

// migrationFile is the name of db's migration n.
func migrationFile(t *testing.T, db *DB, n int) string {
	t.Helper()
	ms, err := migrationSteps(migrations, db.d.migrations)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.n == n {
			return m.name
		}
	}
	t.Fatalf("no migration %d", n)
	return ""
}

// undoWords are the statements that take a register back to before
// migration 018, for tests that run the migrations again on db.
func undoWords(db *DB) []string {
	if db.d.name == "postgres" {
		return []string{"DROP TABLE deployment_words"}
	}
	return []string{"DROP TRIGGER search_words_indexed", "DROP TABLE search_words_fts", "DROP TABLE search_words", "DROP TABLE deployment_words"}
}

// TestWordsPastTheBound: a write that sends more words to search_words
// than it remembers (maxWordsSeen) still leaves every word of
// deployment_words there, a word sent twice once.
func TestWordsPastTheBound(t *testing.T) {
	t.Parallel()
	db := open(t)
	db.d.maxWordsSeen = 3
	set := fixture.Set(6)
	for _, d := range set.Deployments {
		d.Summary = "city city safe " + d.ID
	}
	apply(t, db, set)
	verifyOK(t, db)
	if !db.d.words {
		return
	}
	var listed, found int
	if err := db.q.QueryRowContext(context.Background(), `SELECT (SELECT count(DISTINCT word) FROM deployment_words),
		(SELECT count(*) FROM search_words WHERE word IN (SELECT word FROM deployment_words))`).Scan(&listed, &found); err != nil {
		t.Fatal(err)
	}
	if listed < 2*db.d.maxWordsSeen || found != listed {
		t.Errorf("deployment_words lists %d words, search_words holds %d of them", listed, found)
	}
}
