package site

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"oversight/rules"
)

// A framework's notes (a rule's review note, what is not yet verified)
// are written by and for the people who write rules: they name facts by
// their schema paths, the framework's derived conditions and lists by
// their ids, other rules by id, and the project's documents by file. A
// reader of the framework's page gets words for each; the note as written
// stays one click away.

// A notePart is a run of a note: text as written, or a code the note
// names put in words (Words), with the rule it leads to (Link).
type notePart struct {
	Text, Words, Link string
}

// A noteView is a note in words, and as written when that differs.
type noteView struct {
	Parts   []notePart
	Written string // the note as written; "" when it names no code
}

// noteCode matches what a note may name as code: a document's file, a
// derived condition or list, a rule id, a dotted schema path, a word
// with an underscore (a schema field or a vocabulary's value), or one
// with hyphens (a framework's id).
var noteCode = regexp.MustCompile(`docs/[A-Za-z0-9_-]+\.md|\b(?:derived|consts)\.[a-z0-9_]+|\b[A-Z][A-Z0-9]+(?:-[A-Za-z0-9]+)+\b|\b[a-z][a-z0-9]*(?:[._-][a-z0-9]+)+\b`)

// A finder finds a rule, with its framework, or a framework, by id among
// all frameworks.
type finder struct {
	rule      func(id string) (*rules.Framework, *rules.Rule)
	framework func(id string) (*rules.Framework, bool)
}

// noteWords puts a note of fw into words, finding the rules and
// frameworks it names.
func noteWords(fw *rules.Framework, note string, find finder) noteView {
	var v noteView
	at := 0
	for _, m := range noteCode.FindAllStringIndex(note, -1) {
		code := note[m[0]:m[1]]
		words, link := codeWords(fw, code, find)
		if words == "" {
			continue // not a code: left as text
		}
		v.Parts = append(v.Parts, notePart{Text: note[at:m[0]]}, notePart{Words: words, Link: link})
		at = m[1]
	}
	if v.Parts != nil {
		v.Written = note
	}
	v.Parts = append(v.Parts, notePart{Text: note[at:]})
	return v
}

// codeWords returns the words for one code a note names, and a link for a
// rule; "" for what is not a code the register knows.
func codeWords(fw *rules.Framework, code string, find finder) (words, link string) {
	switch {
	case strings.HasPrefix(code, "docs/"):
		return labels["document"][code], ""
	case strings.HasPrefix(code, "derived."):
		for _, d := range fw.Derived {
			if "derived."+d.ID == code && d.Description != "" {
				return "the condition “" + strings.TrimSpace(d.Description) + "”", ""
			}
		}
		return "", ""
	case strings.HasPrefix(code, "consts."):
		values, ok := fw.Consts[strings.TrimPrefix(code, "consts.")]
		if !ok {
			return "", ""
		}
		out := make([]string, len(values))
		for i, x := range values {
			out[i] = optionWords(x)
		}
		return "the list “" + strings.Join(out, "; ") + "”", ""
	case code[0] >= 'A' && code[0] <= 'Z':
		in, r := find.rule(code)
		if r == nil {
			return "", ""
		}
		words = r.Citation.Article
		if in.ID != fw.ID {
			words = in.ShortTitle + " " + words
		}
		return words, "/frameworks/" + in.ID + "#" + r.ID
	}
	if f, ok := find.framework(code); ok {
		return f.ShortTitle, "/frameworks/" + f.ID
	}
	if path := schemaPath(code); path != "" {
		if l, ok := labels["fact field"][path]; ok {
			return "“" + l + "”", ""
		}
		if l, ok := labels["fact section"][path]; ok {
			return "the facts on " + l, ""
		}
	}
	if l, ok := labels["tier"][code]; ok {
		return "“" + l + "”", ""
	}
	if w := optionWords(code); w != strings.ReplaceAll(code, "_", " ") {
		return "“" + w + "”", ""
	}
	return "", ""
}

// schemaPath returns the fact schema's path a note means by code: the path
// itself, or a field named by its last part alone where one field has
// it; "" for neither.
func schemaPath(code string) string {
	paths := factPaths()
	if slices.Contains(paths, code) {
		return code
	}
	if strings.Contains(code, ".") {
		return ""
	}
	found := ""
	for _, p := range paths {
		if strings.HasSuffix(p, "."+code) {
			if found != "" {
				return "" // two fields of that name: which is meant is not known
			}
			found = p
		}
	}
	return found
}

// factPaths are the fact schema's fields and the sections that hold them.
var factPaths = sync.OnceValue(func() []string {
	schema, err := rules.FactSchema()
	if err != nil {
		panic("the fact schema: " + err.Error()) // embedded; the rules' tests read it
	}
	var out []string
	for _, l := range schema.Leaves() {
		out = append(out, l.Path)
		for i, c := range l.Path {
			if c == '.' && !slices.Contains(out, l.Path[:i]) {
				out = append(out, l.Path[:i])
			}
		}
	}
	return out
})

// optionWords finds a value's words among the questionnaire's options for
// any question, the first by path; else the value with spaces for
// underscores.
func optionWords(v string) string {
	q := questions()
	paths := make([]string, 0, len(q.byPath))
	for p := range q.byPath {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if w := valueWords(p, v); w != strings.ReplaceAll(v, "_", " ") {
			return w
		}
	}
	return strings.ReplaceAll(v, "_", " ")
}

// frameworkNotes are a framework page's notes in words: each rule's
// review note by rule id, and what is not yet verified.
type frameworkNotes struct {
	Review     map[string]noteView
	Unverified []noteView
}

// notesOf puts fw's notes into words, finding the rules they name among
// all frameworks'.
func (s *Site) notesOf(fw *rules.Framework) frameworkNotes {
	type found struct {
		f *rules.Framework
		r *rules.Rule
	}
	byID := map[string]found{}
	for _, f := range s.allFrameworks() {
		for _, r := range f.Rules {
			byID[r.ID] = found{f, r}
		}
	}
	find := finder{
		rule:      func(id string) (*rules.Framework, *rules.Rule) { return byID[id].f, byID[id].r },
		framework: s.cls.Law,
	}
	n := frameworkNotes{Review: map[string]noteView{}}
	for _, r := range fw.Rules {
		if r.ReviewFlag != "" {
			n.Review[r.ID] = noteWords(fw, r.ReviewFlag, find)
		}
	}
	for _, u := range fw.Unverified {
		n.Unverified = append(n.Unverified, noteWords(fw, u, find))
	}
	return n
}
