package yamldoc

import (
	"errors"
	"strings"
	"testing"
)

// TestParseRefusesSecondDocument: a second document in a file is refused,
// naming its line, rather than dropped (found by FuzzParse).
func TestParseRefusesSecondDocument(t *testing.T) {
	for in, line := range map[string]int{"a: 1\n--- 2\n": 2, "!0000\n--- 2": 2, "--- 1\n--- 2\n": 2, "a: 1\n\n---\nb: 2\n": 4} {
		_, err := Parse([]byte(in))
		var e *Error
		if !errors.As(err, &e) || e.Line != line || !strings.Contains(e.Msg, "second YAML document") {
			t.Errorf("%q: %v, want the second document refused at line %d", in, err, line)
		}
	}
	for _, in := range []string{"a: 1\n", "--- \na: 1\n", "a: 1\n---\n"} {
		if _, err := Parse([]byte(in)); err != nil {
			t.Errorf("%q: %v, want one document read", in, err)
		}
	}
}
