package site

import (
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"oversight/frameworks"
	"oversight/rules"
)

// TestQuestions checks the questionnaire of questions/en.yaml against the
// schema and the frameworks: every fact a framework's rules read is asked,
// or listed as not asked with the reason, and so is every other leaf of
// the schema. (Its paths, options and conditions are checked as it loads.)
func TestQuestions(t *testing.T) {
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	q, err := parseQuestionnaire(questionsYAML, schema)
	if err != nil {
		t.Fatal(err)
	}
	notAsked := map[string]string{}
	for _, n := range q.NotAsked {
		notAsked[n.Path] = n.Why
	}
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	read := map[string][]string{}
	for _, fw := range fws {
		for _, p := range fw.Reads() {
			read[p] = append(read[p], fw.ID)
		}
	}
	if len(read) < 20 {
		t.Fatalf("the frameworks read %d facts: the reading of them is wrong", len(read))
	}
	for p, by := range read {
		if q.byPath[p] == nil {
			t.Errorf("%s is read by %s but not asked, nor listed under not_asked", p, strings.Join(by, ", "))
		}
		if why, ok := notAsked[p]; ok {
			t.Errorf("%s is read by %s but listed as not asked (%s)", p, strings.Join(by, ", "), why)
		}
	}
	for _, l := range schema.Leaves() {
		if q.byPath[l.Path] == nil && notAsked[l.Path] == "" {
			t.Errorf("leaf %s is neither asked nor listed under not_asked", l.Path)
		}
	}
	for _, id := range q.Benchmarks {
		if !slices.ContainsFunc(fws, func(fw *rules.Framework) bool { return fw.ID == id }) {
			t.Errorf("benchmark %s is no framework", id)
		}
	}
}

