package yamldoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file reads JSON documents that encoding/json decodes silently but
// not faithfully: it keeps the last of two equal keys, replaces invalid
// UTF-8 and lone surrogates with U+FFFD, and nests as deep as 10,000. The
// register must refuse those inputs rather than log something the file
// did not say.

// CheckJSON checks a JSON document that encoding/json accepts: no object
// has the same key twice, every string is valid UTF-8 without lone
// surrogate escapes, and nothing nests deeper than maxDepth. The error is
// an *Error naming the line, column and path of the first problem.
func CheckJSON(data []byte, maxDepth int) error {
	s := scanner{data: data, max: maxDepth, line: 1}
	if s.value() {
		s.space()
		if s.i < len(s.data) {
			s.fail("extra data after the JSON value")
		}
	}
	if s.err != nil {
		return s.err
	}
	return nil
}

// Paths maps the path of each value of a JSON document
// ("deployments[3].vendors[0].role") that keep accepts, or of every value
// when keep is nil, to the line it starts on, in one pass. It reads as far
// as the document is well formed.
func Paths(data []byte, keep func(path string) bool) map[string]int {
	out := map[string]int{}
	s := scanner{data: data, max: 1 << 30, line: 1, visit: func(s *scanner) {
		if p := s.path(); keep == nil || keep(p) {
			out[p] = s.line
		}
	}}
	s.value()
	return out
}

// CheckKeys reports, as an *Error at its line and path, the first object
// key of a JSON document that ok refuses, or nil. ok is given the keys of
// the objects around the key, outermost first, without list indexes:
// ["deployments", "vendors"] for the role of deployments[3].vendors[0].
func CheckKeys(data []byte, ok func(outer []string, key string) bool) error {
	s := scanner{data: data, max: MaxDepth, line: 1}
	var outer []string
	s.visit = func(s *scanner) {
		if s.err == nil {
			checkKey(s, &outer, ok)
		}
	}
	s.value()
	if s.err != nil && s.err.Msg == "unknown field" {
		return s.err
	}
	return nil
}

// CheckValue does in one pass what CheckJSON, CheckKeys and Tally do to
// one JSON value: it checks its keys, strings and nesting (to maxDepth)
// and each key with ok, and counts it as Tally(data, maxItems, below)
// does. The error is the first problem in the value, as an *Error.
func CheckValue(data []byte, maxDepth int, ok func(outer []string, key string) bool, maxItems, below int) (Census, error) {
	var c Census
	var outer []string
	s := scanner{data: data, max: maxDepth, line: 1}
	s.visit = func(s *scanner) {
		c.count(s, maxItems, below)
		checkKey(s, &outer, ok)
	}
	if s.value() {
		s.space()
		if s.i < len(s.data) {
			s.fail("extra data after the JSON value")
		}
	}
	if s.err != nil {
		return c, s.err
	}
	return c, nil
}

// A Census is what Tally counts in a JSON document: how much decoding it
// would allocate, and whether a list is too long to decode at all.
type Census struct {
	Objects, Others []int  // objects, and other values (arrays, strings, numbers, literals), by depth from the root at 0
	TooLong         bool   // an array has more items than Tally was given
	Long            string // the path of the first such array ("" for the root)
}

// Tally counts a JSON document's values as far as it is well formed, in a
// cheap pass, and finds the first array deeper than below (the root is at
// 0) with more than maxItems items.
func Tally(data []byte, maxItems, below int) Census {
	var c Census
	s := scanner{data: data, max: MaxDepth, line: 1}
	s.visit = func(s *scanner) { c.count(s, maxItems, below) }
	s.value()
	return c
}

// count counts the value at s, as Tally does.
func (c *Census) count(s *scanner, maxItems, below int) {
	d := len(s.stack)
	for len(c.Objects) <= d {
		c.Objects, c.Others = append(c.Objects, 0), append(c.Others, 0)
	}
	if s.data[s.i] == '{' {
		c.Objects[d]++
	} else {
		c.Others[d]++
	}
	if d-1 > below && s.stack[d-1].index >= maxItems && !c.TooLong {
		c.TooLong, c.Long = true, pathOf(s.stack[:d-1])
	}
}

// A scanner reads one JSON value by recursive descent, tracking the line
// and the path of the value it is in.
type scanner struct {
	data  []byte
	i     int
	line  int
	depth int
	max   int
	stack []segment      // path of the current value
	visit func(*scanner) // called at the start of every value, if set
	err   *Error
}

// A segment is one step of a path: an array index or an object key.
type segment struct {
	index int // -1 for an object key
	key   string
}

func (s *scanner) path() string { return pathOf(s.stack) }

// pathOf formats a path as deployments[3].vendors[0].role.
func pathOf(stack []segment) string {
	var b strings.Builder
	for i, seg := range stack {
		switch {
		case seg.index >= 0:
			b.WriteString("[" + strconv.Itoa(seg.index) + "]")
		case i > 0:
			b.WriteString("." + seg.key)
		default:
			b.WriteString(seg.key)
		}
	}
	return b.String()
}

func (s *scanner) fail(format string, args ...any) {
	if s.err != nil {
		return
	}
	col := s.i - bytes.LastIndexByte(s.data[:min(s.i, len(s.data))], '\n')
	s.err = &Error{Line: s.line, Column: col, Path: s.path(), Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		s.i++
	}
}

