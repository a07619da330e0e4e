package site

import (
	"bytes"
	"strings"
	"testing"
)

// A document's table with aligned columns renders with no inline style,
// which the pages' Content-Security-Policy (style-src 'self') would block
// with a console error, as /method's did.
func TestDocumentAlignsWithoutStyle(t *testing.T) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte("| a | b |\n| --- | ---: |\n| x | 1 |\n"), &buf); err != nil {
		t.Fatal(err)
	}
	if html := buf.String(); strings.Contains(html, "style=") || !strings.Contains(html, `align="right"`) {
		t.Errorf("an aligned column renders as:\n%s", html)
	}
}