// TestQuestionnaireMistakes: a questionnaire that asks what the schema
// does not have, offers a value it does not allow, leaves one out, or
// makes a question depend on one asked on the same page, does not load.
func TestQuestionnaireMistakes(t *testing.T) {
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, yaml, want string }{
		{"no such leaf", "sections: [{id: a, title: A, questions: [{path: system.colour, ask: x}]}]", "not a leaf"},
		{"asked twice", "sections: [{id: a, title: A, questions: [{path: operator.is_public_body, ask: x}, {path: operator.is_public_body, ask: y}]}]", "asked twice"},
		{"bad option", "sections: [{id: a, title: A, questions: [{path: identification.timing, ask: x, options: [{value: real_time, label: live}, {value: post, label: after}, {value: both, label: both}, {value: soon, label: soon}]}]}]", `"soon"`},
		{"option left out", "sections: [{id: a, title: A, questions: [{path: identification.timing, ask: x, options: [{value: real_time, label: live}]}]}]", `"post" is not offered`},
		{"unknown offered", "sections: [{id: a, title: A, questions: [{path: identification.timing, ask: x, options: [{value: real_time, label: live}, {value: post, label: after}, {value: both, label: both}, {value: unknown, label: unknown}]}]}]", `"unknown"`},
		{"vocabulary without words", "sections: [{id: a, title: A, questions: [{path: subjects, ask: x, labels: capability}]}]", "has no words"},
		{"condition on the same page", "sections: [{id: a, title: A, questions: [{path: legal_basis.consent.obtained, ask: x}, {path: legal_basis.consent.explicit, ask: y, when: {path: legal_basis.consent.obtained, any_of: ['yes']}}]}]", "earlier section"},
		{"condition on no answer", "sections: [{id: a, title: A, questions: [{path: legal_basis.consent.obtained, ask: x}]}, {id: b, title: B, questions: [{path: legal_basis.consent.explicit, ask: y, when: {path: legal_basis.consent.obtained, any_of: [maybe]}}]}]", `"maybe"`},
		{"not asked, asked", "sections: [{id: a, title: A, questions: [{path: notes, ask: x}]}]\nnot_asked: [{path: notes, why: w}]", "asked as well"},
		{"unknown key", "sections: [{id: a, title: A, questions: [{path: notes, ask: x, hint: y}]}]", "hint"},
	} {
		_, err := parseQuestionnaire([]byte(c.yaml), schema)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// testForm is the questionnaire with two jurisdictions.
func testForm() *assessForm {
	return &assessForm{q: questions(), jurisdictions: []option{{"TH", "Thailand"}, {"PH", "Philippines"}}}
}

// TestReadAnswers: answers the form sends are read in the schema's terms,
// and anything else is refused naming the field and its question.
func TestReadAnswers(t *testing.T) {
	f := testForm()
	good := url.Values{"operator.type": {"police"}, "operator.is_public_body": {"yes"}, "operator.is_law_enforcement_authority": {""},
		"system.capabilities": {"remote_biometric_identification", "lpr_anpr"}, "subjects.none": {"on"},
		"deployment.jurisdiction": {"TH"}, "deployment.start_date": {"2025-03"}, "deployment.scale.enrolled_persons": {" 5000 "},
		"operator.name": {"Royal Thai Police"}, "to": {"result"}}
	a, step, ferr := f.read(good)
	if ferr != nil {
		t.Fatal(ferr)
	}
	if step != "result" {
		t.Errorf("step %q", step)
	}
	doc := f.document(a)
	schema, _ := rules.FactSchema()
	facts, err := schema.NewFacts(doc)
	if err != nil {
		t.Fatalf("%v\n%v", err, doc)
	}
	for path, want := range map[string]string{"operator.type": "police", "operator.is_public_body": "true", "deployment.jurisdiction": "TH",
		"system.capabilities": "[remote_biometric_identification lpr_anpr]", "subjects": "[]", "deployment.scale.enrolled_persons": "5000",
		"operator.is_law_enforcement_authority": "<unknown>", "identification.mode": "<unknown>"} {
		if got := factText(doc, path); got != want {
			t.Errorf("%s = %s, want %s", path, got, want)
		}
	}
	if facts.Jurisdiction() != "TH" {
		t.Errorf("jurisdiction %q", facts.Jurisdiction())
	}

	for _, c := range []struct {
		form         url.Values
		field, words string // the field named, and the question's words (empty for none)
	}{
		{url.Values{"operator.type": {"wizard"}}, "operator.type", "What kind of organisation"},
		{url.Values{"operator.is_public_body": {"maybe"}}, "operator.is_public_body", "Is the operator a public body?"},
		{url.Values{"operator.is_public_body": {"yes", "no"}}, "operator.is_public_body", "public body"},
		{url.Values{"system.capabilities": {"mind_reading"}}, "system.capabilities", "What can the system do?"},
		{url.Values{"system.capabilities": {"lpr_anpr"}, "system.capabilities.none": {"on"}}, "system.capabilities.none", "What can the system do?"},
		{url.Values{"system.capabilities.none": {"yes"}}, "system.capabilities.none", "What can the system do?"},
		{url.Values{"operator.type.none": {"on"}}, "operator.type.none", ""},
		{url.Values{"deployment.jurisdiction": {"FR"}}, "deployment.jurisdiction", "In which country"},
		{url.Values{"deployment.start_date": {"2025-13-01"}}, "deployment.start_date", "When did or will it start?"},
		{url.Values{"deployment.scale.enrolled_persons": {"-1"}}, "deployment.scale.enrolled_persons", "How many people"},
		{url.Values{"deployment.scale.enrolled_persons": {"99999999999999999999"}}, "deployment.scale.enrolled_persons", "How many people"},
		{url.Values{"operator.name": {strings.Repeat("a", 501)}}, "operator.name", "called?"},
		{url.Values{"operator.name": {"a\x00b"}}, "operator.name", "called?"},
		{url.Values{"operator.name": {"\xff"}}, "operator.name", "called?"},
		{url.Values{"notes": {"x"}}, "notes", ""},
		{url.Values{"schema": {"x"}}, "schema", ""},
		{url.Values{"to": {"nowhere"}}, "to", ""},
		{url.Values{"purposes": slices.Repeat([]string{"marketing"}, maxAssessValues+1)}, "form", ""},
	} {
		_, _, ferr := f.read(c.form)
		switch {
		case ferr == nil:
			t.Errorf("%v: read", c.form)
		case ferr.Field != c.field:
			t.Errorf("%v: names %q, want %q (%v)", c.form, ferr.Field, c.field, ferr)
		case c.words == "" && ferr.Question != nil, c.words != "" && (ferr.Question == nil || !strings.Contains(ferr.Question.Ask, c.words)):
			t.Errorf("%v: question %+v, want one with %q", c.form, ferr.Question, c.words)
		}
	}
}

// TestMistypedAnswer: a mistyped answer is refused with the value, to be
// corrected, and the other answers are kept.
func TestMistypedAnswer(t *testing.T) {
	f := testForm()
	a, _, ferr := f.read(url.Values{"operator.type": {"police"}, "deployment.start_date": {"2025-13"}, "purposes": {"marketing"}, "to": {"result"}})
	if ferr == nil || ferr.Field != "deployment.start_date" || ferr.Value != "2025-13" {
		t.Fatalf("error %+v", ferr)
	}
	if !slices.Equal(a["operator.type"], []string{"police"}) || !slices.Equal(a["purposes"], []string{"marketing"}) || a["deployment.start_date"] != nil {
		t.Errorf("answers kept: %v", a)
	}
	page := f.step(ferr.Question.section, a, ferr)
	for _, q := range page["Questions"].([]questionView) {
		if q.Path == "deployment.start_date" && (!q.Invalid || q.Value != "2025-13") {
			t.Errorf("the mistyped question: invalid %v, value %q", q.Invalid, q.Value)
		}
	}
	if h := page["Hidden"].([]hiddenField); !slices.Contains(h, hiddenField{"operator.type", "police"}) || !slices.Contains(h, hiddenField{"purposes", "marketing"}) {
		t.Errorf("answers carried: %v", h)
	}
}

// factText is a fact of a document as text, "<unknown>" when absent.
func factText(doc map[string]any, path string) string {
	v := rules.PathValue(doc, path)
	if v == nil {
		return "<unknown>"
	}
	switch x := v.(type) {
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = e.(string)
		}
		return "[" + strings.Join(s, " ") + "]"
	case bool:
		if x {
			return "true"
		}
		return "false"
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return v.(string)
}

// TestMootQuestions: an answer that makes a question moot skips it (and
// drops an answer to it), and a section of moot questions only; an
// unknown answer rules nothing out.
func TestMootQuestions(t *testing.T) {
	f := testForm()
	remote := f.q.byPath["identification.remote"]
	identify := f.q.section("identify")
	for _, c := range []struct {
		capabilities []string // nil: unknown
		asked        bool
	}{{[]string{"crowd_analytics"}, false}, {[]string{}, false}, {[]string{"crowd_analytics", "iris_recognition"}, true}, {nil, true}} {
		form := url.Values{"identification.remote": {"yes"}, "system.capabilities": c.capabilities}
		if c.capabilities != nil && len(c.capabilities) == 0 {
			form.Set("system.capabilities.none", "on")
		}
		a, _, ferr := f.read(form)
		if ferr != nil {
			t.Fatal(ferr)
		}
		if got := f.asked(remote, a); got != c.asked {
			t.Errorf("capabilities %q: remote asked %v", c.capabilities, got)
		}
		if got := f.moot(identify, a); got == c.asked {
			t.Errorf("capabilities %q: the identification step moot %v", c.capabilities, got)
		}
		doc := f.document(a)
		if got := factText(doc, "identification.remote"); (got == "true") != c.asked {
			t.Errorf("capabilities %q: remote in the document: %s", c.capabilities, got)
		}
		hidden := f.hidden(a, nil)
		if has := slices.Contains(hidden, hiddenField{"identification.remote", "yes"}); has != c.asked {
			t.Errorf("capabilities %q: remote carried: %v", c.capabilities, has)
		}
	}
	// A step that asks nothing is passed over.
	a, _, _ := f.read(url.Values{"system.capabilities": {"lpr_anpr"}})
	if next := f.after(f.q.section("what"), a); next == nil || next.ID != "where" {
		t.Errorf("after what it does, with no recognition: %v", next)
	}
}

// TestMootIsMoot: a question the questionnaire skips could not change any
// framework's tier. For each question asked only on a condition, on random
// answers to the rest with the earlier answer set to one that rules the
// question out, every value of the skipped fact gives every framework the
// tier it has with the fact left unknown.
func TestMootIsMoot(t *testing.T) {
	f := testForm()
	schema, err := rules.FactSchema()
	if err != nil {
		t.Fatal(err)
	}
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string // the jurisdictions some framework binds
	for _, fw := range fws {
		if fw.Scope != "EU" {
			codes = append(codes, fw.Binds...)
		}
	}
	rng := rand.New(rand.NewPCG(16, 5))
	day := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) // every rule of the register in force
	tiers := func(doc map[string]any) []rules.Tier {
		facts, err := schema.NewFacts(doc)
		if err != nil {
			t.Fatalf("%v\n%v", err, doc)
		}
		out := make([]rules.Tier, len(fws))
		for i, fw := range fws {
			out[i] = fw.Evaluate(facts, day).Tier
		}
		return out
	}
	tried := 0
	for _, s := range f.q.Sections {
		for _, qu := range s.Questions {
			if qu.When == nil {
				continue
			}
			on := f.q.byPath[qu.When.Path]
			var rulingOut []string // the answers to on that make qu moot
			for _, o := range slices.Concat(on.Options, []option{{"yes", ""}, {"no", ""}}) {
				if !slices.Contains(qu.When.AnyOf, o.Value) && (on.Kind == yesNo) == (o.Value == "yes" || o.Value == "no") {
					rulingOut = append(rulingOut, o.Value)
				}
			}
			for range 80 {
				a := randomAnswers(f, rng, codes)
				if on.Kind == choices {
					a[on.Path] = randomSubset(rng, rulingOut)
				} else {
					a[on.Path] = []string{rulingOut[rng.IntN(len(rulingOut))]}
				}
				if f.asked(qu, a) {
					continue // an answer further back leaves it asked
				}
				delete(a, qu.Path)
				unknown := tiers(f.document(a))
				for _, v := range values(qu) {
					doc := f.document(a)
					rules.SetPathValue(doc, qu.Path, v)
					for i, tier := range tiers(doc) {
						if tier != unknown[i] {
							t.Fatalf("%s is skipped when %s is %v, but %s is %s with it %v and %s without it\nanswers %v",
								qu.Path, on.Path, a[on.Path], fws[i].ID, tier, v, unknown[i], a)
						}
					}
					tried++
				}
			}
		}
	}
	if tried < 500 {
		t.Errorf("only %d skipped values tried", tried)
	}
}

