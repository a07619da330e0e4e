package site

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"oversight/registry"
)

// The submission form's fields by the path an error names (registry and
// contrib check a proposal, not the form): the id of the input to link to,
// with %d for the row of a repeated field, so that an error reads "Your
// explanation: Say what is wrong…" (submitAdvice) and takes the reader to
// that box, rather than "message: is required".
// The words are the vocabulary "submission field" of labels/en.json,
// where {n} is the row's number.
var submitFields = map[string]string{
	"kind":                       "kind",
	"target":                     "target",
	"message":                    "message",
	"pseudonym":                  "pseudonym",
	"contact":                    "contact",
	"evidence":                   "evidence0.url",
	"evidence[].url":             "evidence%d.url",
	"evidence[].title":           "evidence%d.title",
	"evidence[].publisher":       "evidence%d.publisher",
	"evidence[].published":       "evidence%d.published",
	"evidence[].excerpt":         "evidence%d.excerpt",
	"evidence[].original":        "evidence%d.original",
	"evidence[].language":        "evidence%d.language",
	"evidence[].translated":      "evidence%d.translated",
	"record.title":               "title",
	"record.jurisdiction":        "jurisdiction",
	"record.summary":             "summary",
	"record.place.name":          "place.name",
	"record.place.level":         "place.level",
	"record.operator.name":       "operator.name",
	"record.operator.kind":       "operator.kind",
	"record.system.capabilities": "capabilities",
	"record.system.purposes":     "purposes",
	"record.vendors[].vendor":    "vendor%d.id",
	"record.vendors[].role":      "vendor%d.role",
	"record.status.value":        "status",
	"record.certainty":           "certainty",
}

// A formField is where on the form an error belongs.
type formField struct {
	ID, Words string
	key       string // its path with rows as [], in submitFields
}

var rowIndex = regexp.MustCompile(`\[(\d+)\]`)

// submitField finds the form's field for an error's path; the zero
// formField for a path the form has no field for (the page then shows the
// path itself).
func submitField(path string) formField {
	n := 0
	if m := rowIndex.FindStringSubmatch(path); m != nil {
		n, _ = strconv.Atoi(m[1])
	}
	key := rowIndex.ReplaceAllString(path, "[]")
	id, ok := submitFields[key]
	if !ok {
		// An item of a list of boxes (record.system.capabilities[0]):
		// the list's field.
		key = strings.TrimSuffix(key, "[]")
		if id, ok = submitFields[key]; !ok {
			return formField{}
		}
	}
	if strings.Contains(id, "%d") {
		id = fmt.Sprintf(id, n)
	}
	return formField{ID: id, Words: strings.ReplaceAll(label("submission field", key), "{n}", strconv.Itoa(n+1)), key: key}
}

// tooLong begins the message of a value over its length limit
// (registry/limits.go), the one message of the import the form keeps, for
// the numbers it gives.
const tooLong = "at most "

// submitAdvice says, in the form's words, what to do about an error in a
// field of the form: the field's advice from labels/en.json ("submission
// advice"), which replaces the import's wording ("is not a slug", "no
// jurisdiction in this batch"); for a value that is too long, the limit.
func submitAdvice(e *registry.FieldError) string {
	f := submitField(e.Path)
	if strings.HasPrefix(e.Msg, tooLong) {
		return strings.ReplaceAll(label("submission problem", "too long"), "{msg}", e.Msg)
	}
	return label("submission advice", f.key)
}
