package site

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"oversight/analysis"
	"oversight/registry"
	"oversight/rules"
)

// "Assess a system" is a questionnaire in steps, one section a page, each
// a form that carries the answers so far in hidden fields: it works
// without JavaScript, and a question the answers so far make moot is not
// asked. The last step classifies the answers under every framework.

// questionView is a question as a step shows it, with its answer so far.
type questionView struct {
	*question
	ID      string // the element id
	Options []optionView
	Value   string // a single-valued question's answer; "" is don't know
	None    bool   // a list answered "none of these"
	Select  bool   // many options: a drop-down rather than radio buttons
	Invalid bool   // the answer sent could not be read
}

type optionView struct {
	Value, Label string
	Checked      bool
}

// hiddenField is an answer carried through a step that does not ask it.
type hiddenField struct{ Name, Value string }

// stepLink is a section in the list of steps.
type stepLink struct {
	ID, Title string
	Current   bool
}

// manyOptions is where a single choice becomes a drop-down.
const manyOptions = 8

// form returns the questionnaire with the register's jurisdictions.
func form(ctx context.Context, rd Reader) (*assessForm, error) {
	all, err := rd.List(ctx, "jurisdiction", "", "", registry.MaxLimit)
	if err != nil {
		return nil, err
	}
	f := &assessForm{q: questions()}
	for _, e := range all.Items {
		j := e.(*registry.Jurisdiction)
		f.jurisdictions = append(f.jurisdictions, option{j.Code, j.Name})
	}
	slices.SortFunc(f.jurisdictions, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	return f, nil
}

func (s *Site) assessForm(w http.ResponseWriter, r *http.Request, rd Reader) error {
	f, err := form(r.Context(), rd)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "assess", f.step(f.q.Sections[0], answers{}, nil))
	return nil
}

// assess reads the answers so far and shows the step asked for: the next
// section, or the results.
func (s *Site) assess(w http.ResponseWriter, r *http.Request, rd Reader) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxAssessBody)
	if err := r.ParseForm(); err != nil {
		return registry.InvalidField("form", fmt.Sprintf("the answers could not be read: a form of at most %d bytes", maxAssessBody))
	}
	f, err := form(r.Context(), rd)
	if err != nil {
		return err
	}
	a, step, ferr := f.read(r.PostForm)
	if ferr != nil {
		// Back to the step that asks the question at fault, with the
		// other answers kept.
		at := f.q.Sections[0]
		if ferr.Question != nil {
			at = ferr.Question.section
		}
		s.render(w, r, http.StatusUnprocessableEntity, "assess", f.step(at, a, ferr))
		return nil
	}
	at := f.q.Sections[0]
	if step != "" {
		at = f.q.section(step)
	}
	if at != nil && f.moot(at, a) {
		at = f.after(at, a) // nothing to ask there: on to the next step
	}
	if at != nil {
		s.render(w, r, http.StatusOK, "assess", f.step(at, a, nil))
		return nil
	}
	schema, err := rules.FactSchema()
	if err != nil {
		return err
	}
	facts, err := schema.NewFacts(f.document(a))
	if err != nil {
		return err // every form read makes a valid document: FuzzAssessForm
	}
	cl := analysis.Classify(facts, s.cls.Frameworks(), s.today())
	data := f.results(cl, a, s.cls.Frameworks())
	// A law of the chosen country the register could not encode gives no
	// row, so the page names it: "no law here" would be false.
	if vs := a["deployment.jurisdiction"]; len(vs) > 0 {
		data["Unread"] = s.unreadIn(vs[0])
	}
	s.render(w, r, http.StatusOK, "assess", data)
	return nil
}

