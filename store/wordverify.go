package store

import (
	"context"
	"maps"
	"slices"
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

// see checks the word of one row of deployment_words. The map is looked
// up with the cell's own string; only a missing word is kept.
func (w *wordCheck) see(word any) {
	s := cell(word)
	if _, ok := w.known[s]; !ok {
		w.missing[s] = struct{}{}
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
