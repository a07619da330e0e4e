package rules

import (
	"fmt"
	"io/fs"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/parser"
)

// The mutation test asks whether a framework's golden cases pin its rules
// down: it makes one small change at a time to the rules (a comparison or
// connective flipped, a negation dropped, a membership negated, one
// exception condition negated, one required fact dropped) and runs the
// golden cases against each changed framework. A mutant is killed when at
// least one case's result differs from what the case expects; a mutant
// that survives is a change no case notices, either a gap in the cases or
// a change that cannot alter any result (an equivalent mutant).

// Mutant is one small change to a framework's rules.
type Mutant struct {
	Rule    string `json:"rule"`                // the rule's id, or derived.<id>
	Site    string `json:"site"`                // when, expr, condition <id>, or requires
	Op      string `json:"op"`                  // the change, e.g. "== → !="
	At      string `json:"at,omitempty"`        // the changed part of the expression, as CEL
	Expr    string `json:"expr,omitempty"`      // the whole changed expression, as CEL
	Killed  bool   `json:"killed"`              // some golden case fails
	By      string `json:"killed_by,omitempty"` // the first case that failed, file:line: name
	Invalid string `json:"invalid,omitempty"`   // why the mutant does not compile; not counted
	Note    string `json:"note,omitempty"`      // why a survivor is known to be equivalent
}

// MutationReport is the outcome of a framework's mutation test.
type MutationReport struct {
	Framework string   `json:"framework"`
	Cases     int      `json:"cases"`
	Mutants   []Mutant `json:"mutants"`
}

// Valid is the number of mutants that compiled.
func (r *MutationReport) Valid() int {
	n := 0
	for _, m := range r.Mutants {
		if m.Invalid == "" {
			n++
		}
	}
	return n
}

// Killed is the number of mutants some golden case noticed.
func (r *MutationReport) Killed() int {
	n := 0
	for _, m := range r.Mutants {
		if m.Killed {
			n++
		}
	}
	return n
}

// Score is the share of valid mutants killed, from 0 to 1; 1 when there
// are none.
func (r *MutationReport) Score() float64 {
	if v := r.Valid(); v > 0 {
		return float64(r.Killed()) / float64(v)
	}
	return 1
}

// Survivors are the valid mutants no golden case noticed.
func (r *MutationReport) Survivors() []Mutant {
	var out []Mutant
	for _, m := range r.Mutants {
		if !m.Killed && m.Invalid == "" {
			out = append(out, m)
		}
	}
	return out
}

// Mutate runs the framework's golden cases (from its tests directory in
// fsys) against every single mutant of its rules. The cases must pass on
// the framework as it is. Each mutant is compiled in the framework's own
// environment and evaluated natively where it can be, so the whole test
// costs little more than compiling the mutants.
func (fw *Framework) Mutate(fsys fs.FS) (*MutationReport, error) {
	if !fw.Encoded() {
		return nil, fmt.Errorf("%s: not encoded: it has no rules to mutate", fw.ID)
	}
	cases, err := fw.goldenCases(fsys)
	if err != nil {
		return nil, err
	}
	for _, gc := range cases {
		if gc.err != "" {
			return nil, fmt.Errorf("%s: golden case cannot run: %s", fw.ID, gc.where()+gc.err)
		}
		if f := gc.check(fw.Evaluate(gc.facts, gc.asOf), true); len(f) > 0 {
			return nil, fmt.Errorf("%s: golden case fails before any mutation: %s", fw.ID, gc.where()+f[0])
		}
	}
	rep := &MutationReport{Framework: fw.ID, Cases: len(cases)}
	c := fw.compiled
	read := fw.derivedRead()
	for i, d := range fw.Derived {
		n := len(rep.Mutants)
		fw.mutateExpr(rep, cases, "derived."+d.ID, "expr", d.Expr, false, func(mc *compiled, e *expr) {
			mc.derived[i] = e
		})
		if !read[d.ID] {
			for k := n; k < len(rep.Mutants); k++ {
				rep.Mutants[k].Note = "equivalent: no rule reads derived." + d.ID
			}
		}
	}
	for i, cr := range c.rules {
		r := cr.rule
		fw.mutateExpr(rep, cases, r.ID, "when", r.When, false, func(mc *compiled, e *expr) {
			mr := *cr
			mr.when = e
			mc.rules[i] = &mr
		})
		for k, cond := range r.Conditions {
			set := func(mc *compiled, e *expr) {
				mr := *cr
				mr.conds = append([]*expr(nil), cr.conds...)
				mr.conds[k] = e
				mc.rules[i] = &mr
			}
			site := "condition " + cond.ID
			fw.mutateExpr(rep, cases, r.ID, site, cond.Check, true, set)
		}
		for k, p := range r.Requires {
			mc := c.clone()
			mr := *cr
			mr.requires = append(append([]*Leaf(nil), cr.requires[:k]...), cr.requires[k+1:]...)
			mc.rules[i] = &mr
			m := Mutant{Rule: r.ID, Site: "requires", Op: "drop " + p}
			fw.kill(&m, mc, cases)
			rep.Mutants = append(rep.Mutants, m)
		}
	}
	return rep, nil
}