// randomAnswers answers each question at random, or leaves it unknown.
func randomAnswers(f *assessForm, rng *rand.Rand, codes []string) answers {
	a := answers{}
	for _, s := range f.q.Sections {
		for _, qu := range s.Questions {
			if rng.IntN(4) == 0 {
				continue
			}
			switch qu.Kind {
			case yesNo:
				a[qu.Path] = []string{[]string{"yes", "no"}[rng.IntN(2)]}
			case choice:
				a[qu.Path] = []string{qu.Options[rng.IntN(len(qu.Options))].Value}
			case choices:
				var vs []string
				for _, o := range qu.Options {
					vs = append(vs, o.Value)
				}
				a[qu.Path] = randomSubset(rng, vs)
			case jurisdiction:
				a[qu.Path] = []string{codes[rng.IntN(len(codes))]}
			case number:
				a[qu.Path] = []string{[]string{"0", "3", "4", "8", "1000000"}[rng.IntN(5)]}
			case date:
				a[qu.Path] = []string{[]string{"2019", "2024-06", "2026-12-01"}[rng.IntN(3)]}
			default: // the provisions some rules look for in a claim, and others
				a[qu.Path] = []string{[]string{"none", "s 16A", "s 6D", "First Schedule", "17(2)(a)", "4(2)", "4(e)", "6(1)", "rule 10", "Australian Federal Police"}[rng.IntN(10)]}
			}
		}
	}
	return a
}

func randomSubset(rng *rand.Rand, vs []string) []string {
	out := []string{}
	for _, v := range vs {
		if rng.IntN(3) == 0 {
			out = append(out, v)
		}
	}
	return out
}

// values are values of a question's fact to try, in the document's types.
func values(qu *question) []any {
	switch qu.Kind {
	case yesNo:
		return []any{true, false}
	case number:
		return []any{int64(0), int64(4), int64(1000000)}
	case choice:
		var out []any
		for _, o := range qu.Options {
			out = append(out, o.Value)
		}
		return out
	case choices:
		out := []any{[]any{}}
		for _, o := range qu.Options {
			out = append(out, []any{o.Value})
		}
		return out
	}
	return []any{"2019"}
}

// TestMissingNotAskedIsNamed: a fact that would settle a result but that
// the questionnaire does not ask is named in words, not left as "a fact
// this questionnaire does not ask", which tells the reader nothing.
func TestMissingNotAskedIsNamed(t *testing.T) {
	f := testForm()
	m := f.missing("deployment.status", answers{})
	if !strings.HasPrefix(m.Ask, labels["fact field"]["deployment.status"]+": ") {
		t.Errorf("a fact not asked is missing as %q", m.Ask)
	}
}
