package store

import (
	"fmt"
	"slices"
	"strings"

	"oversight/registry"
)

// The search index (deployments_fts) gives its matches in the order of its
// rowid, a revision's seq, while a page goes in id order from its cursor: a
// page of a common word read every match to sort them (20k for city at
// 100k, 22% of the request's CPU inserting them in a b-tree;
// docs/performance.md, "Full text"). So each deployment's words are kept
// beside it in deployment_words, in (word, deployment id) order, and a page
// of one word reads each list from the cursor and stops, as the other
// filters' indexes are read.
//
// The lists are of raw words, not of the index's terms, which would need
// its tokenizer and stemmer: a word here is a run of bytes between ASCII
// bytes that are not letters or digits, its ASCII letters lowered (the
// tokenizer folds them alike). Every ASCII byte not a letter or digit
// separates the tokenizer's tokens too (unicode61), so each of its tokens
// lies within one word, and a word, tokenized alone, gives the tokens it
// gives within the text. Which words a query matches is then asked of an
// FTS5 index of the words themselves (search_words_fts), with the same
// tokenizer: a deployment matches a word as a prefix exactly when one of
// its words does. Only a query word of ASCII letters and digits, which is
// one token, is read this way; others go through deployments_fts.

// indexWords returns the distinct words of text, sorted.
func indexWords(text string) []string {
	var words []string
	start := -1
	for i := 0; i <= len(text); i++ {
		if i < len(text) && !asciiSeparator(text[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = append(words, lowerASCII(text[start:i]))
			start = -1
		}
	}
	slices.Sort(words)
	return slices.Compact(words)
}

// asciiSeparator reports whether b is an ASCII byte other than a letter or
// a digit; the bytes of a multi-byte UTF-8 character are never ASCII.
func asciiSeparator(b byte) bool {
	return b < 0x80 && !('0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z')
}

// lowerASCII lowers the ASCII letters of s, and only those.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// wordRows are the rows of deployment_words for deployment id, whose
// search text is text.
func wordRows(id, text string) []row {
	words := indexWords(text)
	rows := make([]row, len(words))
	// One array holds every row's values, and the id is boxed once: a
	// deployment has a few dozen words, and three allocations a word
	// were most of the garbage its projection made.
	vals := make([]any, 2*len(words))
	var idv any = id
	for i, w := range words {
		v := vals[2*i : 2*i+2 : 2*i+2]
		v[0], v[1] = idv, w
		rows[i] = row{tDepWords, v}
	}
	return rows
}

// maxForms is how many words of the register one query word may match for
// a page to merge their lists (one SELECT each); past it the page is read
// through deployments_fts. A whole word typed matches a few (city: city,
// cities, citizen, citizens…); a prefix of two letters may match
// thousands.
const maxForms = 32

// oneWord reports whether w is read through deployment_words: ASCII
// letters and digits, one token of the index's tokenizer.
func oneWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if asciiSeparator(w[i]) || w[i] >= 0x80 {
			return false
		}
	}
	return true
}

// formsPlan returns the plan of a page of the deployments that hold any of
// forms, a word's forms (wordForms): their lists in id order, read from
// the cursor and merged.
func (s *reader) formsPlan(forms []string) plan {
	if len(forms) == 0 {
		return emptyPlan(s.pin())
	}
	return plan{key: s.pin()("d.id"), from: func(arg func(any) string, after string, n int) string {
		return "d.id IN (" + formsFrom(arg, forms, after, n) + ")"
	}}
}

// formsFrom writes the query of the first n deployment ids after after
// that hold any of forms: each word's list read from after in id order, n
// at most, merged.
func formsFrom(arg func(any) string, forms []string, after string, n int) string {
	from := arg(after)
	arms := make([]string, len(forms))
	for i, f := range forms {
		arms[i] = "SELECT deployment_id FROM (" + formList(arg, f, from, "") + fmt.Sprintf(" ORDER BY deployment_id LIMIT %d)", n)
	}
	return strings.Join(arms, " UNION ") + fmt.Sprintf(" ORDER BY 1 LIMIT %d", n)
}

// at returns p for the page of limit after cursor: its from, if any,
// written among its conditions.
func (p plan) at(cursor string, limit int) (plan, error) {
	if p.from == nil {
		return p, nil
	}
	after, err := cursorKey(cursor)
	if err != nil {
		return p, err
	}
	if limit <= 0 || limit > registry.MaxLimit {
		limit = registry.MaxLimit
	}
	args := slices.Clip(p.args)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where := append(slices.Clip(p.where), p.from(arg, after, limit+1))
	return plan{where: where, args: args, key: p.key}, nil
}
