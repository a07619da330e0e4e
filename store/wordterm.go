package store

import (
	"context"
	"fmt"
	"strings"
)

// A word of a search among other filters (a jurisdiction, a technology, a
// cursor) was tested, as the deployments were walked, against the set of
// every revision the full-text index matches (searchTerm's test): read
// whole once a statement, 193,034 rowids for "city" at 1M, which cost a
// page of one jurisdiction from a cursor 29 ms of sqlite3's CPU where the
// walk found its 51 rows in a few hundred. Such a test also left the walk
// without a budget, so a word that no deployment of the jurisdiction holds
// walked every one of them (docs/performance.md, "At capacity").
//
// So a word that deployment_words lists (words.go) is a filter like the
// others: tested by one probe of that table's (deployment_id, word) index
// for each deployment walked, listed from its (word, deployment_id) key,
// and counted there. The same page: for a common word a tenth of the
// CPU or less; for a rare one walked with a jurisdiction (border, 9,392
// deployments) the probes cost more than its small set did (110-120 ms of
// the server's CPU against 70), which intersect.go's merge answers now.

// wordForms returns the words of the register that word matches as a
// prefix, as deployments_fts matches it, and false when word is not read
// through deployment_words: not one token, or matching more than
// maxForms words.
func (s *reader) wordForms(ctx context.Context, word string) ([]string, bool, error) {
	if !s.d.words || !oneWord(word) {
		return nil, false, nil
	}
	rows, err := s.q.QueryContext(ctx, fmt.Sprintf("SELECT word FROM search_words_fts WHERE search_words_fts MATCH $1 LIMIT %d", maxForms+1),
		s.d.query([]string{word}, true))
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	forms := []string{}
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, false, err
		}
		forms = append(forms, f)
	}
	if err := rows.Err(); err != nil || len(forms) > maxForms {
		return nil, false, err
	}
	return forms, true, nil
}

// wordTerms returns a term for each of words, read from deployment_words,
// and false when any of them is not read there (wordForms): then the
// words are one term of the full-text index (searchTerm). The index
// matches every word, so each is a filter of its own.
func (s *reader) wordTerms(ctx context.Context, words []string) ([]term, bool, error) {
	terms := make([]term, len(words))
	for i, w := range words {
		forms, ok, err := s.wordForms(ctx, w)
		if err != nil || !ok {
			return nil, false, err
		}
		terms[i] = wordTerm(forms)
		terms[i].word = w
	}
	return terms, true, nil
}

// wordTerm is the term of the deployments that hold any of forms, a
// search word's forms in the register (none: no deployment holds it).
func wordTerm(forms []string) term {
	if len(forms) == 0 {
		none := func(func(any) string) string { return "SELECT id FROM deployments WHERE 0 = 1" }
		return term{set: none, test: func(func(any) string) string { return "0 = 1" }, known: 0, forms: forms, free: freeList}
	}
	in := func(arg func(any) string) string { return "word IN " + placeholders(arg, forms) }
	// Each form's list in id order; several are merged by a compound
	// UNION, which intersect.go puts first of its compound.
	ordered := func(arg func(any) string, from, upto string) string {
		arms := make([]string, len(forms))
		for i, f := range forms {
			arms[i] = formList(arg, f, from, upto)
		}
		return strings.Join(arms, " UNION ")
	}
	return term{
		set: func(arg func(any) string) string {
			return "SELECT deployment_id FROM deployment_words WHERE " + in(arg)
		},
		test: func(arg func(any) string) string {
			return "EXISTS (SELECT 1 FROM deployment_words w WHERE w.deployment_id = d.id AND w." + in(arg) + ")"
		},
		known: -1, forms: forms, free: freeCounted, ordered: ordered, listed: ordered,
	}
}

// formList writes the query of the ids of the deployments that hold word
// form, after the id placeholder from holds and up to upto's (upTo), in id
// order.
func formList(arg func(any) string, form, from, upto string) string {
	return "SELECT deployment_id FROM deployment_words WHERE word = " + arg(form) + " AND deployment_id > " + from + upTo("deployment_id", upto)
}

// jointTerm returns the term of the deployments that hold every search
// word among terms (two or more), read together from the full-text index,
// for a merge of their lists that finds few (listPage) to list instead,
// and for conditions that test each word to list beside them.
// Words each held by many deployments may be held together by few: "city"
// and "police" by 249,519 and 183,569 of a million synthetic deployments,
// both by 4,611, none of them in India. The merge of their lists and
// India's read every list to its end to find that (490 ms of the server's
// CPU), where the index steps through the words' lists together and
// counts them in a few milliseconds (docs/performance.md, "Every route at
// 1M"). It is never tested: each word's own term tests it.
func (s *reader) jointTerm(terms []term) (term, bool) {
	var words []string
	for _, t := range terms {
		if t.word != "" {
			words = append(words, t.word)
		}
	}
	if len(words) < 2 {
		return term{}, false
	}
	t := s.searchTerm(words)
	t.test = func(func(any) string) string { return "1 = 1" }
	t.once, t.free = false, freeTest
	return t, true
}

// jointCost is how many ids of a merge's head word's lists cost as much to
// merge as one of its words' joint matches costs to list: about 1.6 µs an
// id merged and 10-20 µs a match listed (its id read from the full-text
// index's content, its deployment looked up and tested), measured on the
// pages of "city police" in India at 1M and "smart city" in Pakistan at
// 100k (docs/performance.md, "Every route at 1M").
const jointCost = 10

// jointListed returns the term of the words among terms held together
// (jointTerm), with its count, when listing it costs less than reading on
// the merged lists, walked of whose head word's ids the merge has read:
// its matches are fewer than listMatches, and fewer than a jointCost-th
// of the head word's ids left. At 100k "smart" and "city" are both held
// by 9,459 of the 13,256 deployments that hold "smart" or its forms, and
// listed they cost a page of Pakistan's three times the merge. Both are
// counted in the full-text index, which counts the head word's matches
// faster than its lists would (each count stops at its bound).
func (s *reader) jointListed(ctx context.Context, terms, merged []term, walked int, trace traceFunc) (term, bool, error) {
	joint, ok := s.jointTerm(terms)
	h := head(merged)
	if !ok || h < 0 || merged[h].word == "" {
		return term{}, false, nil
	}
	n, err := s.countTerm(ctx, joint, s.d.listMatches, trace)
	if err != nil || n >= s.d.listMatches {
		return term{}, false, err
	}
	left := walked + jointCost*n + 1
	m, err := s.countTerm(ctx, s.searchTerm([]string{merged[h].word}), left, trace)
	if err != nil || m < left {
		return term{}, false, err
	}
	joint.known = n
	return joint, true, nil
}
