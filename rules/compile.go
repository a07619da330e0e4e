package rules

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"oversight/internal/yamldoc"
)

// MaxCost bounds the worst-case cost of one expression, estimated when the
// framework loads from the schema's bounds on every list and string. Inputs
// are validated against the same bounds, so no evaluation can exceed it.
const MaxCost = 20000

// Variable name prefixes rules read.
const (
	factsPrefix   = "facts."
	constsPrefix  = "consts."
	derivedPrefix = "derived."
	asOfName      = "as_of"
)

type slotKind uint8

const (
	factSlot slotKind = iota
	constSlot
	derivedSlot
	asOfSlot
)

type slot struct {
	kind slotKind
	idx  int64 // leaf id, const index or derived index
}

// compiled is a framework ready to evaluate.
type compiled struct {
	slots     map[string]slot
	consts    []ref.Val
	constVals [][]string
	derived   []*expr
	rules     []*compiledRule
	celOnly   bool       // some expression runs on cel-go, so derived values are kept in its form too
	readsAsOf bool       // some expression reads as_of, so a result may change on any day
	changes   changeDays // Framework.Changes, worked out once
	env       *cel.Env
	schema    *Schema
	pool      sync.Pool // of *activation
}

type compiledRule struct {
	rule     *Rule
	when     *expr
	conds    []*expr
	requires []*Leaf
	from, to time.Time
}

// expr is one compiled expression and the facts it reads.
type expr struct {
	prg    cel.Program
	native nfn     // nil when the expression is outside the native subset
	facts  []*Leaf // leaves read, directly or through derived expressions
}

func (l *loader) compile() *compiled {
	c := &compiled{slots: map[string]slot{asOfName: {kind: asOfSlot}}, schema: l.schema}
	opts := []cel.EnvOption{cel.Variable(asOfName, cel.TimestampType)}
	for _, leaf := range l.schema.leaves {
		opts = append(opts, cel.Variable(factsPrefix+leaf.Path, celType(leaf.Kind)))
		c.slots[factsPrefix+leaf.Path] = slot{kind: factSlot, idx: leaf.id}
	}
	names := make([]string, 0, len(l.fw.Consts))
	for name := range l.fw.Consts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		opts = append(opts, cel.Variable(constsPrefix+name, cel.ListType(cel.StringType)))
		c.slots[constsPrefix+name] = slot{kind: constSlot, idx: int64(len(c.consts))}
		c.consts = append(c.consts, types.NewStringList(types.DefaultTypeAdapter, l.fw.Consts[name]))
		c.constVals = append(c.constVals, l.fw.Consts[name])
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		l.errs = append(l.errs, LoadError{File: l.metaName, Msg: err.Error()})
		return nil
	}
	cx := &exprCompiler{l: l, c: c}
	for i, d := range l.fw.Derived {
		at := fmt.Sprintf("derived[%d].expr", i)
		if !idPattern.MatchString(strings.ReplaceAll(d.ID, "_", "-")) {
			l.metaErr(fmt.Sprintf("derived[%d].id", i), "derived id %q must be snake_case", d.ID)
			continue
		}
		e, out := cx.compile(env, l.meta, l.metaName, at, d.Expr, cel.BoolType)
		if e == nil {
			continue
		}
		c.slots[derivedPrefix+d.ID] = slot{kind: derivedSlot, idx: int64(len(c.derived))}
		c.derived = append(c.derived, e)
		if env, err = env.Extend(cel.Variable(derivedPrefix+d.ID, out)); err != nil {
			l.metaErr(at, "%v", err)
		}
	}
	for i, r := range l.fw.Rules {
		at := fmt.Sprintf("rules[%d]", i)
		cr := &compiledRule{rule: r}
		cr.when, _ = cx.compile(env, l.rules, l.rulesName, at+".when", r.When, cel.BoolType)
		for j, cond := range r.Conditions {
			e, _ := cx.compile(env, l.rules, l.rulesName, fmt.Sprintf("%s.conditions[%d].check", at, j), cond.Check, cel.BoolType)
			cr.conds = append(cr.conds, e)
		}
		for _, p := range r.Requires {
			cr.requires = append(cr.requires, l.schema.byPath[p])
		}
		cr.from, _ = time.Parse(time.DateOnly, r.EffectiveFrom)
		cr.to, _ = time.Parse(time.DateOnly, r.EffectiveTo)
		c.rules = append(c.rules, cr)
	}
	c.env = env // every derived value declared: the mutation test compiles in it
	return c
}

