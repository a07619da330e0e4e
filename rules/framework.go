package rules

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"cel.dev/cel-go/common/types/ref"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"oversight/internal/yamldoc"
)

// Framework is one legal framework or proposal made executable: its
// metadata, constants, derived expressions and rules, read from a directory
// frameworks/<id>/ holding framework.yaml, rules.yaml and tests/*.yaml.
type Framework struct {
	ID            string              `yaml:"id" json:"id"`
	Title         string              `yaml:"title" json:"title"`
	ShortTitle    string              `yaml:"short_title" json:"short_title"`
	Kind          string              `yaml:"kind" json:"kind"`                         // see Kinds
	Status        string              `yaml:"status" json:"status"`                     // see Statuses
	Scope         string              `yaml:"scope" json:"scope"`                       // jurisdiction code, EU, or a region
	Binds         []string            `yaml:"binds" json:"binds"`                       // jurisdictions where it applies
	Signatories   []string            `yaml:"signatories" json:"signatories,omitempty"` // signed, not bound
	SignedOn      map[string]string   `yaml:"signed_on" json:"signed_on,omitempty"`     // signatory → the day it signed
	Proposal      bool                `yaml:"proposal" json:"proposal"`                 // this project's proposal, not law
	EffectiveFrom string              `yaml:"effective_from" json:"effective_from,omitempty"`
	EffectiveTo   string              `yaml:"effective_to" json:"effective_to,omitempty"`
	URL           string              `yaml:"url" json:"url"`
	Sources       []Source            `yaml:"sources" json:"sources"`
	Labels        map[string]string   `yaml:"labels" json:"labels,omitempty"`   // tier → the framework's own word
	DefaultTier   string              `yaml:"default_tier" json:"default_tier"` // when no rule fires
	Summary       string              `yaml:"summary" json:"summary,omitempty"`
	Unverified    []string            `yaml:"unverified" json:"unverified,omitempty"`
	Notes         string              `yaml:"notes" json:"notes,omitempty"`
	Consts        map[string][]string `yaml:"consts" json:"consts,omitempty"`
	Derived       []*Derived          `yaml:"derived" json:"derived,omitempty"`
	NotEncoded    *NotEncoded         `yaml:"not_encoded" json:"not_encoded,omitempty"` // set: a law with no rules, and why
	Rules         []*Rule             `yaml:"-" json:"rules"`

	dir      string
	compiled *compiled
}

// Source is a document a framework's rules are drawn from.
type Source struct {
	ID        string `yaml:"id" json:"id"`
	Title     string `yaml:"title" json:"title"`
	URL       string `yaml:"url" json:"url,omitempty"`
	Publisher string `yaml:"publisher" json:"publisher,omitempty"`
	Read      string `yaml:"read" json:"read"` // primary (the legal text) or secondary
	Note      string `yaml:"note" json:"note,omitempty"`
}

// Derived is a named expression evaluated before the rules, which rules
// read as derived.<id>.
type Derived struct {
	ID          string `yaml:"id" json:"id"`
	Expr        string `yaml:"expr" json:"expr"`
	Description string `yaml:"description" json:"description,omitempty"`
}

// Rule is one provision: when its condition holds, its outcome applies.
type Rule struct {
	ID                 string      `yaml:"id" json:"id"`
	Title              string      `yaml:"title" json:"title"`
	When               string      `yaml:"when" json:"when"`
	Requires           []string    `yaml:"requires" json:"requires,omitempty"`
	Conditions         []Condition `yaml:"conditions" json:"conditions,omitempty"`
	Outcome            Outcome     `yaml:"outcome" json:"outcome"`
	OnConditionsMet    *Outcome    `yaml:"on_conditions_met" json:"on_conditions_met,omitempty"`
	OnConditionFailure *Outcome    `yaml:"on_condition_failure" json:"on_condition_failure,omitempty"`
	Citation           Citation    `yaml:"citation" json:"citation"`
	Explanation        string      `yaml:"explanation" json:"explanation"`
	EffectiveFrom      string      `yaml:"effective_from" json:"effective_from,omitempty"`
	EffectiveTo        string      `yaml:"effective_to" json:"effective_to,omitempty"`
	History            []History   `yaml:"history" json:"history,omitempty"`
	Stop               bool        `yaml:"stop" json:"stop,omitempty"`
	ReviewFlag         string      `yaml:"review_flag" json:"review_flag,omitempty"`
}

// Condition is one requirement of an exception path, reported met, failed
// or unknown.
type Condition struct {
	ID       string `yaml:"id" json:"id"`
	Text     string `yaml:"text" json:"text"`
	Check    string `yaml:"check" json:"check"`
	Citation string `yaml:"citation" json:"citation"`
}

