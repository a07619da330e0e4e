package rules

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

//go:embed labels.yaml
var labelsFile []byte

// engineLabels are the texts of labels.yaml, each with the placeholders it
// may use. A text that names another placeholder, or leaves out one it must
// fill, is refused when the package first needs it, so that a reviewer's
// edit cannot put a literal "{form}" on a page.
type engineLabels struct {
	NotYetInForce  string `yaml:"not_yet_in_force"`
	NotInForceNote string `yaml:"not_in_force_note"`
	RuleErrorNote  string `yaml:"rule_error_note"`
}

var placeholder = regexp.MustCompile(`\{[a-z_]*\}`)

func parseEngineLabels(data []byte) (engineLabels, error) {
	var l engineLabels
	if err := yaml.UnmarshalWithOptions(data, &l, yaml.Strict()); err != nil {
		return l, err
	}
	// Each text with the placeholders it must use, and the only ones it may.
	for _, t := range []struct {
		key, text string
		names     []string
	}{
		{"not_yet_in_force", l.NotYetInForce, []string{"from"}},
		{"not_in_force_note", l.NotInForceNote, []string{"as_of", "from"}},
		{"rule_error_note", l.RuleErrorNote, []string{"rule", "error"}},
	} {
		key, text, names := t.key, t.text, t.names
		if strings.TrimSpace(text) == "" {
			return l, fmt.Errorf("%s: empty", key)
		}
		for _, p := range placeholder.FindAllString(text, -1) {
			if !slices.Contains(names, p[1:len(p)-1]) {
				return l, fmt.Errorf("%s: %s is not one of its placeholders (%s)", key, p, strings.Join(names, ", "))
			}
		}
		for _, n := range names {
			if !strings.Contains(text, "{"+n+"}") {
				return l, fmt.Errorf("%s: does not use {%s}", key, n)
			}
		}
	}
	return l, nil
}

var labels = sync.OnceValue(func() engineLabels {
	l, err := parseEngineLabels(labelsFile)
	if err != nil {
		panic("rules: labels.yaml: " + err.Error())
	}
	return l
})

// fill replaces each {name} in text by its value; pairs are name, value.
func fill(text string, pairs ...string) string {
	old := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		old = append(old, "{"+pairs[i]+"}", pairs[i+1])
	}
	return strings.NewReplacer(old...).Replace(text)
}