// derivedRead returns the derived values that some rule reads, directly
// or through other derived values.
func (fw *Framework) derivedRead() map[string]bool {
	refs := func(src string) []string {
		a, err := parseForMutation(src)
		if err != nil {
			return nil
		}
		var out []string
		var walk func(e ast.Expr)
		walk = func(e ast.Expr) {
			switch e.Kind() {
			case ast.SelectKind:
				sel := e.AsSelect()
				if op := sel.Operand(); op.Kind() == ast.IdentKind && op.AsIdent() == "derived" {
					out = append(out, sel.FieldName())
				}
				walk(sel.Operand())
			case ast.CallKind:
				call := e.AsCall()
				if call.IsMemberFunction() {
					walk(call.Target())
				}
				for _, arg := range call.Args() {
					walk(arg)
				}
			case ast.ListKind:
				for _, el := range e.AsList().Elements() {
					walk(el)
				}
			case ast.ComprehensionKind:
				comp := e.AsComprehension()
				for _, x := range []ast.Expr{comp.IterRange(), comp.AccuInit(), comp.LoopCondition(), comp.LoopStep(), comp.Result()} {
					walk(x)
				}
			}
		}
		walk(a.Expr())
		return out
	}
	read := map[string]bool{}
	var mark func(id string)
	byID := map[string]*Derived{}
	for _, d := range fw.Derived {
		byID[d.ID] = d
	}
	mark = func(id string) {
		if read[id] {
			return
		}
		read[id] = true
		if d := byID[id]; d != nil {
			for _, r := range refs(d.Expr) {
				mark(r)
			}
		}
	}
	for _, r := range fw.Rules {
		srcs := []string{r.When}
		for _, c := range r.Conditions {
			srcs = append(srcs, c.Check)
		}
		for _, src := range srcs {
			for _, id := range refs(src) {
				mark(id)
			}
		}
	}
	return read
}

// mutateExpr adds the mutants of one expression to the report; with
// negate, the mutant that negates the whole expression too.
func (fw *Framework) mutateExpr(rep *MutationReport, cases []*loadedCase, rule, site, src string, negate bool, set func(*compiled, *expr)) {
	ms, err := MutateExpr(src, negate)
	if err != nil {
		rep.Mutants = append(rep.Mutants, Mutant{Rule: rule, Site: site, Op: "parse", Invalid: err.Error()})
		return
	}
	for _, em := range ms {
		m := Mutant{Rule: rule, Site: site, Op: em.Op, At: em.At, Expr: em.Expr}
		e, err := fw.compiled.compileMutant(em.Expr)
		if err != nil {
			m.Invalid = err.Error()
			rep.Mutants = append(rep.Mutants, m)
			continue
		}
		mc := fw.compiled.clone()
		set(mc, e)
		mc.celOnly = mc.celOnly || e.native == nil
		fw.kill(&m, mc, cases)
		rep.Mutants = append(rep.Mutants, m)
	}
}

