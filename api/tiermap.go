package api

import (
	"encoding/json"
	"maps"
	"slices"

	"oversight/registry"
)

// tierMap is a deployment's tier by framework id. It encodes as
// encoding/json encodes a map (keys sorted), without the reflection per
// entry: a page of 50 holds about 1,400 of them, and encoding them as a
// map took a sixth of an uncached list's time (docs/performance.md,
// "Oversight against PocketBase").
type tierMap map[string]string

func (m tierMap) MarshalJSON() ([]byte, error) { return m.appendJSON(nil, nil), nil }

// appendJSON appends the map's JSON to b. keys, when given, are what the
// map's keys usually are, sorted (every item of a page has the same
// framework ids), which saves sorting them item by item; a map with other
// keys is written with its own.
func (m tierMap) appendJSON(b []byte, keys []string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	if len(keys) != len(m) {
		keys = slices.Sorted(maps.Keys(m))
	}
	start := len(b)
	b = append(b, '{')
	for i, k := range keys {
		v, ok := m[k]
		if !ok {
			return m.appendJSON(b[:start], slices.Sorted(maps.Keys(m)))
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, v)
	}
	return append(b, '}')
}

// appendString appends s as a JSON string. Framework ids and tiers are
// letters, digits, '-' and '_', written as they are; anything else goes
// through encoding/json, which escapes it.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// A rowWriter writes a table's rows as appendJSON writes the same tiers
// as a map whose keys are fws, each framework and tier quoted once a page
// rather than once a deployment.
type rowWriter struct {
	keys  [][]byte // `"fw":`, in fws' order
	cols  []int    // each key's column in the table
	tiers [][]byte // each tier the table names, quoted, by its number
}

func newRowWriter(t *registry.TierTable, fws []string, cols []int) rowWriter {
	w := rowWriter{keys: make([][]byte, len(fws)), cols: cols}
	for i, fw := range fws {
		w.keys[i] = append(appendString(nil, fw), ':')
	}
	for _, tier := range t.Tiers() {
		w.tiers = append(w.tiers, appendString(nil, tier))
	}
	return w
}

// append appends a row that has a tier under each framework of w's keys
// (TierRow.Has) and none besides.
func (w rowWriter) append(b []byte, row registry.TierRow) []byte {
	b = append(b, '{')
	for i, key := range w.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, key...)
		b = append(b, w.tiers[row.Code(w.cols[i])]...)
	}
	return append(b, '}')
}
