package site

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/rules"
)

// TestFrameworkNotesInWords: a framework page's review notes and its list
// of what is not yet verified name facts, conditions, lists, rules and
// documents in words, not as the rules file's codes ("derived.s4_excluded",
// "TH-PDPA-4-2", "legal_basis.exception_claimed", "docs/law-audit.md"),
// and keep the note as written in a details element for whoever wants it.
// An officer read them as code for a rules reviewer.
func TestFrameworkNotesInWords(t *testing.T) {
	s, _ := siteOf(t, fixture.Set(1))
	var codes []string
	for _, p := range factPaths() {
		if strings.ContainsAny(p, "._") {
			codes = append(codes, regexp.QuoteMeta(p))
		}
	}
	for _, fw := range s.allFrameworks() {
		codes = append(codes, regexp.QuoteMeta(fw.ID))
		for _, r := range fw.Rules {
			codes = append(codes, regexp.QuoteMeta(r.ID))
		}
	}
	for _, tier := range rules.AllTiers {
		if strings.Contains(string(tier), "_") { // "prohibited" is a word too
			codes = append(codes, string(tier))
		}
	}
	codeRE := regexp.MustCompile(`(^|[^\w-])(` + strings.Join(codes, "|") + `|derived\.\w+|consts\.\w+|docs/[\w-]+\.md)($|[^\w-])`)
	notes := regexp.MustCompile(`(?s)<div class="muted review-note">.*?</div>|<h2>Not yet verified, so not encoded</h2><ul>.*?</ul>`)
	written := regexp.MustCompile(`(?s)<details class="written">.*?</details>`)
	tag := regexp.MustCompile(`<[^>]*>`)
	kept := 0
	for _, fw := range s.allFrameworks() {
		page := pageOf(t, s, "/frameworks/"+fw.ID)
		for _, note := range notes.FindAllString(page, -1) {
			kept += len(written.FindAllString(note, -1))
			text := html.UnescapeString(tag.ReplaceAllString(written.ReplaceAllString(note, " "), " "))
			if m := codeRE.FindStringSubmatch(text); m != nil {
				t.Errorf("/frameworks/%s: a note shows the code %q: %.300s", fw.ID, m[2], text)
			}
		}
		for _, r := range fw.Rules {
			if r.ReviewFlag != "" && codeRE.MatchString(r.ReviewFlag) && !strings.Contains(page, "<code>"+html.EscapeString(r.ReviewFlag)+"</code>") {
				t.Errorf("/frameworks/%s: %s's review note as written is not kept", fw.ID, r.ID)
			}
		}
	}
	if kept == 0 {
		t.Error("no note was put into words: nothing tested")
	}
}