// Outcome is what a rule yields.
type Outcome struct {
	Tier          string       `yaml:"tier" json:"tier"`
	Label         string       `yaml:"label" json:"label,omitempty"`
	Applicability string       `yaml:"applicability" json:"applicability,omitempty"`
	Obligations   []Obligation `yaml:"obligations" json:"obligations,omitempty"`
}

// Obligation is a duty a rule places on the deployer.
type Obligation struct {
	ID       string `yaml:"id" json:"id"`
	Text     string `yaml:"text" json:"text"`
	Citation string `yaml:"citation" json:"citation"`
}

// Citation points to the provision.
type Citation struct {
	Article string   `yaml:"article" json:"article"`
	SeeAlso []string `yaml:"see_also" json:"see_also,omitempty"`
	Source  string   `yaml:"source" json:"source,omitempty"` // a Source id of the framework
	URL     string   `yaml:"url" json:"url,omitempty"`
}

// History records dates a rule had before, e.g. before an amendment.
type History struct {
	EffectiveFrom string `yaml:"effective_from" json:"effective_from,omitempty"`
	EffectiveTo   string `yaml:"effective_to" json:"effective_to,omitempty"`
	Note          string `yaml:"note" json:"note"`
	Source        string `yaml:"source" json:"source,omitempty"`
}

// Kinds of framework.
var Kinds = []string{"binding_law", "treaty", "soft_law", "proposal"}

// Statuses of a framework.
var Statuses = []string{"in_force", "adopted", "proposed", "withdrawn", "draft"}

// LoadError is a problem in a framework file, at a line and column.
type LoadError struct {
	File         string
	Line, Column int
	Msg          string
}

