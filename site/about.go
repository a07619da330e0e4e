package site

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"oversight/docs"
	"oversight/internal/params"
)

// The pages written as documents in docs/: rendered from Markdown, without
// the raw HTML a document might hold (goldmark drops it unless told not
// to).
var docPages = map[string]struct{ file, title string }{
	"/about":  {"about.md", "About"},
	"/method": {"methodology.md", "Method"},
}

// A column's alignment (`---:`) is written as an align attribute, not the
// default inline style, which the pages' Content-Security-Policy
// (style-src 'self') blocks with a console error.
var markdown = goldmark.New(goldmark.WithExtensions(extension.NewTable(
	extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute))))

// focusable lets a keyboard reach the code blocks and tables of a document,
// which scroll sideways on a narrow screen (WCAG 2.1.1; axe-core's
// scrollable-region-focusable). goldmark writes these tags bare, and text
// that looks like them arrives escaped.
var focusable = strings.NewReplacer("<pre>", `<pre tabindex="0">`, "<table>", `<table tabindex="0">`)

func (s *Site) document(w http.ResponseWriter, r *http.Request) {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	page := docPages[r.URL.Path]
	src, err := docs.Read(page.file)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The document's own title is the page's.
	if first, rest, ok := strings.Cut(string(src), "\n"); ok && strings.HasPrefix(first, "# ") {
		src = []byte(rest)
	}
	var buf bytes.Buffer
	if err := markdown.Convert(src, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	s.render(w, r, http.StatusOK, "document", map[string]any{"Title": page.title, "Body": template.HTML(focusable.Replace(buf.String()))})
}
