package registry

// isValue reports whether b is one JSON value without surrounding space,
// which Unmarshal would drop from a RawMessage: what
//
//	len(b) > 0 && len(bytes.TrimSpace(b)) == len(b) && json.Valid(b)
//
// reports, for every b (FuzzIsValue compares them). Verify checks the
// state of every revision of the log this way, and json.Valid's scanner,
// a call through a function value a byte, was a sixth of `verify --log`'s
// CPU at 1M revisions (docs/performance.md, "The log alone in 10 s").
func isValue(b []byte) bool {
	v := validator{b: b}
	return v.value(0) && v.i == len(b)
}

// maxDepth is how deeply arrays and objects may nest, as json.Valid
// allows.
const maxDepth = 10000

// A validator reads JSON from b[i:].
type validator struct {
	b []byte
	i int
}

// space skips JSON's white space.
func (v *validator) space() {
	for v.i < len(v.b) {
		switch v.b[v.i] {
		case ' ', '\t', '\n', '\r':
			v.i++
		default:
			return
		}
	}
}

// value reads one value at b[i:], with no space before it, inside depth
// arrays and objects.
func (v *validator) value(depth int) bool {
	if v.i >= len(v.b) {
		return false
	}
	switch c := v.b[v.i]; {
	case c == '"':
		return v.str()
	case c == '{':
		return v.object(depth + 1)
	case c == '[':
		return v.array(depth + 1)
	case c == 't':
		return v.lit("true")
	case c == 'f':
		return v.lit("false")
	case c == 'n':
		return v.lit("null")
	case c == '-' || '0' <= c && c <= '9':
		return v.number()
	}
	return false
}

func (v *validator) lit(s string) bool {
	if len(v.b)-v.i < len(s) || string(v.b[v.i:v.i+len(s)]) != s {
		return false
	}
	v.i += len(s)
	return true
}

// str reads a string. Like json.Valid it takes any byte from 0x20 up,
// UTF-8 or not, and only the escapes JSON defines.
func (v *validator) str() bool {
	v.i++ // the opening quote
	for v.i < len(v.b) {
		c := v.b[v.i]
		v.i++
		switch {
		case c == '"':
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if v.i >= len(v.b) {
				return false
			}
			e := v.b[v.i]
			v.i++
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(v.b)-v.i < 4 {
					return false
				}
				for _, h := range v.b[v.i : v.i+4] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return false
					}
				}
				v.i += 4
			default:
				return false
			}
		}
	}
	return false
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (v *validator) number() bool {
	if v.b[v.i] == '-' {
		v.i++
	}
	switch {
	case v.i < len(v.b) && v.b[v.i] == '0':
		v.i++
	case v.digits() == 0:
		return false
	}
	if v.i < len(v.b) && v.b[v.i] == '.' {
		v.i++
		if v.digits() == 0 {
			return false
		}
	}
	if v.i < len(v.b) && (v.b[v.i] == 'e' || v.b[v.i] == 'E') {
		v.i++
		if v.i < len(v.b) && (v.b[v.i] == '+' || v.b[v.i] == '-') {
			v.i++
		}
		if v.digits() == 0 {
			return false
		}
	}
	return true
}

// digits reads a run of decimal digits and returns its length.
func (v *validator) digits() int {
	start := v.i
	for v.i < len(v.b) && '0' <= v.b[v.i] && v.b[v.i] <= '9' {
		v.i++
	}
	return v.i - start
}

// object reads {…}, the brace at b[i], at depth.
func (v *validator) object(depth int) bool {
	return depth <= maxDepth && v.items('}', func() bool {
		if v.i >= len(v.b) || v.b[v.i] != '"' || !v.str() {
			return false
		}
		v.space()
		if v.i >= len(v.b) || v.b[v.i] != ':' {
			return false
		}
		v.i++
		v.space()
		return v.value(depth)
	})
}

// array reads […], the bracket at b[i], at depth.
func (v *validator) array(depth int) bool {
	return depth <= maxDepth && v.items(']', func() bool { return v.value(depth) })
}

// items reads the items of an array or object from its opening bracket at
// b[i] to end, each by item, with commas between them.
func (v *validator) items(end byte, item func() bool) bool {
	v.i++
	v.space()
	if v.i < len(v.b) && v.b[v.i] == end {
		v.i++
		return true
	}
	for {
		if !item() {
			return false
		}
		v.space()
		if v.i >= len(v.b) {
			return false
		}
		switch v.b[v.i] {
		case ',':
			v.i++
			v.space()
		case end:
			v.i++
			return true
		default:
			return false
		}
	}
}
