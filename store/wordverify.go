package store

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// A wordCheck names the words deployment_words lists that search_words
// lacks: a page of such a word would miss its deployments, and no other
// check sees it, as search_words is no projection (verify compares
// deployment_words with the states, and integrity_check search_words_fts
// with search_words).
//
// It rides on verify's one read of deployment_words (see readTable): the
// known words are loaded first, from the same snapshot, and each row's
// word is looked up as it goes by. A query of its own (the words of
// deployment_words not in search_words) read that table's 24 million rows
// again at 1M deployments.
type wordCheck struct {
	known   map[string]struct{} // search_words
	missing map[string]struct{} // words of deployment_words not in known
}

// load reads search_words: one row a distinct word, about 100,000 at 1M
// deployments.
func (w *wordCheck) load(ctx context.Context, q querier) error {
	words, err := queryStrings(ctx, q, "SELECT word FROM "+tSearchWords.name)
	if err != nil {
		return err
	}
	w.known = make(map[string]struct{}, len(words))
	for _, s := range words {
		w.known[s] = struct{}{}
	}
	w.missing = map[string]struct{}{}
	return nil
}

// see checks the word of one row of deployment_words; only a missing word
// is kept.
func (w *wordCheck) see(word string) {
	if _, ok := w.known[word]; !ok {
		w.missing[strings.Clone(word)] = struct{}{}
	}
}

// report names the missing words in their order, at most maxWordFindings.
func (w *wordCheck) report(bad badFunc) {
	for i, s := range slices.Sorted(maps.Keys(w.missing)) {
		if i == maxWordFindings {
			bad("search_words", "and more words missing")
			return
		}
		bad("search_words", "word %q is listed in deployment_words but missing, so a search for it finds nothing", s)
	}
}

const maxWordFindings = 10

// Verify reads and digests deployment_words one deployment at a time, as
// its id, how many rows it holds and their words in byte order joined by
// a space (wordGroup): through the driver, its two dozen rows a deployment
// cost twice SQLite's own reading of them. No word of the projection holds
// a space (indexWords cuts at every ASCII separator), so a group with as
// many rows and the same text holds the same words; a word given a space
// makes more parts than rows, and differs.
func wordGroup(id string, words []string) []any {
	return []any{id, int64(len(words)), strings.Join(words, " ")}
}

// wordGroups is the query of deployment_words' groups, in the order of
// their ids; a group's words come in any order, which readWords sorts.
func (s *DB) wordGroups() string {
	return "SELECT deployment_id, count(*), string_agg(word, ' ') FROM " + tDepWords.name +
		" GROUP BY deployment_id ORDER BY deployment_id" + s.d.collate
}

// readWords digests deployment_words as wordGroup's rows, and, given w,
// checks each word against search_words.
func (s *DB) readWords(ctx context.Context, q querier, d *tableDigest, w *wordCheck) error {
	rows, err := q.QueryContext(ctx, s.wordGroups())
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		// A NULL id or word, which only an edited schema lets in, reads
		// as cell's NULL and differs, rather than failing the scan.
		id, text any
		n        int64
		words    []string
	)
	for rows.Next() {
		if err := rows.Scan(&id, &n, &text); err != nil {
			return err
		}
		var vals []any
		vals, words = readGroup(cell(id), n, cell(text), words)
		if w != nil {
			for _, word := range words {
				w.see(word)
			}
		}
		d.addGroup(vals, n)
	}
	return rows.Err()
}

// readGroup is the digest row of a group of deployment_words as read: n
// rows whose words string_agg joined as text, in whatever order it took
// them. It returns the words too, in byte order, in buf's array.
func readGroup(id string, n int64, text string, buf []string) ([]any, []string) {
	words := append(buf[:0], strings.Split(text, " ")...)
	if !slices.IsSorted(words) {
		slices.Sort(words)
		text = strings.Join(words, " ")
	}
	return []any{id, n, text}, words
}
