package site

import "oversight/registry"

// A cite points from a fact to the source that supports it, by the
// source's number in the page's list of sources.
type cite struct {
	Key string
	N   int // from 1; 0 for a key the record's sources lack
}

// sourceNumbers numbers a record's sources from 1, in the order its page
// lists them.
func sourceNumbers(srcs []registry.Source) map[string]int {
	m := make(map[string]int, len(srcs))
	for i, s := range srcs {
		m[s.Key] = i + 1
	}
	return m
}

// cites lists the sources a fact cites, by their numbers, so that a reader
// of a vendor or a loan finds the page that says so.
func cites(numbers map[string]int, keys []string) []cite {
	out := make([]cite, len(keys))
	for i, k := range keys {
		out[i] = cite{Key: k, N: numbers[k]}
	}
	return out
}
