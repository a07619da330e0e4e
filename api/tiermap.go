package api

import (
	"encoding/json"
	"slices"
)

// tierMap is a deployment's tier by framework id. It encodes as
// encoding/json encodes a map (keys sorted), without the reflection per
// entry: a page of 50 holds about 1,400 of them, and encoding them as a
// map took a sixth of an uncached list's time (docs/performance.md,
// "Oversight against PocketBase").
type tierMap map[string]string

func (m tierMap) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("null"), nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := make([]byte, 0, 32*len(m)+2)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, m[k])
	}
	return append(b, '}'), nil
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