// step is the page of one section, with the answers so far.
func (f *assessForm) step(at *section, a answers, ferr *formError) map[string]any {
	var qs []questionView
	for _, qu := range at.Questions {
		if !f.asked(qu, a) {
			continue
		}
		v := questionView{question: qu, ID: "q-" + strings.ReplaceAll(qu.Path, ".", "-")}
		vs, known := a[qu.Path]
		if qu.Kind == choices {
			v.None = known && len(vs) == 0
		} else if known {
			v.Value = vs[0]
		}
		opts := f.options(qu)
		if qu.Kind == yesNo {
			opts = []option{{"yes", label("answer", "yes")}, {"no", label("answer", "no")}}
		}
		for _, o := range opts {
			v.Options = append(v.Options, optionView{o.Value, o.Label, slices.Contains(vs, o.Value)})
		}
		v.Select = len(opts) > manyOptions && qu.Kind != choices
		if ferr != nil && ferr.Question == qu {
			v.Invalid = true
			if ferr.Value != "" && (qu.Kind == text || qu.Kind == date || qu.Kind == number) {
				v.Value = ferr.Value
			}
		}
		qs = append(qs, v)
	}
	data := map[string]any{"Title": "Assess a system", "Section": at, "Questions": qs,
		"Hidden": f.hidden(a, at), "Steps": f.steps(at, a), "Error": ferr}
	for i := at.index - 1; i >= 0; i-- {
		if s := f.q.Sections[i]; !f.moot(s, a) {
			data["Prev"] = s
			break
		}
	}
	// Next is the section after this one even when the answers so far
	// make it moot: an answer given on this page may change that, and
	// the server passes over a moot section when it is asked for.
	// (Back needs no such care: an answer affects later sections only.)
	if at.index+1 < len(f.q.Sections) {
		data["Next"] = f.q.Sections[at.index+1]
	}
	return data
}

// moot reports whether the answers make every question of a section moot.
func (f *assessForm) moot(s *section, a answers) bool {
	return !slices.ContainsFunc(s.Questions, func(qu *question) bool { return f.asked(qu, a) })
}

// after is the first section from s on that asks something, or nil.
func (f *assessForm) after(s *section, a answers) *section {
	for _, next := range f.q.Sections[s.index+1:] {
		if !f.moot(next, a) {
			return next
		}
	}
	return nil
}

// hidden are the answers a page carries without asking them: all but the
// section's own (which its inputs send) and the moot ones (dropped).
func (f *assessForm) hidden(a answers, except *section) []hiddenField {
	var out []hiddenField
	for _, s := range f.q.Sections {
		if s == except {
			continue
		}
		for _, qu := range s.Questions {
			vs, known := a[qu.Path]
			if !known || !f.asked(qu, a) {
				continue
			}
			if len(vs) == 0 {
				out = append(out, hiddenField{qu.Path + noneSuffix, "on"})
			}
			for _, v := range vs {
				out = append(out, hiddenField{qu.Path, v})
			}
		}
	}
	return out
}

// steps lists the sections the answers leave something to ask in.
func (f *assessForm) steps(at *section, a answers) []stepLink {
	var out []stepLink
	for _, s := range f.q.Sections {
		if !f.moot(s, a) {
			out = append(out, stepLink{s.ID, s.Title, s == at})
		}
	}
	return out
}

// outcome is one framework's result as the results page says it.
type outcome struct {
	ID, Name      string
	Applicability string // in words
	Tier          rules.Tier
	Words         string // the tier in words
	Own           string // the framework's own word for it, where it differs
	Missing       []missing
	Note          string
	Obligations   []rules.ObligationResult
}

// outcomeTable is a table of the results page.
type outcomeTable struct {
	Caption string
	Rows    []outcome
	Folded  bool // shown on request: the laws of other jurisdictions
}

// missing is an unknown fact that would settle a result, as the question
// that asks it.
type missing struct {
	Ask, Section string // the question and its section's title; Section is empty for a fact not asked
}

// summaryItem is a question and its answer in words, for the printable
// summary.
type summaryItem struct{ Ask, Answer string }

type summarySection struct {
	Title string
	Items []summaryItem
}

