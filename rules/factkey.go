package rules

import (
	"strconv"
	"strings"
)

// Key returns a string that is the same for two fact documents of the
// schema only when they hold the same values at the leaves of paths.
// Everything a framework decides is a function of the leaves it reads
// (Reads), so documents with one key under a framework's reads get one
// result from it, whatever else they say. The document is read as Facts
// reads it, without being made into Facts: a caller can look a result up
// before paying for that. ok is false when a path names no leaf or a
// value is of a type no decoded leaf holds; the caller then has no key to
// share results by.
func (s *Schema) Key(doc map[string]any, paths []string) (key string, ok bool) {
	var b strings.Builder
	for _, p := range paths {
		l, ok := s.byPath[p]
		if !ok || !appendKey(&b, PathValue(doc, l.Path)) {
			return "", false
		}
	}
	return b.String(), true
}

// Key is the schema's Key of the document f was read from.
func (f *Facts) Key(paths []string) (string, bool) { return f.schema.Key(f.doc, paths) }

// appendKey writes one value so that no two values, nor two sequences of
// values, write the same text: every value starts with its type, and
// strings carry their length.
func appendKey(b *strings.Builder, v any) bool {
	switch x := v.(type) {
	case nil:
		b.WriteByte('u')
	case bool:
		if x {
			b.WriteByte('t')
		} else {
			b.WriteByte('f')
		}
	case int64:
		b.WriteByte('i')
		b.WriteString(strconv.FormatInt(x, 10))
		b.WriteByte(';')
	case string:
		b.WriteByte('s')
		b.WriteString(strconv.Itoa(len(x)))
		b.WriteByte(':')
		b.WriteString(x)
	case []any:
		b.WriteByte('l')
		b.WriteString(strconv.Itoa(len(x)))
		b.WriteByte(':')
		for _, e := range x {
			if !appendKey(b, e) {
				return false
			}
		}
	default:
		return false
	}
	return true
}