// value reads one value; it reports false once an error is recorded.
func (s *scanner) value() bool {
	s.space()
	if s.i >= len(s.data) {
		s.fail("unexpected end of JSON")
		return false
	}
	if s.visit != nil {
		if s.visit(s); s.err != nil {
			return false
		}
	}
	switch s.data[s.i] {
	case '{', '[':
		return s.collection()
	case '"':
		_, ok := s.str(false)
		return ok
	}
	start := s.i
	for s.i < len(s.data) && strings.IndexByte("-+.0123456789eEtruefalsn", s.data[s.i]) >= 0 {
		s.i++
	}
	if s.i == start {
		s.fail("unexpected %q", s.data[s.i])
		return false
	}
	return true
}

// collection reads an object or an array.
func (s *scanner) collection() bool {
	open := s.data[s.i]
	if s.depth++; s.depth > s.max {
		s.fail("nested more than %d deep", s.max)
		return false
	}
	s.i++
	var keys keySet
	for n := 0; ; n++ {
		s.space()
		if s.i < len(s.data) && s.data[s.i] == open+2 { // '}' is '{'+2, ']' is '['+2
			s.i++
			s.depth--
			return true
		}
		if n > 0 {
			if s.i >= len(s.data) || s.data[s.i] != ',' {
				s.fail("expected , or %c", open+2)
				return false
			}
			s.i++
			s.space()
		}
		seg := segment{index: n}
		if open == '{' {
			if s.i >= len(s.data) || s.data[s.i] != '"' {
				s.fail("expected an object key")
				return false
			}
			key, ok := s.str(true)
			if !ok {
				return false
			}
			if !keys.add(key) {
				s.stack = append(s.stack, segment{index: -1, key: key})
				s.fail("key %q appears twice in the same object", key)
				return false
			}
			s.space()
			if s.i >= len(s.data) || s.data[s.i] != ':' {
				s.fail("expected :")
				return false
			}
			s.i++
			seg = segment{index: -1, key: key}
		}
		s.stack = append(s.stack, seg)
		if !s.value() {
			return false
		}
		s.stack = s.stack[:len(s.stack)-1]
	}
}

// str reads a string, checking that it is valid UTF-8 and that its \u
// escapes pair their surrogates, and returns its value when asked (a key).
func (s *scanner) str(value bool) (string, bool) {
	start := s.i
	s.i++
	escaped := false
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '"':
			s.i++
			raw := s.data[start:s.i]
			switch {
			case !value:
				return "", true
			case !escaped:
				return string(raw[1 : len(raw)-1]), true
			}
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				s.fail("%v", err)
				return "", false
			}
			return v, true
		case c == '\\':
			escaped = true
			if s.i+1 < len(s.data) && s.data[s.i+1] == 'u' && !s.surrogates() {
				return "", false
			}
			s.i += 2
		case c < utf8.RuneSelf:
			s.i++
		default:
			r, n := utf8.DecodeRune(s.data[s.i:])
			if r == utf8.RuneError && n == 1 {
				s.fail("invalid UTF-8 (byte 0x%02x)", c)
				return "", false
			}
			s.i += n
		}
	}
	s.fail("unterminated string")
	return "", false
}

// surrogates checks a \u escape at s.i: a high surrogate must be followed
// by a low one, and a low one must not stand alone. encoding/json would
// read either as U+FFFD.
func (s *scanner) surrogates() bool {
	r := hex4(s.data[s.i+2:])
	switch {
	case r < 0 || !utf16.IsSurrogate(rune(r)):
		return true
	case r < 0xdc00 && len(s.data) >= s.i+12 && s.data[s.i+6] == '\\' && s.data[s.i+7] == 'u':
		if lo := hex4(s.data[s.i+8:]); lo >= 0xdc00 && lo <= 0xdfff {
			s.i += 6 // the pair is read as one
			return true
		}
	}
	s.fail("\\u%04x is half of a UTF-16 surrogate pair: not a character", r)
	return false
}

// hex4 reads four hex digits, or returns -1.
func hex4(b []byte) int {
	if len(b) < 4 {
		return -1
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 32)
	if err != nil {
		return -1
	}
	return int(n)
}

// A keySet finds a key given twice in one mapping. Most objects have a few
// keys, kept in a slice; large ones (an export's tiers by deployment id)
// move to a map.
type keySet struct {
	few  []string
	many map[string]bool
}

// add records a key and reports false when it was there already.
func (k *keySet) add(key string) bool {
	if k.many != nil {
		if k.many[key] {
			return false
		}
		k.many[key] = true
		return true
	}
	for _, x := range k.few {
		if x == key {
			return false
		}
	}
	k.few = append(k.few, key)
	if len(k.few) > 16 {
		k.many = make(map[string]bool, 2*len(k.few))
		for _, x := range k.few {
			k.many[x] = true
		}
		k.few = nil
	}
	return true
}

// checkKey asks ok about the key the scanner has just read, if it stands
// at a key: ok is given the keys of the objects around it (outer, reused
// between calls) and the key, and a false answer fails the scan with
// "unknown field".
func checkKey(s *scanner, outer *[]string, ok func(outer []string, key string) bool) {
	n := len(s.stack)
	if n == 0 || s.stack[n-1].index >= 0 {
		return
	}
	*outer = (*outer)[:0]
	for _, seg := range s.stack[:n-1] {
		if seg.index < 0 {
			*outer = append(*outer, seg.key)
		}
	}
	if !ok(*outer, s.stack[n-1].key) {
		s.fail("unknown field")
	}
}