// kill runs the cases against the framework with its compiled form
// replaced by mc, until one fails.
func (fw *Framework) kill(m *Mutant, mc *compiled, cases []*loadedCase) {
	mc.prepare()
	mf := *fw
	mf.compiled = mc
	for _, gc := range cases {
		if f := gc.check(mf.Evaluate(gc.facts, gc.asOf), true); len(f) > 0 {
			m.Killed, m.By = true, strings.TrimSuffix(gc.where(), ": ")
			return
		}
	}
}

// compileMutant compiles a mutated expression in the framework's
// environment. The mutations keep every type, so the checks made when the
// framework loaded (enumerated values, cost) still hold.
func (c *compiled) compileMutant(src string) (*expr, error) {
	a, iss := c.env.Compile(src)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	if !a.OutputType().IsExactType(cel.BoolType) {
		return nil, fmt.Errorf("mutant gives %s, want bool", a.OutputType())
	}
	prg, err := c.env.Program(a, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, err
	}
	e, _ := c.build(a.NativeRep(), prg)
	return e, nil
}

// ExprMutant is one mutation of a CEL expression.
type ExprMutant struct {
	Op   string // the change, e.g. "&& → ||"
	At   string // the changed part, e.g. "facts.x != true"
	Expr string // the whole changed expression
}

// flips are the operators a mutation swaps: each comparison with its
// negation, and the connectives with each other.
var flips = map[string]string{
	operators.Equals:        operators.NotEquals,
	operators.NotEquals:     operators.Equals,
	operators.Less:          operators.GreaterEquals,
	operators.GreaterEquals: operators.Less,
	operators.Greater:       operators.LessEquals,
	operators.LessEquals:    operators.Greater,
	operators.LogicalAnd:    operators.LogicalOr,
	operators.LogicalOr:     operators.LogicalAnd,
}

// mutationID numbers the nodes a mutation adds, above any the parser gives.
const mutationID = 1 << 40

var mutParser = func() *parser.Parser {
	p, err := parser.NewParser(parser.Macros(parser.AllMacros...), parser.PopulateMacroCalls(true))
	if err != nil {
		panic(err)
	}
	return p
}()

// MutateExpr parses a CEL expression and returns its single mutants, each
// unparsed back to CEL: every comparison and connective flipped (== and !=,
// < and >=, > and <=, && and ||), every negation dropped, every membership
// test negated (unless already negated), and with negate the whole
// expression negated. The changes are made on the syntax tree, macros
// (exists, all) included, never on the text.
func MutateExpr(src string, negate bool) ([]ExprMutant, error) {
	a, err := parseForMutation(src)
	if err != nil {
		return nil, err
	}
	var sites []string
	walkMutable(a, func(e, parent ast.Expr) {
		sites = append(sites, mutationOp(e, parent))
	})
	var out []ExprMutant
	seen := map[string]bool{src: true}
	add := func(op, at, mutated string) {
		if !seen[mutated] {
			seen[mutated] = true
			out = append(out, ExprMutant{Op: op, At: at, Expr: mutated})
		}
	}
	for k, op := range sites {
		if op == "" {
			continue
		}
		a, err := parseForMutation(src)
		if err != nil {
			return nil, err
		}
		i := 0
		var at ast.Expr
		walkMutable(a, func(e, parent ast.Expr) {
			if i == k {
				applyMutation(e, parent, a.SourceInfo())
				at = e
			}
			i++
		})
		s, err := unparse(a.Expr(), a.SourceInfo())
		if err != nil {
			return nil, fmt.Errorf("unparsing a mutant (%s) of %q: %w", op, src, err)
		}
		part, err := unparse(at, a.SourceInfo())
		if err != nil {
			return nil, fmt.Errorf("unparsing a mutant (%s) of %q: %w", op, src, err)
		}
		add(op, part, s)
	}
	if negate {
		a, err := parseForMutation(src)
		if err != nil {
			return nil, err
		}
		fac := ast.NewExprFactory()
		s, err := unparse(fac.NewCall(mutationID, operators.LogicalNot, a.Expr()), a.SourceInfo())
		if err != nil {
			return nil, fmt.Errorf("unparsing the negation of %q: %w", src, err)
		}
		add("negate condition", "", s)
	}
	return out, nil
}

