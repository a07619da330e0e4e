package frameworks

import (
	"bufio"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// provision matches the ways the frameworks' texts number what they
// provide: articles, sections, principles, rules, annexes, clauses and the
// like, in the forms the golden cases' comments use.
var provision = regexp.MustCompile(`\b(Arts?\.|[Aa]rticles?|Annex|Sections?|ss? \d|APP \d|IPP \d|DPP ?\d|[Rr]ules? \d|Principles? \d|[Cc]lauses?|Schedule|Part [IVX\d]|Chapter|para\.)|§|第`)

// appliesWhen matches the comments of cases that test when or where a
// framework applies (its dates, or its use as a yardstick elsewhere) rather
// than what one of its provisions requires.
var appliesWhen = regexp.MustCompile(`^# (Benchmark|Commencement|Before)\b`)

// TestCasesCite holds every golden case to issue 15's rule that golden
// cases cite the text they test: the comment above a case names the
// provision and says what it provides, so that a reader can check the
// expected result against the law without reading the rules. A case that
// tests only when or where the framework applies says so instead
// ("Benchmark:", "Commencement:", "Before ...").
func TestCasesCite(t *testing.T) {
	files, err := fs.Glob(FS(), "*/tests/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, name := range files {
		f, err := FS().Open(name)
		if err != nil {
			t.Fatal(err)
		}
		var comment []string
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			switch {
			case strings.HasPrefix(line, "#"):
				comment = append(comment, line)
			case strings.HasPrefix(line, "- name:"):
				cases++
				if len(comment) == 0 || !provision.MatchString(strings.Join(comment, " ")) && !appliesWhen.MatchString(comment[0]) {
					t.Errorf("%s:%d: %s: no comment above the case cites the provision it tests", path.Clean(name), n, strings.TrimPrefix(line, "- name: "))
				}
				comment = nil
			case line != "":
				comment = nil
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if cases == 0 {
		t.Fatal("no golden cases found")
	}
}
