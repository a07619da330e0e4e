package rules

import "strings"

// PathValue returns the value at a dotted path ("deployment.jurisdiction")
// in a decoded document, or nil where the path leads through a value that
// is not an object or to nothing: absent, which the facts read as unknown.
func PathValue(doc map[string]any, path string) any {
	// Cut rather than Split: keys of fact classes and memos read every
	// leaf of a document this way, and a slice a call was most of their
	// allocation.
	var cur any = doc
	for rest, more := path, true; more; {
		var k string
		k, rest, more = strings.Cut(rest, ".")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

// SetPathValue puts v at a dotted path in a decoded document, making the
// objects on the way that are missing and replacing any value on the way
// that is not an object.
func SetPathValue(doc map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := doc[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			doc[k] = next
		}
		doc = next
	}
	doc[keys[len(keys)-1]] = v
}
