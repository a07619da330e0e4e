package web

import (
	"cmp"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"oversight/internal/testenv"
)

// axeViolation is what the test keeps of an axe-core violation: the
// rule, how bad it is, what it asks for, and the elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun runs axe-core on the page the browser is on, with the WCAG 2.0
// and 2.1 rules of levels A and AA, and returns the violations of impact
// serious or critical.
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
	resultTypes: ['violations'],
}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
	id: v.id, impact: v.impact, help: v.help,
	nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), summary: n.failureSummary || ''})),
})))`

// TestAccessibility runs axe-core (web/testdata/axe, installed by
// scripts/test.sh with npm ci) on every page at 1280 and 390 pixels wide
// and fails on each serious or critical violation of a WCAG 2.1 A or AA
// rule, naming the page, the rule, the element and what the rule asks.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile(testenv.NPM(t, "testdata/axe", "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	srv := builtinServer(t)
	for _, p := range pages {
		t.Run(cmp.Or(strings.TrimPrefix(p, "/"), "home"), func(t *testing.T) {
			t.Parallel()
			ctx := browser(t)
			screenshotOnFailure(t, ctx)
			// Evaluated through the DevTools protocol, the script is not
			// subject to the page's Content-Security-Policy.
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitVisible(chromedp.CSS("main h1")),
				chromedp.Evaluate[chromedp.Void](string(script))); err != nil {
				t.Fatal(err)
			}
			checkAccessibility(t, ctx, p)
		})
	}
}

// checkAccessibility runs axe-core, already loaded, on the page the
// browser is on, at 1280 and 390 pixels wide, and fails on each serious
// or critical violation, naming the page as name.
func checkAccessibility(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	// One load, both widths: the stylesheet's media queries follow the
	// viewport, and no script of the site lays the page out.
	for _, width := range []int64{1280, 390} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900))
		var found []axeViolation
		if err == nil {
			found, err = chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		}
		if err != nil {
			t.Fatalf("%s at %d px: %v", name, width, err)
		}
		for _, v := range found {
			for i, n := range v.Nodes {
				if i == 5 {
					t.Errorf("%s at %d px: %s: and %d more elements", name, width, v.ID, len(v.Nodes)-i)
					break
				}
				t.Errorf("%s at %d px: %s (%s): %s: %s\n\t%s", name, width, v.ID, v.Impact, n.Target, v.Help,
					strings.ReplaceAll(n.Summary, "\n", "\n\t"))
			}
		}
	}
	chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
}
