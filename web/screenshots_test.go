package web

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScreenshots keeps a screenshot of every page the tests list, at 1280
// and 390 pixels wide, in $SCREENSHOTS, for a person to look at; without
// it there is nothing to do.
func TestScreenshots(t *testing.T) {
	if os.Getenv("SCREENSHOTS") == "" {
		t.Skip("SCREENSHOTS names no directory") // not a check: a tool for people
	}
	t.Parallel()
	j := newJourney(t)
	for _, p := range screenshotPages() {
		// A browser context of its own for each page: the whole list, at
		// two widths, takes longer than one context's time limit on a
		// busy machine.
		j.ctx = browser(t)
		j.con = watchConsole(j.ctx)
		j.do("opening "+p, chromedp.Navigate(j.srv.URL+p), chromedp.WaitVisible(chromedp.CSS("main")))
		j.visit(screenshotName(p))
	}
}

// screenshotPages lists the pages TestScreenshots keeps.
func screenshotPages() []string {
	return append(slices.Clone(pages), "/deployments/kh-phnom-penh-china-donated-cctv", "/vendors/china-eximbank",
		// A country whose binding law the register could not encode, as its
		// pages, the law's own page and a scenario show it.
		"/countries/BD", "/deployments/bd-dhaka-shahjalal-airport-face-recognition", "/frameworks/bd-pdp-ordinance",
		"/scenarios?framework=eu-ai-act&jurisdiction=BD,MM,TJ",
		// The map and index table narrowed to one regional body's members.
		"/?member=asean",
		// A tier filter on one country's law (a search refused beside its
		// field answers 400, which the browser logs as an error: take it
		// with chromium --headless --screenshot).
		"/search?tier=th-pdpa:prohibited_unless_conditions_met",
		// The search by purpose, its select chosen.
		"/search?purpose=retail_loss_prevention",
		// A law whose review notes name facts, rules and documents, in words.
		"/frameworks/th-pdpa", "/frameworks/kr-pipa")
}

// screenshotName is the name TestScreenshots gives a page's screenshots,
// before "-1280.png" and "-390.png".
func screenshotName(p string) string {
	name := strings.Trim(strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-", ":", "-").Replace(p), "-")
	return "page-" + cmp.Or(name, "home")
}

// TestScreenshotsCommitted: docs/screenshots holds, and its README lists,
// both screenshots of every page TestScreenshots takes, and nothing else.
func TestScreenshotsCommitted(t *testing.T) {
	dir := filepath.Join("..", "docs", "screenshots")
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, p := range screenshotPages() {
		for _, w := range []string{"-1280.png", "-390.png"} {
			name := screenshotName(p) + w
			want[name] = true
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("%s: %v (bash scripts/screenshots.sh makes it)", p, err)
			}
			if !strings.Contains(string(readme), "("+name+")") {
				t.Errorf("docs/screenshots/README.md does not list %s", name)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	for _, f := range files {
		if !want[filepath.Base(f)] {
			t.Errorf("docs/screenshots/%s is no page's screenshot", filepath.Base(f))
		}
	}
}

// overflowing is the page's width, the screen's, and the elements that
// stick out of it where no box around them scrolls.
