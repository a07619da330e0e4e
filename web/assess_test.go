package web

import (
	"context"
	"html"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"oversight/internal/testenv"
	"oversight/rules"
)

// TestAssessJourney: a regulator in Thailand answers the "Assess a system"
// questionnaire by clicking, step by step, and reads the result: the law
// binding in Thailand first, then the EU AI Act by name with its tier in
// words, what is missing as questions, and the answers to print. A
// question the answers make moot is not asked. Every step and the result
// pass axe-core, show no code where a person reads, and fit a phone.
func TestAssessJourney(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile(testenv.NPM(t, "testdata/axe", "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	j := newJourney(t)
	codes := factCodes()
	// check looks at the page the browser is on as a person would.
	check := func(name string) {
		t.Helper()
		j.visit(name)
		page, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
		if err != nil {
			t.Fatal(err)
		}
		if m := codes.FindAllString(page, 5); len(m) > 0 {
			t.Errorf("%s shows codes %q", name, m)
		}
		j.do("narrowing", chromedp.EmulateViewport(390, 900))
		wide, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](overflowing))
		if err != nil {
			t.Fatal(err)
		}
		if wide[0] != wide[1] {
			t.Errorf("%s is %s pixels wide on a screen of %s: %q", name, wide[0], wide[1], wide[2:])
		}
		j.do("loading axe-core", chromedp.EmulateViewport(1280, 900), chromedp.Evaluate[chromedp.Void](string(script)))
		checkAccessibility(t, j.ctx, name)
	}
	next := func(step string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`button[name="to"][value="` + step + `"]`))
	}
	tick := func(path, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`input[name="` + path + `"][value="` + value + `"]`))
	}
	heading := func(step string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(chromedp.ID("step-" + step))
	}

	j.do("opening the questionnaire", chromedp.Navigate(j.srv.URL+"/"), chromedp.Click(chromedp.CSS(`header nav a[href="/assess"]`)),
		heading("who"))
	check("assess-1-who")
	j.do("who operates it", chromedp.SetValue(chromedp.CSS("#q-operator-type"), "police"),
		tick("operator.is_law_enforcement_authority", "yes"), tick("operator.is_public_body", "yes"),
		next("what"), heading("what"))
	// First, a system that recognises nobody: the step on recognition is
	// passed over.
	j.do("a system that recognises nobody", tick("system.capabilities", "crowd_analytics"), tick("identification.mode", "none"),
		next("identify"), heading("where"))
	if s := j.text("nav.steps"); strings.Contains(s, "How it recognises people") {
		t.Errorf("the steps list recognition, which the answers make moot: %s", s)
	}
	j.do("back", next("what"), heading("what"))
	check("assess-2-what")
	// Then the real system: live face identification.
	j.do("what it does", tick("system.capabilities", "crowd_analytics"), tick("system.capabilities", "remote_biometric_identification"),
		tick("identification.mode", "identification"), tick("identification.reference_database", "targeted_watchlist"),
		tick("identification.timing", "real_time"), next("identify"), heading("identify"))
	check("assess-3-identify")
	j.do("how it recognises people", tick("identification.remote", "yes"), next("where"), heading("where"))
	j.do("where", chromedp.SetValue(chromedp.CSS("#q-deployment-jurisdiction"), "TH"), tick("setting.publicly_accessible", "yes"),
		tick("setting.spaces", "street_square"), next("why"), heading("why"))
	j.do("for what", tick("purposes", "protest_public_order"), next("result"), chromedp.WaitVisible(chromedp.ID("result-h")))
	check("assess-result")

	// Thailand's law comes first, then the benchmarks.
	captions, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('table.outcomes caption')].map(c => c.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(captions) < 2 || captions[0] != "Laws of Thailand" || captions[1] != "Benchmarks" {
		t.Errorf("tables: %q", captions)
	}
	// Thailand's data law leaves the police's use outside its scope
	// (PDPA s. 4(2)), and says so.
	if first := j.text("table.outcomes tbody tr th"); !strings.Contains(first, "Thailand PDPA") || !strings.Contains(first, "outside its scope") {
		t.Errorf("first row: %q", first)
	}
	eu, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('table.outcomes tbody tr')].filter(tr => tr.querySelector('th').textContent.startsWith('EU AI Act')).map(tr => tr.className + ' | ' + tr.innerText).join('')`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(eu, "tier-prohibited | ") || !strings.Contains(eu, "prohibited AI practice") || !strings.Contains(eu, "benchmark only") {
		t.Errorf("EU AI Act row: %q", eu)
	}
	// What is missing is asked as a question, never as a field's path.
	missing, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('ul.missing li')].map(li => li.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) == 0 {
		t.Error("nothing is missing, though much was left unknown")
	}
	path := regexp.MustCompile(`\b[a-z_]+\.[a-z_.]+\b`)
	for _, m := range missing {
		if !strings.Contains(m, "?") || path.MatchString(m) {
			t.Errorf("missing, not as a question: %q", m)
		}
	}
	// Obligations by law, with citations; the answers, to print.
	if s := j.text("main"); !strings.Contains(s, "What you would have to do, law by law") || !strings.Contains(s, "Print this assessment") {
		t.Errorf("no obligations or print button:\n%.2000s", s)
	}
	// Printed, the result keeps the tables, the duties and the answers,
	// and drops the steps and the buttons.
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	j.do("printing", media("print"))
	printed, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](`['nav.steps', 'section.assessment ~ form.assess', 'button[data-print]', 'table.outcomes', 'fieldset.obligations', 'dl.assess-answers']
		.map(s => s + ': ' + getComputedStyle(document.querySelector(s)).display)`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"nav.steps: none", "section.assessment ~ form.assess: none", "button[data-print]: none", "table.outcomes: table", "fieldset.obligations: block", "dl.assess-answers: grid"}; !slices.Equal(printed, want) {
		t.Errorf("printed: %q, want %q", printed, want)
	}
	j.do("back to the screen", media(""))
	summary := j.text("main")
	for _, want := range []string{"In which country or territory will it be used?", "Thailand", "It finds who a person is among many (one-to-many)", "Does it recognise who a person is?"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary of answers lacks %q", want)
		}
	}

	// Changing an answer keeps the others.
	j.do("changing where", chromedp.Click(chromedp.CSS(`section.assessment ~ form button[value="where"]`)), heading("where"))
	if v, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.querySelector('#q-deployment-jurisdiction').value`)); err != nil || v != "TH" {
		t.Errorf("the jurisdiction chosen is now %q (%v)", v, err)
	}
	j.do("to Malaysia", chromedp.SetValue(chromedp.CSS("#q-deployment-jurisdiction"), "MY"), next("result"), chromedp.WaitVisible(chromedp.ID("result-h")))
	if c := j.text("table.outcomes caption"); c != "Laws of Malaysia" {
		t.Errorf("after choosing Malaysia, the first table is %q", c)
	}
	if eu, _ := chromedp.Run(j.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('table.outcomes tbody tr.tier-prohibited th')].map(th => th.textContent).join('|')`)); !strings.Contains(eu, "EU AI Act") {
		t.Errorf("the answers changed on the way: prohibited under %q", eu)
	}
}

// TestAssessRefusal: a value the form could not have sent comes back as
// the step that asks it, naming the question.
func TestAssessRefusal(t *testing.T) {
	t.Parallel()
	srv := builtinServer(t)
	for body, want := range map[string]string{
		"identification.timing=tomorrow&to=result":  "The answer to “Does it work on people live, as they pass, or afterwards on recordings?” could not be read",
		"deployment.jurisdiction=FR&to=result":      "The answer to “In which country or territory will it be used?” could not be read",
		"operator.name=" + strings.Repeat("a", 600): "The answer to “What is the operating organisation called?” could not be read",
		"nonsense=1": "The answers could not be read",
		// A mistyped date comes back to be corrected, the other answers kept.
		"operator.type=police&deployment.start_date=2025-13&to=result": `<input type="hidden" name="operator.type" value="police">`,
		"deployment.start_date=2025-13&operator.type=police":           `value="2025-13" aria-invalid="true"`,
	} {
		resp, err := srv.Client().Post(srv.URL+"/assess", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(b)
		if resp.StatusCode != 422 || !strings.Contains(html.UnescapeString(page), want) && !strings.Contains(page, want) {
			t.Errorf("%.60s: %d\n%.300s", body, resp.StatusCode, pageMessage(page))
		}
	}
}

// factCodes matches what TestNoRawCodes looks for, and the fact schema's
// values and paths: a questionnaire shows neither.
func factCodes() *regexp.Regexp {
	codes := []string{rawCodes().String()}
	schema, err := rules.FactSchema()
	if err != nil {
		panic(err)
	}
	for _, l := range schema.Leaves() {
		if strings.ContainsAny(l.Path, "._") { // "purposes" and "notes" are words too
			codes = append(codes, regexp.QuoteMeta(l.Path))
		}
		for _, v := range l.Enum {
			if strings.Contains(v, "_") {
				codes = append(codes, `\b`+regexp.QuoteMeta(v)+`\b`)
			}
		}
	}
	return regexp.MustCompile(strings.Join(codes, "|"))
}