func celType(k Kind) *cel.Type {
	switch k {
	case Bool:
		return cel.BoolType
	case Int:
		return cel.IntType
	case StringList:
		return cel.ListType(cel.StringType)
	}
	return cel.StringType
}

type exprCompiler struct {
	l *loader
	c *compiled
}

// compile type-checks one expression, checks the enumeration values it
// compares facts with, bounds its cost and builds its program. Problems are
// recorded with the file position of the offending character.
func (x *exprCompiler) compile(env *cel.Env, doc *yamldoc.Doc, file, at, src string, want *cel.Type) (*expr, *cel.Type) {
	if strings.TrimSpace(src) == "" {
		x.l.errAt(doc, file, at, "expression is empty")
		return nil, nil
	}
	a, iss := env.Compile(src)
	if iss.Err() != nil {
		for _, e := range iss.Errors() {
			x.errIn(doc, file, at, src, e.Location, "%s", e.Message)
		}
		return nil, nil
	}
	if want != nil && !a.OutputType().IsExactType(want) {
		x.l.errAt(doc, file, at, "expression gives %s, want %s", a.OutputType(), want)
		return nil, nil
	}
	checked := a.NativeRep()
	bad := false
	lint := &enumLint{schema: x.l.schema, consts: x.l.fw.Consts, refs: checked.ReferenceMap(), iter: map[string]*Leaf{}}
	lint.walk(checked.Expr(), func(id int64, msg string) {
		bad = true
		x.errIn(doc, file, at, src, checked.SourceInfo().GetStartLocation(id), "%s", msg)
	})
	if bad {
		return nil, nil
	}
	est, err := env.EstimateCost(a, sizes{x.l.schema, x.l.fw.Consts})
	if err != nil {
		x.l.errAt(doc, file, at, "cost: %v", err)
		return nil, nil
	}
	if est.Max > MaxCost {
		x.l.errAt(doc, file, at, "expression may cost up to %d, over the limit of %d", est.Max, MaxCost)
		return nil, nil
	}
	prg, err := env.Program(a, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		x.l.errAt(doc, file, at, "%v", err)
		return nil, nil
	}
	e, native := x.c.build(checked, prg)
	x.c.celOnly = x.c.celOnly || !native
	return e, a.OutputType()
}

// build makes a checked expression's program into an expr: its native
// form where the expression is in the native subset (native reports
// whether it is), and the facts it reads.
func (c *compiled) build(checked *ast.AST, prg cel.Program) (e *expr, native bool) {
	e = &expr{prg: prg}
	nc := &nativeCompiler{a: checked, schema: c.schema, slots: c.slots, consts: c.constVals}
	if fn, ok := nc.compile(checked.Expr()); ok {
		e.native = fn
	}
	seen := map[*Leaf]bool{}
	for _, r := range checked.ReferenceMap() {
		name := r.Name
		if name == asOfName {
			c.readsAsOf = true
		}
		if leaf, ok := c.schema.byPath[strings.TrimPrefix(name, factsPrefix)]; ok && strings.HasPrefix(name, factsPrefix) && !seen[leaf] {
			seen[leaf] = true
			e.facts = append(e.facts, leaf)
		}
		if s, ok := c.slots[name]; ok && s.kind == derivedSlot {
			for _, leaf := range c.derived[s.idx].facts {
				if !seen[leaf] {
					seen[leaf] = true
					e.facts = append(e.facts, leaf)
				}
			}
		}
	}
	sort.Slice(e.facts, func(i, j int) bool { return e.facts[i].Path < e.facts[j].Path })
	return e, e.native != nil
}