func (e LoadError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// LoadErrors lists every problem found while loading.
type LoadErrors []LoadError

func (l LoadErrors) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load reads and compiles the framework in directory dir of fsys. Every
// expression is type-checked against the fact schema; the first problems
// found are returned as LoadErrors naming file, line and column.
func Load(fsys fs.FS, dir string) (*Framework, error) {
	schema, err := FactSchema()
	if err != nil {
		return nil, err
	}
	fw := &Framework{dir: dir}
	metaName := path.Join(dir, "framework.yaml")
	meta, err := readStrict(fsys, metaName, fw)
	if err != nil {
		return nil, err
	}
	l := &loader{fw: fw, schema: schema, meta: meta, metaName: metaName}
	if fw.NotEncoded != nil {
		l.checkNotEncoded(fsys)
	} else {
		var rf struct {
			Rules []*Rule `yaml:"rules"`
		}
		l.rulesName = path.Join(dir, "rules.yaml")
		if l.rules, err = readStrict(fsys, l.rulesName, &rf); err != nil {
			return nil, err
		}
		fw.Rules = rf.Rules
		l.checkRules()
	}
	l.checkMeta()
	if len(l.errs) > 0 {
		return nil, l.errs
	}
	fw.compiled = l.compile()
	if len(l.errs) > 0 {
		return nil, l.errs
	}
	fw.compiled.prepare()
	return fw, nil
}

// prepare readies the pool of evaluation states, which spares each
// evaluation its allocations.
func (c *compiled) prepare() {
	c.pool.New = func() any {
		a := &activation{c: c, n: nenv{consts: c.constVals, derived: make([]val, len(c.derived))}}
		if c.celOnly {
			a.derived = make([]ref.Val, len(c.derived))
		}
		return a
	}
}

// LoadAll loads every framework directory (one holding framework.yaml)
// directly under root, in id order.
func LoadAll(fsys fs.FS, root string) ([]*Framework, error) {
	metas, err := fs.Glob(fsys, path.Join(root, "*", "framework.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(metas)
	var out []*Framework
	var errs LoadErrors
	for _, m := range metas {
		fw, err := Load(fsys, path.Dir(m))
		if err != nil {
			if le, ok := err.(LoadErrors); ok {
				errs = append(errs, le...)
				continue
			}
			return nil, err
		}
		out = append(out, fw)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// Dir returns the directory the framework was loaded from.
func (fw *Framework) Dir() string { return fw.dir }

// Rule returns the rule with the given id.
func (fw *Framework) Rule(id string) *Rule {
	for _, r := range fw.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Label returns the framework's own word for a tier.
func (fw *Framework) Label(tier string) string {
	if l, ok := fw.Labels[tier]; ok {
		return l
	}
	return strings.ReplaceAll(tier, "_", " ")
}

func readStrict(fsys fs.FS, name string, v any) (*yamldoc.Doc, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, LoadErrors{{File: name, Msg: err.Error()}}
	}
	doc, err := yamldoc.Parse(data)
	if err != nil {
		if ye, ok := err.(*yamldoc.Error); ok {
			return nil, LoadErrors{{File: name, Line: ye.Line, Column: ye.Column, Msg: ye.Msg}}
		}
		return nil, LoadErrors{{File: name, Msg: err.Error()}}
	}
	if err := decodeStrict(doc, v); err != nil {
		ye := yamldoc.Explain(err)
		if e, ok := ye.(*yamldoc.Error); ok {
			return nil, LoadErrors{{File: name, Line: e.Line, Column: e.Column, Msg: e.Msg}}
		}
		return nil, LoadErrors{{File: name, Msg: err.Error()}}
	}
	return doc, nil
}

// decodeStrict decodes a parsed document into v, refusing unknown fields.
// It decodes the tree Parse built: parsing the text again took half of the
// time every command spends loading the frameworks.
// A framework's files use no YAML tags: the decoder panics on a tagged
// scalar where a list belongs (goccy/go-yaml 1.19.2, found by
// FuzzLoadNotEncoded), so a tag is refused, at its place, before it.
func decodeStrict(doc *yamldoc.Doc, v any) error {
	if len(doc.File.Docs) == 0 || doc.File.Docs[0].Body == nil {
		return nil
	}
	body := doc.File.Docs[0].Body
	var tags tagFinder
	ast.Walk(&tags, body)
	if tags.first != nil {
		e := &yamldoc.Error{Msg: fmt.Sprintf("YAML tag %s: framework files use no tags", tags.first.Start.Value)}
		if pos := tags.first.Start.Position; pos != nil {
			e.Line, e.Column = pos.Line, pos.Column
		}
		return e
	}
	return yaml.NodeToValue(body, v, yaml.Strict())
}

// tagFinder keeps the first tagged node an ast.Walk visits.
type tagFinder struct{ first *ast.TagNode }

func (f *tagFinder) Visit(n ast.Node) ast.Visitor {
	if t, ok := n.(*ast.TagNode); ok && f.first == nil {
		f.first = t
	}
	if f.first != nil {
		return nil
	}
	return f
}

// loader collects the problems of one framework.
type loader struct {
	fw                  *Framework
	schema              *Schema
	meta, rules         *yamldoc.Doc
	metaName, rulesName string
	errs                LoadErrors
}

func (l *loader) errAt(doc *yamldoc.Doc, file, at, format string, args ...any) {
	line, col := doc.Position(at)
	l.errs = append(l.errs, LoadError{File: file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) metaErr(at, format string, args ...any) {
	l.errAt(l.meta, l.metaName, at, format, args...)
}

func (l *loader) ruleErr(at, format string, args ...any) {
	l.errAt(l.rules, l.rulesName, at, format, args...)
}

func (l *loader) checkMeta() {
	fw := l.fw
	if !idPattern.MatchString(fw.ID) {
		l.metaErr("id", "id %q must be kebab-case (lower-case words joined by hyphens)", fw.ID)
	} else if base := path.Base(fw.dir); base != fw.ID && fw.dir != "." {
		l.metaErr("id", "id %q must match its directory name %q", fw.ID, base)
	}
	if fw.Title == "" {
		l.metaErr("title", "title is required")
	}
	if fw.ShortTitle == "" {
		fw.ShortTitle = fw.Title
	}
	if !contains(Kinds, fw.Kind) {
		l.metaErr("kind", "kind %q is not allowed (allowed: %s)", fw.Kind, strings.Join(Kinds, ", "))
	}
	if !contains(Statuses, fw.Status) {
		l.metaErr("status", "status %q is not allowed (allowed: %s)", fw.Status, strings.Join(Statuses, ", "))
	}
	if fw.DefaultTier == "" && fw.Encoded() {
		fw.DefaultTier = string(MinimalRisk)
	}
	if fw.Encoded() && !validTier(fw.DefaultTier) {
		l.metaErr("default_tier", "default_tier %q is not allowed (allowed: %s)", fw.DefaultTier, tierList())
	}
	for tier := range fw.Labels {
		if !validTier(tier) && tier != string(Indeterminate) {
			l.metaErr("labels."+tier, "label for unknown tier %q (allowed: %s)", tier, tierList())
		}
	}
	for i, j := range append(append([]string{}, fw.Binds...), fw.Signatories...) {
		if !jurisdictionPattern.MatchString(j) {
			l.metaErr(fmt.Sprintf("binds[%d]", i), "%q is not an ISO 3166-1 alpha-2 code or EU", j)
		}
	}
	l.checkDate(l.meta, l.metaName, "effective_from", fw.EffectiveFrom)
	l.checkDate(l.meta, l.metaName, "effective_to", fw.EffectiveTo)
	l.checkSignedOn(fw)
	if len(fw.Sources) == 0 {
		l.metaErr("sources", "a framework needs at least one source")
	}
	ids := map[string]bool{}
	for i, s := range fw.Sources {
		at := fmt.Sprintf("sources[%d]", i)
		if s.ID == "" || ids[s.ID] {
			l.metaErr(at+".id", "source id %q is empty or repeated", s.ID)
		}
		ids[s.ID] = true
		if s.Read != "primary" && s.Read != "secondary" {
			l.metaErr(at+".read", "read %q is not allowed (allowed: primary, secondary)", s.Read)
		}
		if s.URL != "" && !strings.HasPrefix(s.URL, "http") {
			l.metaErr(at+".url", "url %q must start with http", s.URL)
		}
	}
}

var jurisdictionPattern = regexp.MustCompile(`^([A-Z]{2}|EU)$`)

func (l *loader) checkDate(doc *yamldoc.Doc, file, at, v string) {
	if v == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		l.errAt(doc, file, at, "%q is not a date YYYY-MM-DD", v)
	}
}

func (l *loader) checkRules() {
	fw := l.fw
	if len(fw.Rules) == 0 {
		l.ruleErr("rules", "a framework needs at least one rule")
	}
	sources := map[string]bool{}
	for _, s := range fw.Sources {
		sources[s.ID] = true
	}
	seen := map[string]bool{}
	for i, r := range fw.Rules {
		at := fmt.Sprintf("rules[%d]", i)
		if r.ID == "" || seen[r.ID] {
			l.ruleErr(at+".id", "rule id %q is empty or repeated", r.ID)
		}
		seen[r.ID] = true
		if r.When == "" {
			l.ruleErr(at, "rule %s has no when", r.ID)
		}
		if r.Citation.Article == "" {
			l.ruleErr(at+".citation", "rule %s needs citation.article", r.ID)
		}
		if r.Citation.Source != "" && !sources[r.Citation.Source] {
			l.ruleErr(at+".citation.source", "source %q is not among the framework's sources", r.Citation.Source)
		}
		if r.Explanation == "" {
			l.ruleErr(at, "rule %s needs an explanation", r.ID)
		}
		l.checkOutcome(at+".outcome", &r.Outcome)
		if r.OnConditionFailure != nil {
			l.checkOutcome(at+".on_condition_failure", r.OnConditionFailure)
		}
		if r.OnConditionsMet != nil {
			l.checkOutcome(at+".on_conditions_met", r.OnConditionsMet)
		}
		if len(r.Conditions) > 0 && r.Outcome.Tier != string(ProhibitedUnless) {
			l.ruleErr(at+".outcome.tier", "a rule with conditions yields %s", ProhibitedUnless)
		}
		for j, p := range r.Requires {
			if _, ok := l.schema.byPath[p]; !ok {
				l.ruleErr(fmt.Sprintf("%s.requires[%d]", at, j), "requires %q: no such fact (facts are the leaves of %s)", p, SchemaID)
			}
		}
		cids := map[string]bool{}
		for j, c := range r.Conditions {
			if c.ID == "" || cids[c.ID] {
				l.ruleErr(fmt.Sprintf("%s.conditions[%d].id", at, j), "condition id %q is empty or repeated", c.ID)
			}
			cids[c.ID] = true
			if c.Citation == "" {
				l.ruleErr(fmt.Sprintf("%s.conditions[%d]", at, j), "condition %s needs a citation", c.ID)
			}
		}
		l.checkDate(l.rules, l.rulesName, at+".effective_from", r.EffectiveFrom)
		l.checkDate(l.rules, l.rulesName, at+".effective_to", r.EffectiveTo)
		for j, h := range r.History {
			l.checkDate(l.rules, l.rulesName, fmt.Sprintf("%s.history[%d].effective_from", at, j), h.EffectiveFrom)
			l.checkDate(l.rules, l.rulesName, fmt.Sprintf("%s.history[%d].effective_to", at, j), h.EffectiveTo)
		}
	}
}

func (l *loader) checkOutcome(at string, o *Outcome) {
	if !validTier(o.Tier) {
		l.ruleErr(at+".tier", "tier %q is not allowed (allowed: %s)", o.Tier, tierList())
	}
	if o.Applicability != "" && !contains(Applicabilities, o.Applicability) {
		l.ruleErr(at+".applicability", "applicability %q is not allowed (allowed: %s)", o.Applicability, strings.Join(Applicabilities, ", "))
	}
	for j, ob := range o.Obligations {
		if ob.ID == "" || ob.Text == "" || ob.Citation == "" {
			l.ruleErr(fmt.Sprintf("%s.obligations[%d]", at, j), "an obligation needs id, text and citation")
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
