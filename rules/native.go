package rules

import (
	"math/bits"
	"slices"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// The native evaluator runs the common subset of CEL that rules use (logic,
// comparison, membership, size, exists and all over lists) as Go closures,
// with the same three-valued semantics as cel-go's unknowns: a false
// conjunct or true disjunct decides, anything else touching an unknown is
// unknown, and unknowns carry the union of the facts they came from.
// Parsing, type-checking and cost estimation stay with cel-go; an
// expression outside the subset is evaluated by cel-go itself. A test
// checks both evaluators agree on every expression of every framework.

// unknowns is a set of leaf ids.
type unknowns [2]uint64

func bit(id int64) unknowns {
	var u unknowns
	u[id/64] |= 1 << (id % 64)
	return u
}

func (u unknowns) any() bool { return u[0]|u[1] != 0 }

func (u unknowns) or(v unknowns) unknowns { return unknowns{u[0] | v[0], u[1] | v[1]} }

// ids lists the set's leaf ids in order.
func (u unknowns) ids() []int64 {
	var out []int64
	for w, word := range u {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			out = append(out, int64(w*64+b))
			word &^= 1 << b
		}
	}
	return out
}

// val is a value in the native evaluator: unknown when unk is not empty.
type val struct {
	unk unknowns
	b   bool
	i   int64
	s   string
	l   []string
}

var vTrue, vFalse = val{b: true}, val{}

// nenv is the state of one native evaluation.
type nenv struct {
	f       *Facts
	consts  [][]string
	derived []val
	iter    []string // comprehension variables, innermost last
}

type nfn func(e *nenv) val

// factVal converts a leaf's value for the native evaluator.
func factVal(l *Leaf, v ref.Val) val {
	if types.IsUnknown(v) {
		return val{unk: bit(l.id)}
	}
	switch l.Kind {
	case Bool:
		return val{b: bool(v.(types.Bool))}
	case Int:
		return val{i: int64(v.(types.Int))}
	case String:
		return val{s: string(v.(types.String))}
	}
	items := v.(interface{ Value() any }).Value().([]string)
	return val{l: items}
}

// toRef converts a native value for cel-go, for derived values that a
// cel-go program reads.
func toRef(v val) ref.Val {
	if v.unk.any() {
		var u *types.Unknown
		for _, id := range v.unk.ids() {
			u = types.MergeUnknowns(u, types.NewUnknown(id, nil))
		}
		return u
	}
	return types.Bool(v.b)
}

// fromRef converts a cel-go value of a derived expression.
func fromRef(v ref.Val) (val, bool) {
	switch x := v.(type) {
	case types.Bool:
		return val{b: bool(x)}, true
	case types.Int:
		return val{i: int64(x)}, true
	case types.String:
		return val{s: string(x)}, true
	case *types.Unknown:
		var u unknowns
		for _, id := range x.IDs() {
			if id < 1 || id >= 128 {
				return val{}, false
			}
			u = u.or(bit(id))
		}
		return val{unk: u}, true
	}
	return val{}, false
}

// nativeCompiler turns a checked AST into closures, or reports that it
// cannot.
type nativeCompiler struct {
	a      *ast.AST
	schema *Schema
	slots  map[string]slot
	consts [][]string
	iters  []string
}

// constString returns the value of a string literal.
func (c *nativeCompiler) constString(e ast.Expr) (string, bool) {
	if e.Kind() == ast.LiteralKind {
		if s, ok := e.AsLiteral().(types.String); ok {
			return string(s), true
		}
	}
	return "", false
}

