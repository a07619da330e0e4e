package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"oversight/internal/yamldoc"
	"oversight/registry"
)

// jsonRecords reads a register document, {"deployments": [...], ...}, one
// record at a time, with a token-level decoder: memory holds one record,
// however long the lists. Each record is refused for what decodeSet
// refuses in a whole file (see checkJSON and decodeCost), and besides for
// being larger than registry.MaxRecordBytes.
//
// The document's "classification", which import ignores, is skipped
// (skip): only checked to be well formed and within registry.MaxDepth;
// checking its keys for repeats would take memory for each deployment it
// lists, and its strings are not kept.
type jsonRecords struct {
	name string
	in   *meter
	dec  *json.Decoder
	keys map[string]bool // the document's keys read so far
	list string          // the list being read: "deployments"; "" between lists
	kind string          // the kind of its records
	n    int             // records read from it
	// state is where the reader is: before the document, inside it, or
	// done, at its end or at an error that ends it.
	state int
	ahead []byte // scratch for skip (buffered), aheadBytes long once used
}

const (
	jsonStart = iota
	jsonIn
	jsonDone
)

// lists are the lists of records a register document may hold, by name.
var lists = map[string]string{
	"jurisdictions": "jurisdiction", "vendors": "vendor", "instruments": "instrument",
	"deployments": "deployment", "claims": "claim", "replies": "reply", "facts": "facts",
}

func newJSONRecords(name string, r io.Reader) (*jsonRecords, error) {
	in, err := newMeter(name, r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(in)
	dec.UseNumber() // numbers of the classification are skipped, not converted
	return &jsonRecords{name: name, in: in, dec: dec, keys: map[string]bool{}}, nil
}

// next returns the next record, or io.EOF after the last. An error in a
// record leaves the reader at the next one; after one in the document,
// next returns io.EOF.
func (r *jsonRecords) next() (registry.Entity, error) {
	path, raw, err := r.nextRaw()
	if err != nil {
		return nil, err
	}
	return r.decode(path, raw)
}

// nextRaw returns the JSON of the next record and its path
// ("deployments[3]"), or io.EOF after the last. After an error in the
// document (not in a record), it returns io.EOF.
func (r *jsonRecords) nextRaw() (path string, raw []byte, err error) {
	if r.state == jsonDone {
		return "", nil, io.EOF
	}
	path, raw, err = r.read()
	if err != nil {
		r.state = jsonDone
	}
	return path, raw, err
}

func (r *jsonRecords) read() (string, []byte, error) {
	if r.state == jsonStart {
		r.state = jsonIn
		tok, err := r.token()
		switch {
		case err != nil:
			return "", nil, err
		case tok == nil: // null: no records
			return "", nil, r.end()
		case tok != json.Delim('{'):
			return "", nil, r.fail("", "the file holds %s, not an object with lists named jurisdictions, vendors, instruments, deployments, claims or replies", describe(tok))
		}
	}
	for {
		if r.list != "" {
			if r.dec.More() {
				path := fmt.Sprintf("%s[%d]", r.list, r.n)
				r.n++
				raw, err := r.value(path)
				return path, raw, err
			}
			if _, err := r.token(); err != nil { // the list's ]
				return "", nil, err
			}
			r.list = ""
			continue
		}
		tok, err := r.token()
		if err != nil {
			return "", nil, err
		}
		if tok == json.Delim('}') {
			return "", nil, r.end()
		}
		key, _ := tok.(string)
		if r.keys[key] {
			return "", nil, r.fail(key, "key %q appears twice in the same object", registry.Clip(key))
		}
		r.keys[key] = true
		kind, isList := lists[key]
		switch {
		case key == "classification":
			if err := r.skip(); err != nil {
				return "", nil, err
			}
		case !isList:
			return "", nil, r.fail(registry.Clip(key), "unknown field")
		default:
			tok, err := r.token()
			switch {
			case err != nil:
				return "", nil, err
			case tok == nil:
				continue // a list given as null is empty, as json.Unmarshal reads it
			case tok != json.Delim('['):
				return "", nil, r.fail(key, "expected a list of %s records, found %s", kind, describe(tok))
			}
			r.list, r.kind, r.n = key, kind, 0
		}
	}
}

// decode decodes the record just read, of the list being read, checking
// it first as decodeSet checks a document.
func (r *jsonRecords) decode(path string, raw []byte) (registry.Entity, error) {
	if bytes.Equal(raw, []byte("null")) {
		return nil, r.failIn(raw, 1, path, "is null, or empty: a record needs its fields")
	}
	e := registry.New(r.kind)
	census, err := yamldoc.CheckValue(raw, registry.MaxDepth-2, fieldsOf(e), maxItems, 0)
	if err != nil {
		var ye *yamldoc.Error
		if errors.As(err, &ye) {
			return nil, r.failIn(raw, ye.Line, join(path, ye.Path), "%s", ye.Msg)
		}
		return nil, r.failIn(raw, 1, path, "%v", err)
	}
	cost, err := censusCost(census, 0)
	if err == nil && cost > registry.MaxRecordDecodeBytes {
		err = fmt.Errorf("decoding the record would take more than %d MiB of memory", registry.MaxRecordDecodeBytes>>20)
	}
	if err != nil {
		return nil, r.failIn(raw, 1, path, "%v", err)
	}
	if err := json.Unmarshal(raw, e); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, r.failIn(raw, lineAt(raw, te.Offset), join(path, te.Field), "expected %s, found a %s", te.Type, te.Value)
		}
		return nil, r.failIn(raw, 1, path, "%v", err)
	}
	return e, nil
}

