package registry

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// ParseRecord decodes a revision from the bytes the log holds for it.
//
// Records this program writes all have Record's shape: the fields in
// order, strings without escapes. Those are read field by field, and the
// state is only checked to be valid JSON, not decoded; reading a large log
// this way is several times faster. Any other record is decoded in full.
// Either way the result is what json.Unmarshal gives.
func ParseRecord(rec []byte) (*Revision, error) {
	if r, ok := parseCanonical(rec); ok {
		return r, nil
	}
	var r Revision
	if err := json.Unmarshal(rec, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func parseCanonical(rec []byte) (*Revision, bool) {
	p := recordParser{b: rec}
	var r Revision
	var t string
	var redacts int64
	ok := (!p.peek(`{"format":2,`) || p.lit(`{"format":2,`) && set(&r.Format, 2)) &&
		(r.Format == 0 && p.lit(`{"seq":`) || r.Format != 0 && p.lit(`"seq":`)) && p.int(&r.Seq) &&
		p.lit(`,"kind":`) && p.str(&r.Kind) &&
		p.lit(`,"id":`) && p.str(&r.ID) &&
		p.lit(`,"op":`) && p.str(&r.Op) &&
		p.lit(`,"author":`) && p.str(&r.Author) &&
		(!p.peek(`,"reason":`) || p.lit(`,"reason":`) && p.str(&r.Reason)) &&
		(!p.peek(`,"into":`) || p.lit(`,"into":`) && p.str(&r.Into)) &&
		(!p.peek(`,"redacts":`) || p.lit(`,"redacts":`) && p.int(&redacts) && set(&r.Redacts, &redacts)) &&
		(!p.peek(`,"contributor":`) || p.lit(`,"contributor":`) && p.str(&r.Contributor)) &&
		p.lit(`,"time":`) && p.str(&t) &&
		(!p.peek(`,"commitment":`) || p.lit(`,"commitment":`) && p.str(&r.Commitment))
	if !ok {
		return nil, false
	}
	// time.Time's own decoder, stricter than time.Parse, as Unmarshal uses.
	if r.Time.UnmarshalText([]byte(t)) != nil {
		return nil, false
	}
	switch {
	case p.lit(`}`):
	case p.lit(`,"state":`) && len(p.b) > 1 && p.b[len(p.b)-1] == '}' && isValue(p.b[:len(p.b)-1]):
		r.State = json.RawMessage(p.b[:len(p.b)-1])
		p.b = nil
	default:
		return nil, false
	}
	return &r, len(p.b) == 0
}

func set[T any](p *T, v T) bool { *p = v; return true }

// A recordParser reads a record from the front.
type recordParser struct{ b []byte }

func (p *recordParser) peek(s string) bool { return bytes.HasPrefix(p.b, []byte(s)) }

func (p *recordParser) lit(s string) bool {
	if !p.peek(s) {
		return false
	}
	p.b = p.b[len(s):]
	return true
}

// int reads a non-negative integer without a leading zero.
func (p *recordParser) int(v *int64) bool {
	n := 0
	for n < len(p.b) && p.b[n] >= '0' && p.b[n] <= '9' {
		n++
	}
	if n == 0 || n > 1 && p.b[0] == '0' {
		return false
	}
	x, err := strconv.ParseInt(string(p.b[:n]), 10, 64)
	if err != nil {
		return false
	}
	*v, p.b = x, p.b[n:]
	return true
}

// str reads a string of printable ASCII without escapes; anything else is
// left to the full decoder.
func (p *recordParser) str(v *string) bool {
	if len(p.b) == 0 || p.b[0] != '"' {
		return false
	}
	for i := 1; i < len(p.b); i++ {
		switch c := p.b[i]; {
		case c == '"':
			*v, p.b = string(p.b[1:i]), p.b[i+1:]
			return true
		case c < 0x20 || c >= 0x80 || c == '\\':
			return false
		}
	}
	return false
}