// constList returns the items of a list literal of strings or of a named
// constant list.
func (c *nativeCompiler) constList(e ast.Expr) ([]string, bool) {
	if r, ok := c.a.ReferenceMap()[e.ID()]; ok && e.Kind() == ast.IdentKind || ok && e.Kind() == ast.SelectKind {
		if s, ok := c.slots[r.Name]; ok && s.kind == constSlot {
			return c.consts[s.idx], true
		}
		return nil, false
	}
	if e.Kind() != ast.ListKind {
		return nil, false
	}
	var out []string
	for _, el := range e.AsList().Elements() {
		s, ok := c.constString(el)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// operands returns a call's operands, the receiver first.
func operands(e ast.Expr) []ast.Expr {
	call := e.AsCall()
	if call.IsMemberFunction() {
		return append([]ast.Expr{call.Target()}, call.Args()...)
	}
	return call.Args()
}

func (c *nativeCompiler) compile(e ast.Expr) (nfn, bool) {
	if e.Kind() == ast.IdentKind {
		name := e.AsIdent()
		for i := len(c.iters) - 1; i >= 0; i-- {
			if c.iters[i] == name {
				return func(en *nenv) val { return val{s: en.iter[i]} }, true
			}
		}
	}
	if r, ok := c.a.ReferenceMap()[e.ID()]; ok && r.Name != "" && r.Value == nil {
		return c.variable(r.Name)
	}
	switch e.Kind() {
	case ast.IdentKind:
		return c.variable(e.AsIdent())
	case ast.LiteralKind:
		switch v := e.AsLiteral().(type) {
		case types.Bool:
			r := val{b: bool(v)}
			return func(*nenv) val { return r }, true
		case types.Int:
			r := val{i: int64(v)}
			return func(*nenv) val { return r }, true
		case types.String:
			r := val{s: string(v)}
			return func(*nenv) val { return r }, true
		}
	case ast.ListKind:
		var items []string
		for _, el := range e.AsList().Elements() {
			if el.Kind() != ast.LiteralKind {
				return nil, false
			}
			s, ok := el.AsLiteral().(types.String)
			if !ok {
				return nil, false
			}
			items = append(items, string(s))
		}
		r := val{l: items}
		return func(*nenv) val { return r }, true
	case ast.CallKind:
		return c.call(e)
	case ast.ComprehensionKind:
		return c.comprehension(e)
	}
	return nil, false
}

func (c *nativeCompiler) variable(name string) (nfn, bool) {
	s, ok := c.slots[name]
	if !ok {
		return nil, false
	}
	idx := s.idx
	switch s.kind {
	case factSlot:
		return func(en *nenv) val { return en.f.nvals[idx-1] }, true
	case constSlot:
		return func(en *nenv) val { return val{l: en.consts[idx]} }, true
	case derivedSlot:
		return func(en *nenv) val { return en.derived[idx] }, true
	}
	return nil, false
}

func (c *nativeCompiler) args(e ast.Expr) ([]nfn, bool) {
	call := e.AsCall()
	var in []ast.Expr
	if call.IsMemberFunction() {
		in = append(in, call.Target())
	}
	in = append(in, call.Args()...)
	out := make([]nfn, len(in))
	for i, a := range in {
		f, ok := c.compile(a)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

func (c *nativeCompiler) call(e ast.Expr) (nfn, bool) {
	args, ok := c.args(e)
	if !ok {
		return nil, false
	}
	typ := func(i int) *types.Type {
		call := e.AsCall()
		in := call.Args()
		if call.IsMemberFunction() {
			in = append([]ast.Expr{call.Target()}, in...)
		}
		return c.a.GetType(in[i].ID())
	}
	switch fn := e.AsCall().FunctionName(); fn {
	case "_&&_":
		x, y := args[0], args[1]
		return func(en *nenv) val {
			a := x(en)
			if !a.unk.any() && !a.b {
				return vFalse
			}
			b := y(en)
			if !b.unk.any() && !b.b {
				return vFalse
			}
			if u := a.unk.or(b.unk); u.any() {
				return val{unk: u}
			}
			return vTrue
		}, true
	case "_||_":
		x, y := args[0], args[1]
		return func(en *nenv) val {
			a := x(en)
			if !a.unk.any() && a.b {
				return vTrue
			}
			b := y(en)
			if !b.unk.any() && b.b {
				return vTrue
			}
			if u := a.unk.or(b.unk); u.any() {
				return val{unk: u}
			}
			return vFalse
		}, true
	case "!_":
		x := args[0]
		return func(en *nenv) val {
			a := x(en)
			if a.unk.any() {
				return a
			}
			return val{b: !a.b}
		}, true
	case "_==_", "_!=_":
		ops := operands(e)
		ne := fn == "_!=_"
		for i := 0; i < 2; i++ {
			if lit, ok := c.constString(ops[1-i]); ok && typ(i).Kind() == types.StringKind {
				x := args[i]
				return func(en *nenv) val {
					a := x(en)
					if a.unk.any() {
						return a
					}
					return val{b: (a.s == lit) != ne}
				}, true
			}
		}
		var eq func(a, b val) bool
		switch k := typ(0).Kind(); {
		case k == types.StringKind && typ(1).Kind() == types.StringKind:
			eq = func(a, b val) bool { return a.s == b.s }
		case k == types.BoolKind && typ(1).Kind() == types.BoolKind:
			eq = func(a, b val) bool { return a.b == b.b }
		case k == types.IntKind && typ(1).Kind() == types.IntKind:
			eq = func(a, b val) bool { return a.i == b.i }
		default:
			return nil, false
		}
		return binary(args, func(a, b val) val { return val{b: eq(a, b) != ne} }), true
	case "@in":
		if typ(0).Kind() != types.StringKind || typ(1).Kind() != types.ListKind {
			return nil, false
		}
		ops := operands(e)
		if list, ok := c.constList(ops[1]); ok {
			set := make(map[string]bool, len(list))
			for _, s := range list {
				set[s] = true
			}
			x := args[0]
			return func(en *nenv) val {
				a := x(en)
				if a.unk.any() {
					return a
				}
				return val{b: set[a.s]}
			}, true
		}
		if lit, ok := c.constString(ops[0]); ok {
			y := args[1]
			return func(en *nenv) val {
				b := y(en)
				if b.unk.any() {
					return b
				}
				return val{b: slices.Contains(b.l, lit)}
			}, true
		}
		return binary(args, func(a, b val) val { return val{b: slices.Contains(b.l, a.s)} }), true
	case "size":
		if len(args) != 1 || typ(0).Kind() != types.ListKind {
			return nil, false
		}
		x := args[0]
		return func(en *nenv) val {
			a := x(en)
			if a.unk.any() {
				return a
			}
			return val{i: int64(len(a.l))}
		}, true
	case "_<_", "_<=_", "_>_", "_>=_":
		if typ(0).Kind() != types.IntKind || typ(1).Kind() != types.IntKind {
			return nil, false
		}
		cmp := map[string]func(x, y int64) bool{
			"_<_": func(x, y int64) bool { return x < y }, "_<=_": func(x, y int64) bool { return x <= y },
			"_>_": func(x, y int64) bool { return x > y }, "_>=_": func(x, y int64) bool { return x >= y },
		}[fn]
		return binary(args, func(a, b val) val { return val{b: cmp(a.i, b.i)} }), true
	}
	return nil, false
}

// binary evaluates both operands and applies op unless either is unknown,
// in which case the result is unknown with both sets of facts.
func binary(args []nfn, op func(a, b val) val) nfn {
	x, y := args[0], args[1]
	return func(en *nenv) val {
		a, b := x(en), y(en)
		if u := a.unk.or(b.unk); u.any() {
			return val{unk: u}
		}
		return op(a, b)
	}
}

// comprehension compiles the exists and all macros over a list of strings.
func (c *nativeCompiler) comprehension(e ast.Expr) (nfn, bool) {
	comp := e.AsComprehension()
	if comp.HasIterVar2() || comp.AccuInit().Kind() != ast.LiteralKind || comp.LoopStep().Kind() != ast.CallKind {
		return nil, false
	}
	init, ok := comp.AccuInit().AsLiteral().(types.Bool)
	if !ok || comp.Result().Kind() != ast.IdentKind || comp.Result().AsIdent() != comp.AccuVar() {
		return nil, false
	}
	step := comp.LoopStep().AsCall()
	want := "_||_" // exists: accumulate with or, from false
	if init {
		want = "_&&_" // all: accumulate with and, from true
	}
	if step.FunctionName() != want || len(step.Args()) != 2 || step.Args()[0].Kind() != ast.IdentKind || step.Args()[0].AsIdent() != comp.AccuVar() {
		return nil, false
	}
	if c.a.GetType(comp.IterRange().ID()).Kind() != types.ListKind {
		return nil, false
	}
	rng, ok := c.compile(comp.IterRange())
	if !ok {
		return nil, false
	}
	c.iters = append(c.iters, comp.IterVar())
	depth := len(c.iters) - 1
	pred, ok := c.compile(step.Args()[1])
	c.iters = c.iters[:depth]
	if !ok {
		return nil, false
	}
	decide := !bool(init) // the value of pred that settles the result
	return func(en *nenv) val {
		r := rng(en)
		if r.unk.any() {
			return r
		}
		var u unknowns
		en.iter = append(en.iter[:depth], "")
		for _, item := range r.l {
			en.iter[depth] = item
			p := pred(en)
			if p.unk.any() {
				u = u.or(p.unk)
				continue
			}
			if p.b == decide {
				en.iter = en.iter[:depth]
				return val{b: decide}
			}
		}
		en.iter = en.iter[:depth]
		if u.any() {
			return val{unk: u}
		}
		return val{b: bool(init)}
	}, true
}
