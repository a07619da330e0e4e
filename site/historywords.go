package site

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"oversight/registry"
	"oversight/review"
)

// What a revision changed, field by field, in the pages' words: each field
// named as the label file names it ("fact field" for a fact document's
// facts, "record field" for the rest), each value in words, a list of
// values as a list. The log entry keeps the JSON.

// A fieldChange is one field a revision changed.
type fieldChange struct {
	Name          string
	Before, After fieldValue
}

// A fieldValue is a value in words. Code marks an id (of a vendor, a
// source, a record), shown as the code it is.
type fieldValue struct {
	Absent, IsList, Code bool
	Text                 string
	List                 []string
}

// recordValues names the vocabulary of labels/en.json whose words a
// record's field takes, by the field's path (recordvalues.json, which
// says how); "date" marks a date, "code" an id. Read on first use rather
// than when any command starts.
var recordValues = sync.OnceValue(func() map[string]string {
	var f struct {
		Vocabularies map[string]string `json:"vocabularies"`
		Dates        []string          `json:"dates"`
		Citations    []string          `json:"citations"`
	}
	if err := json.Unmarshal(recordValuesJSON, &f); err != nil || len(f.Vocabularies) == 0 {
		panic(fmt.Sprintf("site/recordvalues.json: no vocabularies (%v)", err))
	}
	out := f.Vocabularies
	for kind, paths := range map[string][]string{"date": f.Dates, "code": f.Citations} {
		for _, path := range paths {
			if _, twice := out[path]; twice {
				panic("site/recordvalues.json: " + path + " is named twice")
			}
			out[path] = kind
		}
	}
	return out
})

//go:embed recordvalues.json
var recordValuesJSON []byte

// byKind finds a field's entry in a table keyed "KIND PATH" or "PATH".
func byKind(m map[string]string, kind, pattern string) (string, bool) {
	if v, ok := m[kind+" "+pattern]; ok {
		return v, true
	}
	v, ok := m[pattern]
	return v, ok
}

// changesInWords writes a revision's changes (diff, between the states
// prev and next of a record of kind) in words. The items of a list of
// values that changed are one field, shown whole before and after.
func changesInWords(kind string, prev, next json.RawMessage, diff []review.Change) []fieldChange {
	before, after := scalarLists(prev), scalarLists(next)
	var out []fieldChange
	done := map[string]bool{}
	for _, c := range diff {
		path := c.Path
		if i := strings.LastIndexByte(path, '['); i > 0 && strings.HasSuffix(path, "]") {
			_, inBefore := before[path[:i]]
			_, inAfter := after[path[:i]]
			if inBefore || inAfter {
				path = path[:i] // an item of a list of values: the list
			}
		}
		if done[path] {
			continue
		}
		done[path] = true
		pattern, n := rowIndex.ReplaceAllString(path, "[]"), 1
		if m := rowIndex.FindStringSubmatch(path); m != nil {
			n, _ = strconv.Atoi(m[1])
			n++
		}
		fc := fieldChange{Name: fieldName(kind, pattern, path, n)}
		if path != c.Path {
			fc.Before, fc.After = listInWords(kind, pattern, before, path), listInWords(kind, pattern, after, path)
		} else {
			fc.Before, fc.After = valueInWords(kind, pattern, c.Before), valueInWords(kind, pattern, c.After)
		}
		out = append(out, fc)
	}
	return out
}

// fieldName names a field: a fact by the schema's leaf, another by the
// record field words, {n} the number of its item; a field the label file
// does not name by its path, for the pages' tests to catch.
func fieldName(kind, pattern, path string, n int) string {
	if kind == "facts" {
		if l, ok := labels["fact field"][pattern]; ok {
			return l
		}
	}
	if l, ok := byKind(labels["record field"], kind, pattern); ok {
		return strings.ReplaceAll(l, "{n}", strconv.Itoa(n))
	}
	return path
}

// listInWords is the list of values at path in a state's lists
// (scalarLists), in words; absent when the state has none there.
func listInWords(kind, pattern string, lists map[string][]any, path string) fieldValue {
	l, ok := lists[path]
	if !ok {
		return fieldValue{Absent: true}
	}
	v := fieldValue{IsList: true}
	for _, e := range l {
		w := valueInWords(kind, pattern, e)
		v.List = append(v.List, w.Text)
		v.Code = v.Code || w.Code
	}
	return v
}

// valueInWords writes one value of a field.
func valueInWords(kind, pattern string, v any) fieldValue {
	switch x := v.(type) {
	case nil:
		return fieldValue{Absent: true}
	case bool:
		return fieldValue{Text: flagWords(x)}
	case float64:
		return fieldValue{Text: strconv.FormatFloat(x, 'f', -1, 64)}
	case string:
		if _, ok := recordValues()[kind+" "+pattern]; kind == "facts" && !ok {
			if pattern == "evidence[].supports" { // a fact or a section of them, as /safeguards/signage
				path := strings.ReplaceAll(strings.TrimPrefix(x, "/"), "/", ".")
				if l, ok := labels["fact section"][path]; ok {
					return fieldValue{Text: l}
				}
				return fieldValue{Text: factName(path)}
			}
			if _, ok := labels["fact field"][pattern]; ok {
				return fieldValue{Text: factWords(pattern, x)}
			}
		}
		switch vocab, _ := byKind(recordValues(), kind, pattern); vocab {
		case "":
			return fieldValue{Text: x}
		case "code":
			return fieldValue{Text: x, Code: true}
		case "country":
			return fieldValue{Text: countryName(x)}
		case "date":
			var d registry.Date
			if d.UnmarshalText([]byte(x)) != nil {
				return fieldValue{Text: x}
			}
			return fieldValue{Text: longDate(d)}
		default:
			return fieldValue{Text: label(vocab, x)}
		}
	}
	return fieldValue{Text: label("value", valueUnreadable)} // an object where a value was
}

// scalarLists finds, in a record's state as the log holds it, each list
// of values (not of objects) by its path as registry.DiffStates writes
// paths ("system.capabilities", "vendors[0].sources").
func scalarLists(state json.RawMessage) map[string][]any {
	out := map[string][]any{}
	var v any
	if len(state) == 0 || json.Unmarshal(state, &v) != nil {
		return out
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(strings.TrimPrefix(path+"."+k, "."), e)
			}
		case []any:
			values := true
			for i, e := range x {
				switch e.(type) {
				case map[string]any, []any:
					values = false
					walk(path+"["+strconv.Itoa(i)+"]", e)
				}
			}
			if values {
				out[path] = x
			}
		}
	}
	walk("", v)
	return out
}
