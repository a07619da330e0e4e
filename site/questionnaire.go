package site

import (
	_ "embed"
	"fmt"
	"slices"
	"sync"

	"github.com/goccy/go-yaml"

	"oversight/rules"
)

// The questionnaire of "Assess a system": its sections, questions, wording
// and help, and the fact-schema path each question answers, are data
// (questions/en.yaml), so that a reviewer can read them and a translation
// is another file.
//
//go:embed questions/en.yaml
var questionsYAML []byte

// A questionnaire is the assessment's questions in the order they are
// asked, grouped in sections.
type questionnaire struct {
	Benchmarks []string   `yaml:"benchmarks"` // framework ids shown after the binding ones
	Sections   []*section `yaml:"sections"`
	NotAsked   []notAsked `yaml:"not_asked"`
	byPath     map[string]*question
	schema     *rules.Schema
}

// A section is one page of the questionnaire: a topic.
type section struct {
	ID        string      `yaml:"id"`
	Title     string      `yaml:"title"`
	Intro     string      `yaml:"intro"`
	Questions []*question `yaml:"questions"`
	index     int
}

// A question asks for the value of one leaf of the fact schema.
type question struct {
	Path    string     `yaml:"path"`
	Ask     string     `yaml:"ask"`
	Help    string     `yaml:"help"`
	Options []option   `yaml:"options"` // the values offered, with their words
	Labels  string     `yaml:"labels"`  // or: every value of the leaf, in the words of this vocabulary
	From    string     `yaml:"from"`    // or: "jurisdictions", the register's
	When    *condition `yaml:"when"`

	Kind    string `yaml:"-"` // yesno, choice, choices, number, text, date, jurisdiction
	section *section
	leaf    *rules.Leaf
}

// An option is a value a question offers and the words shown for it.
type option struct {
	Value string `yaml:"value"`
	Label string `yaml:"label"`
}

// A condition makes a question moot unless an earlier question's answer
// is one of AnyOf or unknown: unknown never rules a question out.
type condition struct {
	Path  string   `yaml:"path"`
	AnyOf []string `yaml:"any_of"`
}

// notAsked is a leaf of the schema the questionnaire leaves unknown, and
// why.
type notAsked struct {
	Path string `yaml:"path"`
	Why  string `yaml:"why"`
}

// The kinds of question, from the kind of leaf each answers.
const (
	yesNo        = "yesno"
	choice       = "choice"
	choices      = "choices"
	number       = "number"
	text         = "text"
	date         = "date"
	jurisdiction = "jurisdiction"
)

// questions returns the questionnaire of questions/en.yaml, read on first
// use rather than when any command starts. A mistake in the file is a
// mistake in the program: TestQuestions finds it first.
var questions = sync.OnceValue(func() *questionnaire {
	schema, err := rules.FactSchema()
	if err != nil {
		panic(err)
	}
	q, err := parseQuestionnaire(questionsYAML, schema)
	if err != nil {
		panic("site/questions/en.yaml: " + err.Error())
	}
	return q
})

// parseQuestionnaire reads a questionnaire and checks it against the
// schema: every path a leaf, asked once; every option a value of its leaf
// and every value but "unknown" offered; every condition on an earlier
// section's question, with values that question can take.
func parseQuestionnaire(raw []byte, schema *rules.Schema) (*questionnaire, error) {
	q := &questionnaire{byPath: map[string]*question{}, schema: schema}
	if err := yaml.UnmarshalWithOptions(raw, q, yaml.Strict()); err != nil {
		return nil, err
	}
	seenSection := map[string]bool{}
	for i, s := range q.Sections {
		s.index = i
		if s.ID == "" || s.Title == "" || seenSection[s.ID] || s.ID == resultStep {
			return nil, fmt.Errorf("section %d: an id of its own and a title are needed", i+1)
		}
		seenSection[s.ID] = true
		for _, qu := range s.Questions {
			if err := q.check(qu, s); err != nil {
				return nil, fmt.Errorf("section %s, question %s: %w", s.ID, qu.Path, err)
			}
			q.byPath[qu.Path] = qu
		}
	}
	for _, n := range q.NotAsked {
		if _, ok := schema.Leaf(n.Path); !ok || n.Why == "" {
			return nil, fmt.Errorf("not_asked %s: not a leaf of the schema, or no reason given", n.Path)
		}
		if q.byPath[n.Path] != nil {
			return nil, fmt.Errorf("not_asked %s: asked as well", n.Path)
		}
	}
	return q, nil
}

func (q *questionnaire) check(qu *question, s *section) error {
	leaf, ok := q.schema.Leaf(qu.Path)
	if !ok {
		return fmt.Errorf("not a leaf of the fact schema")
	}
	if q.byPath[qu.Path] != nil {
		return fmt.Errorf("asked twice")
	}
	if qu.Ask == "" {
		return fmt.Errorf("no question")
	}
	qu.leaf, qu.section = leaf, s
	switch {
	case qu.From == "jurisdictions":
		qu.Kind = jurisdiction
	case qu.From != "":
		return fmt.Errorf("from %q: only jurisdictions", qu.From)
	case leaf.Kind == rules.Bool:
		qu.Kind = yesNo
	case leaf.Kind == rules.Int:
		qu.Kind = number
	case leaf.Kind == rules.StringList:
		qu.Kind = choices
	case leaf.Enum != nil:
		qu.Kind = choice
	case leaf.MaxLength == len("2006-01-02"):
		qu.Kind = date // the schema's dates: a year, a month or a day
	default:
		qu.Kind = text
	}
	if qu.Labels != "" {
		if qu.Options != nil {
			return fmt.Errorf("options and labels both")
		}
		for _, v := range leaf.Enum {
			if v == "unknown" {
				continue
			}
			l, ok := labels[qu.Labels][v]
			if !ok {
				return fmt.Errorf("vocabulary %q has no words for %q", qu.Labels, v)
			}
			qu.Options = append(qu.Options, option{v, l})
		}
	}
	if (qu.Kind == choice || qu.Kind == choices) != (qu.Options != nil) {
		return fmt.Errorf("options are for a choice of the schema's values, and one needs them")
	}
	for _, o := range qu.Options {
		if !slices.Contains(leaf.Enum, o.Value) || o.Value == "unknown" || o.Label == "" {
			return fmt.Errorf("option %q: not a value of the leaf, or without words", o.Value)
		}
	}
	for _, v := range leaf.Enum {
		if v != "unknown" && !slices.ContainsFunc(qu.Options, func(o option) bool { return o.Value == v }) {
			return fmt.Errorf("value %q is not offered", v)
		}
	}
	if c := qu.When; c != nil {
		on := q.byPath[c.Path]
		if on == nil || on.section == s {
			return fmt.Errorf("when: %s is not asked in an earlier section", c.Path)
		}
		for _, v := range c.AnyOf {
			ok := on.Kind == yesNo && (v == "yes" || v == "no") || slices.ContainsFunc(on.Options, func(o option) bool { return o.Value == v })
			if !ok {
				return fmt.Errorf("when: %q is not an answer to %s", v, c.Path)
			}
		}
		if len(c.AnyOf) == 0 {
			return fmt.Errorf("when: no answers")
		}
	}
	return nil
}

// MaxLength bounds a text answer.
func (qu *question) MaxLength() int { return min(qu.leaf.MaxLength, maxAnswerBytes) }

// section returns the section with an id.
func (q *questionnaire) section(id string) *section {
	for _, s := range q.Sections {
		if s.ID == id {
			return s
		}
	}
	return nil
}