// unparse prints an expression on one line.
func unparse(e ast.Expr, info *ast.SourceInfo) (string, error) {
	return parser.Unparse(e, info, parser.WrapOnOperators())
}

func parseForMutation(src string) (*ast.AST, error) {
	a, iss := mutParser.Parse(common.NewTextSource(src))
	if iss != nil && len(iss.GetErrors()) > 0 {
		return nil, fmt.Errorf("parsing %q: %s", src, iss.ToDisplayString())
	}
	return a, nil
}

// walkMutable visits every call of the expression as it was written, in a
// fixed order: a macro's expansion is replaced by the call that was
// written (x.exists(p, ...)), as the unparser prints it.
func walkMutable(a *ast.AST, fn func(e, parent ast.Expr)) {
	info := a.SourceInfo()
	var walk func(e, parent ast.Expr)
	walk = func(e, parent ast.Expr) {
		if e == nil {
			return
		}
		if mc, ok := info.GetMacroCall(e.ID()); ok && e.ID() != 0 {
			walk(mc, parent)
			return
		}
		switch e.Kind() {
		case ast.CallKind:
			fn(e, parent)
			c := e.AsCall()
			if c.IsMemberFunction() {
				walk(c.Target(), e)
			}
			for _, arg := range c.Args() {
				walk(arg, e)
			}
		case ast.ListKind:
			for _, el := range e.AsList().Elements() {
				walk(el, e)
			}
		case ast.SelectKind:
			walk(e.AsSelect().Operand(), e)
		case ast.MapKind:
			for _, en := range e.AsMap().Entries() {
				walk(en.AsMapEntry().Key(), e)
				walk(en.AsMapEntry().Value(), e)
			}
		}
	}
	walk(a.Expr(), nil)
}

// mutationOp names the mutation of a call, or "" when there is none.
func mutationOp(e, parent ast.Expr) string {
	fn := e.AsCall().FunctionName()
	if to, ok := flips[fn]; ok {
		return opName(fn) + " → " + opName(to)
	}
	switch fn {
	case operators.LogicalNot:
		return "drop !"
	case operators.In:
		if parent == nil || parent.Kind() != ast.CallKind || parent.AsCall().FunctionName() != operators.LogicalNot {
			return "in → !in"
		}
	}
	return ""
}

func opName(fn string) string {
	if s, ok := operators.FindReverse(fn); ok {
		return s
	}
	return fn
}

// applyMutation changes the call e in place.
func applyMutation(e, parent ast.Expr, info *ast.SourceInfo) {
	fac := ast.NewExprFactory()
	c := e.AsCall()
	fn := c.FunctionName()
	if to, ok := flips[fn]; ok {
		e.SetKindCase(fac.NewCall(e.ID(), to, c.Args()...))
		return
	}
	switch fn {
	case operators.LogicalNot:
		arg := c.Args()[0]
		if mc, ok := info.GetMacroCall(arg.ID()); ok {
			info.SetMacroCall(e.ID(), mc)
		}
		e.SetKindCase(arg)
	case operators.In:
		in := fac.NewCall(mutationID, operators.In, c.Args()...)
		e.SetKindCase(fac.NewCall(e.ID(), operators.LogicalNot, in))
	}
}