// errIn records an error at a position inside an expression, mapped back to
// the YAML file: the expression's characters other than spaces appear in
// the file in the same order, whatever the scalar style.
func (x *exprCompiler) errIn(doc *yamldoc.Doc, file, at, src string, loc common.Location, format string, args ...any) {
	line, col := doc.Position(at)
	if loc != nil && line > 0 {
		line, col = mapPosition(doc, line, col, src, loc)
	}
	x.l.errs = append(x.l.errs, LoadError{File: file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

func mapPosition(doc *yamldoc.Doc, line, col int, src string, loc common.Location) (int, int) {
	// Count the non-space characters of src before the location.
	srcLines := strings.Split(src, "\n")
	if loc.Line() < 1 || loc.Line() > len(srcLines) {
		return line, col
	}
	k := 0
	for i := 0; i < loc.Line()-1; i++ {
		k += nonSpace(srcLines[i])
	}
	r := []rune(srcLines[loc.Line()-1])
	if loc.Column() <= len(r) {
		k += nonSpace(string(r[:loc.Column()]))
	}
	// An error at the end of the expression points at its last character.
	k = min(k, max(nonSpace(src)-1, 0))
	// The first word of the expression marks where it begins in the file;
	// folding may have joined the lines that follow.
	first := strings.Fields(src)[0]
	lines := doc.Lines
	// Find where the expression begins at or after the node's position.
	for li := line - 1; li < len(lines) && li < line+2; li++ {
		start := 0
		if li == line-1 {
			start = max(col-1, 0)
		}
		row := []rune(lines[li])
		if start > len(row) {
			continue
		}
		idx := strings.Index(string(row[start:]), first)
		if idx < 0 {
			continue
		}
		// Walk forward matching non-space characters.
		ci := start + len([]rune(string(row[start:])[:idx]))
		n := 0
		for l2 := li; l2 < len(lines); l2++ {
			rr := []rune(lines[l2])
			for ; ci < len(rr); ci++ {
				if unicode.IsSpace(rr[ci]) {
					continue
				}
				if n == k {
					return l2 + 1, ci + 1
				}
				n++
			}
			ci = 0
		}
		break
	}
	return line, col
}

func nonSpace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// enumLint checks string literals compared with enumerated facts, so that a
// misspelt value is an error at load, not a rule that never fires.
type enumLint struct {
	schema *Schema
	consts map[string][]string
	refs   map[int64]*ast.ReferenceInfo
	iter   map[string]*Leaf // comprehension variables ranging over an enumerated list
}

// enumOf returns the leaf whose enumeration e's value must come from.
func (v *enumLint) enumOf(e ast.Expr) *Leaf {
	if r, ok := v.refs[e.ID()]; ok && strings.HasPrefix(r.Name, factsPrefix) {
		if leaf := v.schema.byPath[strings.TrimPrefix(r.Name, factsPrefix)]; leaf != nil && leaf.Enum != nil {
			return leaf
		}
	}
	if e.Kind() == ast.IdentKind {
		return v.iter[e.AsIdent()]
	}
	return nil
}

// literals returns the string constants e stands for: a literal, a list of
// literals, or a named constant list.
func (v *enumLint) literals(e ast.Expr) []string {
	switch e.Kind() {
	case ast.LiteralKind:
		if s, ok := e.AsLiteral().(types.String); ok {
			return []string{string(s)}
		}
	case ast.ListKind:
		var out []string
		for _, el := range e.AsList().Elements() {
			out = append(out, v.literals(el)...)
		}
		return out
	}
	if r, ok := v.refs[e.ID()]; ok && strings.HasPrefix(r.Name, constsPrefix) {
		return v.consts[strings.TrimPrefix(r.Name, constsPrefix)]
	}
	return nil
}

func (v *enumLint) check(leaf *Leaf, vals []string, id int64, report func(int64, string)) {
	if leaf == nil {
		return
	}
	for _, s := range vals {
		if !contains(leaf.Enum, s) {
			report(id, fmt.Sprintf("%q is not a value of facts.%s (allowed: %s)", s, leaf.Path, strings.Join(leaf.Enum, ", ")))
		}
	}
}

func (v *enumLint) walk(e ast.Expr, report func(int64, string)) {
	switch e.Kind() {
	case ast.CallKind:
		call := e.AsCall()
		args := call.Args()
		switch call.FunctionName() {
		case "_==_", "_!=_":
			v.check(v.enumOf(args[0]), v.literals(args[1]), args[1].ID(), report)
			v.check(v.enumOf(args[1]), v.literals(args[0]), args[0].ID(), report)
		case "@in":
			// 'x' in facts.list  ·  facts.enum in ['a', 'b']  ·  p in consts.list
			v.check(v.enumOf(args[1]), v.literals(args[0]), args[0].ID(), report)
			v.check(v.enumOf(args[0]), v.literals(args[1]), args[1].ID(), report)
		}
		if call.IsMemberFunction() {
			v.walk(call.Target(), report)
		}
		for _, a := range args {
			v.walk(a, report)
		}
	case ast.ComprehensionKind:
		comp := e.AsComprehension()
		v.walk(comp.IterRange(), report)
		if leaf := v.enumOf(comp.IterRange()); leaf != nil && leaf.Kind == StringList {
			v.iter[comp.IterVar()] = leaf
			defer delete(v.iter, comp.IterVar())
		}
		v.walk(comp.AccuInit(), report)
		v.walk(comp.LoopCondition(), report)
		v.walk(comp.LoopStep(), report)
		v.walk(comp.Result(), report)
	case ast.ListKind:
		for _, el := range e.AsList().Elements() {
			v.walk(el, report)
		}
	case ast.SelectKind:
		v.walk(e.AsSelect().Operand(), report)
	}
}

// sizes bounds lists and strings for cost estimation from the schema.
type sizes struct {
	schema *Schema
	consts map[string][]string
}

func (s sizes) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	p := n.Path()
	if len(p) == 0 {
		return nil
	}
	name := p[0]
	if leaf, ok := s.schema.byPath[strings.TrimPrefix(name, factsPrefix)]; ok && strings.HasPrefix(name, factsPrefix) {
		switch {
		case len(p) == 1 && leaf.Kind == StringList:
			return &cost.SizeEstimate{Min: 0, Max: uint64(leaf.MaxItems)}
		case len(p) == 1 && leaf.Kind == String, len(p) == 2 && leaf.Kind == StringList:
			return &cost.SizeEstimate{Min: 0, Max: uint64(leaf.MaxLength)}
		}
	}
	if c, ok := s.consts[strings.TrimPrefix(name, constsPrefix)]; ok && strings.HasPrefix(name, constsPrefix) {
		if len(p) == 1 {
			return &cost.SizeEstimate{Min: uint64(len(c)), Max: uint64(len(c))}
		}
		m := 0
		for _, x := range c {
			m = max(m, len(x))
		}
		return &cost.SizeEstimate{Min: 0, Max: uint64(m)}
	}
	return nil
}

func (s sizes) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	return nil
}

// clone copies the compiled framework, its lists of rules and derived
// expressions included, with a pool of its own (prepare it before use).
func (c *compiled) clone() *compiled {
	return &compiled{
		slots:     c.slots,
		consts:    c.consts,
		constVals: c.constVals,
		derived:   append([]*expr(nil), c.derived...),
		rules:     append([]*compiledRule(nil), c.rules...),
		celOnly:   c.celOnly,
		env:       c.env,
		schema:    c.schema,
	}
}
