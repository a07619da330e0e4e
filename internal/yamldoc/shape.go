package yamldoc

import (
	"fmt"

	"github.com/goccy/go-yaml/token"
)

// goccy/go-yaml's parser (v1.19) takes time quadratic in two shapes of
// document: a block mapping with many keys (each key re-copies the keys
// after it) and values left empty (each implicit null is inserted into the
// token list, shifting the tokens after it). 400 KB of either takes
// seconds, a few megabytes minutes. checkShape reads the tokens, which the
// lexer makes in linear time, and refuses those shapes before the parser
// sees them.

// MaxTokens bounds the tokens of a document: the parser holds about 600
// bytes for each. A record is about 100; the largest built-in file, 10,400.
const MaxTokens = 200_000

// MaxBlockKeys bounds the keys of one block mapping. A record has a few
// dozen; a document lists its records in sequences, which parse in linear
// time.
const MaxBlockKeys = 5000

// MaxEmptyValues bounds the values left empty ("key:" or "-" with nothing
// after them), which YAML reads as null.
const MaxEmptyValues = 1000

// checkShape refuses a document whose tokens exceed MaxBlockKeys or
// MaxEmptyValues. It counts as the parser would for well-formed block
// YAML; on anything else its counts err on the high side.
func checkShape(tks token.Tokens) error {
	type level struct{ column, keys int }
	var open []level // the block mappings enclosing the current token, innermost last
	flow, empty := 0, 0
	for i, tk := range tks {
		if tk.Type == token.CommentType || tk.Position == nil {
			continue
		}
		col := tk.Position.Column
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		}
		if flow > 0 {
			continue
		}
		// A token further left closes the mappings to its right.
		for len(open) > 0 && open[len(open)-1].column > col {
			open = open[:len(open)-1]
		}
		switch tk.Type {
		case token.SequenceEntryType:
			// A new item starts new mappings to the right of its dash.
			for len(open) > 0 && open[len(open)-1].column > col {
				open = open[:len(open)-1]
			}
			if next := nextToken(tks, i); next == nil || next.Position.Line > tk.Position.Line && next.Position.Column <= col {
				empty++
			}
		case token.MappingValueType:
			keyCol := col
			if i > 0 && tks[i-1].Position != nil && tks[i-1].Position.Line == tk.Position.Line {
				keyCol = tks[i-1].Position.Column
			}
			for len(open) > 0 && open[len(open)-1].column > keyCol {
				open = open[:len(open)-1]
			}
			if len(open) == 0 || open[len(open)-1].column < keyCol {
				open = append(open, level{column: keyCol})
			}
			if open[len(open)-1].keys++; open[len(open)-1].keys > MaxBlockKeys {
				return &Error{Line: tk.Position.Line, Column: keyCol, Msg: fmt.Sprintf("a mapping has more than %d keys", MaxBlockKeys)}
			}
			next := nextToken(tks, i)
			if next == nil || next.Position.Line > tk.Position.Line &&
				(next.Position.Column < keyCol || next.Position.Column == keyCol && next.Type != token.SequenceEntryType) {
				empty++
			}
		}
		if empty > MaxEmptyValues {
			return &Error{Line: tk.Position.Line, Column: col, Msg: fmt.Sprintf("more than %d values are left empty (null)", MaxEmptyValues)}
		}
	}
	return nil
}

// nextToken returns the token after i that is not a comment, or nil.
func nextToken(tks token.Tokens, i int) *token.Token {
	for _, tk := range tks[i+1:] {
		if tk.Type != token.CommentType && tk.Position != nil {
			return tk
		}
	}
	return nil
}