// value reads the next value whole, refusing one of more than
// registry.MaxRecordBytes.
func (r *jsonRecords) value(path string) (json.RawMessage, error) {
	r.in.bound(r.dec.InputOffset(), registry.MaxRecordBytes)
	defer r.in.bound(0, -1)
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		return nil, r.decodeError(path, err, true)
	}
	if len(raw) > registry.MaxRecordBytes {
		return nil, r.fail(path, "%s", r.in.tooLong())
	}
	return raw, nil
}

// token reads the next token, each within registry.MaxRecordBytes.
func (r *jsonRecords) token() (json.Token, error) {
	r.in.bound(r.dec.InputOffset(), registry.MaxRecordBytes)
	defer r.in.bound(0, -1)
	tok, err := r.dec.Token()
	if err == io.EOF {
		return nil, r.fail(r.list, "unexpected end of JSON")
	}
	if err != nil {
		return nil, r.decodeError(r.list, err, false)
	}
	return tok, nil
}

// skip reads a value, keeping nothing of it. A collection within it that
// is held whole in memory already (a deployment's tiers in an export's
// classification; see buffered) is read as one raw value, its nesting
// counted on its bytes; the rest token by token, so that memory holds no
// more than it did. What it refuses is what a read token by token
// refuses: the decoder checks the syntax either way, and nesting past
// registry.MaxDepth is refused. Read token by token, the classification
// of 100,000 deployments took a tenth of their import's CPU.
func (r *jsonRecords) skip() error {
	var open []bool // the collections open within the value: true for an object
	key := false    // the next token is an object's key
	for {
		if !key {
			if depth, ok := r.buffered(); ok {
				if len(open)+depth+1 > registry.MaxDepth { // the value is inside the document's object
					return r.fail("classification", "nested more than %d deep", registry.MaxDepth)
				}
				if _, err := r.value("classification"); err != nil {
					return err
				}
				if len(open) == 0 {
					return nil
				}
				key = open[len(open)-1]
				continue
			}
		}
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(open)+2 > registry.MaxDepth {
				return r.fail("classification", "nested more than %d deep", registry.MaxDepth)
			}
			open = append(open, tok == json.Delim('{'))
			key = tok == json.Delim('{')
			continue
		case json.Delim('}'), json.Delim(']'):
			open = open[:len(open)-1]
		default:
			if key { // a value follows
				key = false
				continue
			}
		}
		if len(open) == 0 {
			return nil
		}
		key = open[len(open)-1]
	}
}

