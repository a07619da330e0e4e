package site

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// labels are the words the pages show for vocabulary values, by
// vocabulary (labels/en.json): data beside the vocabularies, so that a
// translation is another file.
//
//go:embed labels/en.json
var labelsJSON []byte

var labels = func() map[string]map[string]string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(labelsJSON, &m); err != nil {
		panic("site/labels/en.json: " + err.Error())
	}
	out := map[string]map[string]string{}
	for vocab, raw := range m {
		if strings.HasPrefix(vocab, "_") {
			continue // a note for the file's readers
		}
		var values map[string]string
		if err := json.Unmarshal(raw, &values); err != nil {
			panic("site/labels/en.json: " + vocab + ": " + err.Error())
		}
		out[vocab] = values
	}
	return out
}()

// label returns the words for a value of a vocabulary; a value the file
// lacks (TestLabels says which) is shown with spaces for underscores.
func label(vocab string, value any) string {
	v := fmt.Sprint(value) // a string, or a type of one (rules.Tier)
	if l, ok := labels[vocab][v]; ok {
		return l
	}
	return strings.ReplaceAll(v, "_", " ")
}

// The values of the "value" vocabulary: the words for a fact or a claim
// whose value has no vocabulary of its own.
const (
	valueTrue, valueFalse = "true", "false"
	valueEmpty            = "empty"      // an empty list
	valueNull             = "null"       // unknown
	valueUnreadable       = "unreadable" // a shape the register admits nowhere
	valueAbsent           = "absent"     // a field a record's state does not hold
)

// valueValues and answerValues are the "value" and "answer" vocabularies, for
// TestLabels.
var (
	valueValues  = []string{valueTrue, valueFalse, valueEmpty, valueNull, valueUnreadable, valueAbsent}
	answerValues = []string{"yes", "no", "unknown", "none"}
)

// flagWords returns the words for a flag.
func flagWords(b bool) string {
	if b {
		return label("value", valueTrue)
	}
	return label("value", valueFalse)
}

// labelList joins the words for values of a vocabulary.
func labelList(vocab string, values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = label(vocab, v)
	}
	return strings.Join(out, ", ")
}