// results orders the classification for a reader: the frameworks that bind
// the chosen jurisdiction first, then the benchmarks, then the rest, each by
// name; and says what is missing as questions.
func (f *assessForm) results(cl analysis.Classification, a answers, fws []*rules.Framework) map[string]any {
	byID := map[string]*rules.Framework{}
	for _, fw := range fws {
		byID[fw.ID] = fw
	}
	where, code := "", ""
	if vs := a["deployment.jurisdiction"]; len(vs) > 0 {
		for _, o := range f.jurisdictions {
			if o.Value == vs[0] {
				where, code = o.Label, o.Value
			}
		}
	}
	var binding, benchmarks, others []outcome
	for _, r := range cl.Results {
		fw := byID[r.Framework]
		o := outcome{ID: r.Framework, Name: cmp.Or(fw.ShortTitle, fw.Title), Applicability: label("applicability", r.Applicability),
			Tier: r.Tier, Words: label("tier", r.Tier), Note: r.Note, Obligations: r.Obligations}
		if r.Tier == rules.Indeterminate && r.Bounds != nil {
			o.Words = "undecided: between " + label("tier", r.Bounds.Least) + " and " + label("tier", r.Bounds.Most)
		}
		if r.Tier != rules.Indeterminate && !strings.EqualFold(r.Label, label("tier", r.Tier)) {
			o.Own = r.Label
		}
		for _, p := range r.Missing {
			o.Missing = append(o.Missing, f.missing(p, a))
		}
		switch {
		// A law that binds the jurisdiction comes first even where it
		// leaves the system outside its scope (police under a data law).
		case r.Applicability == rules.Applies || where != "" && slices.Contains(fw.Binds, a["deployment.jurisdiction"][0]):
			binding = append(binding, o)
		case slices.Contains(f.q.Benchmarks, r.Framework):
			benchmarks = append(benchmarks, o)
		default:
			others = append(others, o)
		}
	}
	byName := func(a, b outcome) int { return strings.Compare(a.Name, b.Name) }
	slices.SortFunc(binding, byName)
	slices.SortFunc(others, byName)
	slices.SortFunc(benchmarks, func(a, b outcome) int {
		return slices.Index(f.q.Benchmarks, a.ID) - slices.Index(f.q.Benchmarks, b.ID)
	})
	var tables []outcomeTable
	if len(binding) > 0 {
		tables = append(tables, outcomeTable{Caption: "Laws of " + where, Rows: binding})
	}
	tables = append(tables, outcomeTable{Caption: "Benchmarks", Rows: benchmarks},
		outcomeTable{Caption: "Other jurisdictions' laws, as yardsticks", Rows: others, Folded: true})
	// The duties of the laws a deployer must follow, and of the
	// benchmarks it is measured by; not of every other country's law.
	var duties []outcome
	for _, o := range slices.Concat(binding, benchmarks) {
		if len(o.Obligations) > 0 {
			duties = append(duties, o)
		}
	}
	asOf, _ := registry.ParseDate(cl.AsOf) // written by Classify: a day
	return map[string]any{"Title": "Assess a system: the result", "Result": true, "AsOf": asOf, "Where": where,
		"Binding": binding, "Tables": tables, "Duties": duties, "Compare": comparisons(code, where, a["system.capabilities"]),
		"Summary": f.summary(a), "Hidden": f.hidden(a, nil), "Steps": f.steps(nil, a)}
}

// missing says an unknown fact as the question that asks it.
func (f *assessForm) missing(path string, a answers) missing {
	if qu := f.q.byPath[path]; qu != nil {
		if !f.asked(qu, a) {
			return missing{qu.Ask + " (not asked, after your answer to “" + f.q.byPath[qu.When.Path].Ask + "”)", qu.section.Title}
		}
		return missing{qu.Ask, qu.section.Title}
	}
	// A fact not asked is named, so that the reader knows what it is.
	for _, n := range f.q.NotAsked {
		if n.Path == path {
			return missing{factName(path) + ": a fact this questionnaire does not ask (" + n.Why + ")", ""}
		}
	}
	return missing{factName(path) + ": a fact this questionnaire does not ask", ""}
}

// summary is every answered question with its answer in words.
func (f *assessForm) summary(a answers) []summarySection {
	var out []summarySection
	for _, s := range f.q.Sections {
		ss := summarySection{Title: s.Title}
		for _, qu := range s.Questions {
			vs, known := a[qu.Path]
			if !f.asked(qu, a) {
				continue
			}
			answer := label("answer", "unknown")
			switch {
			case !known:
			case len(vs) == 0:
				answer = label("answer", "none")
			case qu.Kind == yesNo:
				answer = flagWords(vs[0] == "yes")
			case qu.Kind == choice || qu.Kind == choices || qu.Kind == jurisdiction:
				var words []string
				for _, o := range f.options(qu) {
					if slices.Contains(vs, o.Value) {
						words = append(words, o.Label)
					}
				}
				answer = strings.Join(words, "; ")
			default:
				answer = vs[0]
			}
			ss.Items = append(ss.Items, summaryItem{qu.Ask, answer})
		}
		out = append(out, ss)
	}
	return out
}
