package site

import (
	"fmt"
	"slices"
	"strings"
)

// factsRead writes the facts a rule read as a deployment's page shows them,
// in the pages' words and in the order of their names: "what it
// recognises: face" rather than the schema's path and value, which the
// classification's JSON keeps.
func factsRead(facts map[string]any) []string {
	out := make([]string, 0, len(facts))
	for path, v := range facts {
		out = append(out, factName(path)+": "+factWords(path, v))
	}
	slices.Sort(out)
	return out
}

// factName is a fact's name in words (labels/en.json, "fact field"). A
// path the file does not name is shown as the path itself, which the
// pages' tests refuse (TestNoRawCodes), rather than as near-words
// ("safeguards.alternative offered") that no test would catch.
func factName(path string) string {
	if l, ok := labels["fact field"][path]; ok {
		return l
	}
	return path
}

// factWords writes a fact's value: the words the questionnaire offers for
// it, yes or no, or the value itself.
func factWords(path string, v any) string {
	switch x := v.(type) {
	case bool:
		return flagWords(x)
	case string:
		return valueWords(path, x)
	case []string:
		return listWords(path, x)
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = fmt.Sprint(e)
		}
		return listWords(path, s)
	default:
		return fmt.Sprint(x) // a number
	}
}

func listWords(path string, values []string) string {
	if len(values) == 0 {
		return label("value", valueEmpty)
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = valueWords(path, v)
	}
	return strings.Join(out, "; ")
}

// valueWords finds a value's words among the options of the question that
// asks its path; a path the questionnaire does not ask, or free text, is
// shown as it is, with spaces for underscores.
func valueWords(path, v string) string {
	if qu := questions().byPath[path]; qu != nil {
		for _, o := range qu.Options {
			if o.Value == v {
				return o.Label
			}
		}
	}
	return strings.ReplaceAll(v, "_", " ")
}
