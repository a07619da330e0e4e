package web

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// targets measures, on the page the browser is on, the map's targets that
// sel selects: each one's box in CSS pixels, whether it is at least 24 by
// 24, and, for one that is smaller, whether the 24 px circle around its
// centre stays clear of every other target and of the circles around the
// other small ones (the spacing exception of WCAG 2.2, 2.5.8).
const targets = `(sel => {
	const rs = [...document.querySelectorAll(sel)].map(e => ({label: e.closest('a').getAttribute('aria-label'), r: e.getBoundingClientRect()}));
	const small = t => t.r.width < 24 || t.r.height < 24;
	const centre = t => [t.r.left + t.r.width / 2, t.r.top + t.r.height / 2];
	const toBox = (p, r) => Math.hypot(Math.max(r.left - p[0], 0, p[0] - r.right), Math.max(r.top - p[1], 0, p[1] - r.bottom));
	return rs.map(t => {
		if (!small(t)) return '';
		const c = centre(t);
		for (const o of rs) {
			if (o === t) continue;
			if (toBox(c, o.r) < 12) return t.label + ' (' + t.r.width.toFixed(1) + ' px) is within 12 px of ' + o.label;
			if (small(o)) { const d = centre(o); if (Math.hypot(c[0] - d[0], c[1] - d[1]) < 24) return t.label + ' and ' + o.label + ': 24 px circles meet'; }
		}
		return '';
	}).filter(Boolean).concat(rs.length ? [] : ['no targets: ' + sel]);
})`

// TestMapTargets: at 390 px wide, a phone's width, every small state on
// the governance-gap map is a target at least 24 CSS px across, and every
// deployment or group on the deployments map is either that large or far
// enough from the others (WCAG 2.2 target size, minimum).
func TestMapTargets(t *testing.T) {
	t.Parallel()
	srv := builtinServer(t)
	ctx := browser(t)
	screenshotOnFailure(t, ctx)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 900)); err != nil {
		t.Fatal(err)
	}
	for path, sel := range map[string]string{
		"/":                                   "svg.atlas a circle.small-state",
		"/?map=deployments&colour=tier":       "svg.atlas .marks a g.mark > circle:first-of-type",
		"/?map=deployments&colour=technology": "svg.atlas .marks a g.mark > circle:first-of-type",
	} {
		step, cancel := context.WithTimeout(ctx, stepDeadline)
		err := chromedp.Do(step, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("figure.map svg")))
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](targets+`(`+jsString(sel)+`)`))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bad {
			t.Errorf("%s at 390 px: %s", path, b)
		}
		if path == "/" {
			// The circles themselves are 24 px across: nothing else is
			// small enough for the spacing exception to excuse them.
			sizes, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll('svg.atlas circle.small-state')].map(c => Math.min(c.getBoundingClientRect().width, c.getBoundingClientRect().height))`))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range sizes {
				if w < 24 {
					t.Errorf("a small state's circle is %.1f px across at 390 px wide", w)
				}
			}
		}
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	out := []byte{'\''}
	for _, c := range []byte(s) {
		if c == '\'' || c == '\\' {
			out = append(out, '\\')
		}
		out = append(out, c)
	}
	return string(append(out, '\''))
}