// buffered reports whether the next value is a collection that the
// decoder's buffer and the meter's hold whole already, and how deep it
// nests: 1 for one holding no collection. Reading such a value whole
// takes no more memory than is held already.
func (r *jsonRecords) buffered() (depth int, whole bool) {
	if r.ahead == nil {
		r.ahead = make([]byte, aheadBytes)
	}
	n, _ := r.dec.Buffered().Read(r.ahead)
	if n == len(r.ahead) { // perhaps not all of the decoder's buffer
		return collectionIn(r.ahead[:n])
	}
	return collectionIn(r.ahead[:n], r.in.ahead())
}

// aheadBytes is how much of the decoder's buffer skip copies to look at.
const aheadBytes = 16 << 10

// collectionIn reports whether the bytes of parts, one after the other,
// start with a whole JSON array or object, after space and the comma or
// colon before a value, and how deep it nests. It counts brackets outside
// strings only; the decoder checks the syntax when it reads the value.
func collectionIn(parts ...[]byte) (depth int, whole bool) {
	start, sep := true, false // before the value; past its separator
	open, str, esc := 0, false, false
	for _, b := range parts {
		for _, c := range b {
			if start {
				switch {
				case c == ' ' || c == '\t' || c == '\n' || c == '\r':
					continue
				case (c == ',' || c == ':') && !sep:
					sep = true
					continue
				case c != '{' && c != '[':
					return 0, false
				}
				start = false
			}
			switch {
			case esc:
				esc = false
			case str && c == '\\':
				esc = true
			case str:
				str = c != '"'
			case c == '"':
				str = true
			case c == '{' || c == '[':
				open++
				depth = max(depth, open)
			case c == '}' || c == ']':
				if open--; open == 0 {
					return depth, true
				}
			}
		}
	}
	return 0, false
}

// end checks that nothing but space follows the document.
func (r *jsonRecords) end() error {
	tok, err := r.dec.Token()
	switch {
	case err == io.EOF:
		return io.EOF
	case err != nil:
		return r.decodeError("", err, false)
	}
	return r.fail("", "extra data after the JSON value: %s", describe(tok))
}

// decodeError reports an error of the decoder, or of the meter under it.
// A syntax error in a value read whole gives its offset in the value.
func (r *jsonRecords) decodeError(path string, err error, inValue bool) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, errTooLong):
		return r.fail(path, "%s", r.in.tooLong())
	case errors.As(err, &se):
		line := r.line(nil)
		if inValue {
			ahead, _ := io.ReadAll(io.LimitReader(r.dec.Buffered(), se.Offset))
			line += bytes.Count(ahead, []byte("\n"))
		}
		return ErrorList{{File: r.name, Line: line, Field: path, Msg: se.Error()}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return r.fail(path, "unexpected end of JSON")
	}
	return ErrorList{{File: r.name, Field: path, Msg: err.Error()}}
}

// line returns the line at which the decoder stands, less back bytes
// already read: the lines the meter counted, less those still buffered.
func (r *jsonRecords) line(back []byte) int {
	buffered, _ := io.ReadAll(r.dec.Buffered())
	return int(r.in.lines) - bytes.Count(buffered, []byte("\n")) - bytes.Count(back, []byte("\n")) + 1
}

// fail returns an error at the line where the decoder stands.
func (r *jsonRecords) fail(path, format string, args ...any) error {
	return ErrorList{{File: r.name, Line: r.line(nil), Field: path, Msg: fmt.Sprintf(format, args...)}}
}

// failIn returns an error at a line of the record raw just read, 1 for
// its first.
func (r *jsonRecords) failIn(raw []byte, line int, path, format string, args ...any) error {
	return ErrorList{{File: r.name, Line: r.line(raw) + line - 1, Field: path, Msg: fmt.Sprintf(format, args...)}}
}

// join appends a path within a record to the record's path.
func join(record, rest string) string {
	switch {
	case rest == "":
		return record
	case strings.HasPrefix(rest, "["):
		return record + rest
	}
	return record + "." + rest
}

// describe names what a token is, for an error.
func describe(tok json.Token) string {
	switch t := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		if t == '[' {
			return "a list"
		}
		if t == '{' {
			return "an object"
		}
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return "a number"
}
