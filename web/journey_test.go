package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/chromedp"

	"oversight/account"
	"oversight/internal/testreg"
	"oversight/store"
)

// TestContributionJourney walks the contribution journey in Chromium: an
// anonymous visitor proposes a deployment with evidence, gets a receipt
// and opens it; a reviewer signs in, finds it in the queue, sees its diff,
// its classification before and after and the records it may duplicate,
// and accepts it; the deployment's page then shows the new revision, the
// contributor's pseudonym and the source, and verify passes.
//
// With $SCREENSHOTS set to a directory, it also keeps a screenshot of each
// page it visits at 1280 and 390 pixels wide, for a person to look at.
func TestContributionJourney(t *testing.T) {
	t.Parallel()
	j := newJourney(t)
	srv, db, ctx, visit, text := j.srv, j.db, j.ctx, j.visit, j.text

	// An anonymous proposal, from the form.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/submit"), chromedp.WaitVisible(chromedp.CSS("form.contribute"))); err != nil {
		t.Fatal(err)
	}
	visit("submit")
	fill := map[string]string{
		"#title": "Lahore pilot of face matching at metro stations", "#jurisdiction": "PK", "#summary": "A pilot of face matching on metro station cameras.",
		"#place\\.name": "Lahore", "#operator\\.name": "Punjab Safe Cities Authority", "#vendor0\\.id": "huawei",
		"#evidence0\\.url": "https://example.org/lahore-metro-pilot", "#evidence0\\.title": "Metro cameras to match faces",
		"#evidence0\\.publisher": "Example Daily", "#evidence0\\.published": "2026-10-01",
		"#evidence0\\.excerpt": "Cameras at metro stations will match faces against a watch list.", "#evidence0\\.language": "en",
		"#message": "Announced in October.", "#pseudonym": "river-otter", "#contact": "otter@example.org",
	}
	acts := append(setValues(fill),
		chromedp.SetValue(chromedp.CSS("#operator\\.kind"), "police"),
		chromedp.SetValue(chromedp.CSS("#status"), "pilot"),
		chromedp.SetValue(chromedp.CSS("#certainty"), "reported"),
		chromedp.Click(chromedp.CSS(`input[name="capabilities"][value="remote_biometric_identification"]`)),
		chromedp.Submit(chromedp.CSS("form.contribute")),
		chromedp.WaitVisible(chromedp.CSS("code.receipt")))
	if err := chromedp.Do(ctx, acts...); err != nil {
		t.Fatalf("submitting: %v\n%.2000s", err, text("main"))
	}
	visit("receipt-new")
	link := text("code.receipt")
	if !strings.HasPrefix(link, "/receipts/rcpt_") {
		t.Fatalf("receipt link %q", link)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(chromedp.CSS("dl.facts"))); err != nil {
		t.Fatal(err)
	}
	visit("receipt")
	if s := text("main"); !strings.Contains(s, "waiting for review") || !strings.Contains(s, "river-otter") || strings.Contains(s, "otter@example.org") {
		t.Fatalf("the receipt page says:\n%s", s)
	}

	// A reviewer signs in, finds it and accepts it.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/review"), chromedp.WaitVisible(chromedp.CSS("form.login"))); err != nil {
		t.Fatal(err)
	}
	visit("login")
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#name"), "rita"), chromedp.SetValue(chromedp.CSS("#password"), testreg.Password),
		chromedp.Submit(chromedp.CSS("form.login")), chromedp.WaitVisible(chromedp.CSS("form.filters"))); err != nil {
		t.Fatalf("signing in: %v", err)
	}
	visit("review-queue")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`table a[href^="/review/"]`)), chromedp.WaitVisible(chromedp.CSS("form.decide"))); err != nil {
		t.Fatal(err)
	}
	visit("review")
	page := text("main")
	for _, want := range []string{"What changes", "system.capabilities[0]", "Classification before and after", "(changes)", "Possible duplicates", "same vendor huawei", "otter@example.org"} {
		if !strings.Contains(page, want) {
			t.Errorf("the review page does not say %q", want)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="action"][value="accept"]`)),
		chromedp.SetValue(chromedp.CSS("#message"), "Matches the report."),
		chromedp.Submit(chromedp.CSS("form.decide"))); err != nil {
		t.Fatal(err)
	}
	// The page after the decision is the same page, which says so.
	if err := waitFor(ctx, `(document.querySelector("p.lede") || {textContent: ""}).textContent.includes("logged as revision")`); err != nil {
		t.Fatalf("after accepting: %v; the page says: %s", err, text("p.lede"))
	}

	// The register shows it, and the log still verifies.
	id := "pk-lahore-pilot-of-face-matching-at-metro-stations"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/deployments/"+id), chromedp.WaitVisible(chromedp.CSS("ol.changes"))); err != nil {
		t.Fatal(err)
	}
	visit("deployment")
	page = text("main")
	for _, want := range []string{"created by rita, proposed by river-otter", "Metro cameras to match faces", "Lahore"} {
		if !strings.Contains(page, want) {
			t.Errorf("the deployment page does not say %q", want)
		}
	}
	if strings.Contains(page, "otter@example.org") {
		t.Error("the contact is on the public page")
	}
	rep, err := db.Verify(context.Background())
	if err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep)
	}
}

// A journey is a browser on a server of the built-in register with a
// reviewer, rita.
type journey struct {
	t   *testing.T
	srv *httptest.Server
	db  *store.DB
	ctx context.Context
	con *console
}

func newJourney(t *testing.T) *journey {
	srv, db := builtinRegister(t)
	testreg.Account(t, db, "rita", account.Reviewer, nil)
	ctx := browser(t)
	j := &journey{t: t, srv: srv, db: db, ctx: ctx, con: watchConsole(ctx)}
	screenshotOnFailure(t, ctx)
	return j
}

// visit checks the page the browser is on for console messages and, with
// $SCREENSHOTS set, keeps its screenshots.
func (j *journey) visit(name string) {
	t, ctx := j.t, j.ctx
	t.Helper()
	for _, m := range j.con.take() {
		if !strings.Contains(m, "status of 410") { // a retracted record's page is Gone, and says so
			t.Errorf("%s: console: %s", name, m)
		}
	}
	shots := os.Getenv("SCREENSHOTS")
	if shots == "" {
		return
	}
	for _, w := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if w < 1280 && os.Getenv("SCREENSHOTS_TOP") != "" { // the first screen only, to read it
			png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+"-"+strconv.FormatInt(w, 10)+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
}

// text returns the text of the first element sel selects.
func (j *journey) text(sel string) string {
	j.t.Helper()
	for tries := 1; ; tries++ {
		s, err := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS(sel)))
		// The node chromedp found can be gone by the time it asks for its
		// text, when the document's nodes are numbered again in between,
		// most likely as a long page finishes loading (TestThreeQuestions
		// failed so on /history, which no script changes, in two runs of
		// the suite): once the page has loaded, it is found again and read.
		var cdpErr *cdproto.Error
		if errors.As(err, &cdpErr) && cdpErr.Message == "No node with given id found" && tries < 3 {
			if err := waitFor(j.ctx, `document.readyState === "complete"`); err != nil {
				j.t.Fatalf("text of %s: %v", sel, err)
			}
			continue
		}
		if err != nil {
			j.t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
}

// do runs browser steps and fails the test, with the page's text, if one
// fails.
func (j *journey) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, steps...); err != nil {
		body, _ := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS("main")))
		j.t.Fatalf("%s: %v\n%.1500s", what, err, body)
	}
}

// dispute proposes, from a deployment's page, a dispute or correction of it
// with one piece of evidence, and returns the receipt's link.
func (j *journey) dispute(id, kind, message, url string) string {
	j.do("proposing a "+kind+" of "+id, chromedp.Navigate(j.srv.URL+"/deployments/"+id),
		chromedp.Click(chromedp.CSS(`a[href="/submit?kind=`+kind+`&target=`+id+`"]`)), chromedp.WaitVisible(chromedp.CSS("form.contribute")),
		chromedp.SetValue(chromedp.CSS("#message"), message), chromedp.SetValue(chromedp.CSS("#evidence0\\.url"), url),
		chromedp.Submit(chromedp.CSS("form.contribute")), chromedp.WaitVisible(chromedp.CSS("code.receipt")))
	return j.text("code.receipt")
}

// decide, as the signed-in reviewer, opens the newest submission and
// carries out an action on it.
func (j *journey) decide(action, message, into string) {
	j.do("opening the queue", chromedp.Navigate(j.srv.URL+"/review"), chromedp.WaitVisible(chromedp.CSS("form.filters")))
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.CSS(`table tbody tr:last-child a[href^="/review/"]`)), chromedp.WaitVisible(chromedp.CSS("form.decide")),
		chromedp.Click(chromedp.CSS(`input[name="action"][value="` + action + `"]`)), chromedp.SetValue(chromedp.CSS("#message"), message)}
	if into != "" {
		steps = append(steps, chromedp.SetValue(chromedp.CSS("#into"), into))
	}
	j.do(action, append(steps, chromedp.Submit(chromedp.CSS("form.decide")))...)
	if err := waitFor(j.ctx, `(document.querySelector("p.lede") || {textContent: ""}).textContent.includes("accepted")`); err != nil {
		j.t.Fatalf("%s: %v; the page says: %s", action, err, j.text("main"))
	}
}

// TestRetractAndMergeJourney: a dispute upheld retracts a deployment,
// whose page then says so, with the reason; a duplicate reported is merged
// into another, to whose page the old address leads; verify passes.
func TestRetractAndMergeJourney(t *testing.T) {
	t.Parallel()
	j := newJourney(t)
	// The records are real; what the test says of them is not, and stays
	// in its own register.
	gone, dup, keep := "in-delhi-police-afrs-protests", "pk-islamabad-safe-city", "pk-lahore-punjab-safe-cities"
	for _, id := range []string{gone, dup, keep} {
		if _, err := j.db.Get(context.Background(), "deployment", id); err != nil {
			t.Fatalf("the built-in register has no %s: %v", id, err)
		}
	}
	j.dispute(gone, "dispute", "A test dispute.", "https://example.org/test-dispute")
	j.do("signing in", chromedp.Navigate(j.srv.URL+"/login"), chromedp.SetValue(chromedp.CSS("#name"), "rita"),
		chromedp.SetValue(chromedp.CSS("#password"), testreg.Password), chromedp.Submit(chromedp.CSS("form.login")), chromedp.WaitVisible(chromedp.CSS("form.filters")))
	j.decide("retract", "A test retraction.", "")
	j.do("opening the retracted record", chromedp.Navigate(j.srv.URL+"/deployments/"+gone), chromedp.WaitVisible(chromedp.CSS("main h1")))
	j.visit("retracted")
	if s := j.text("main"); !strings.Contains(s, "Retracted") || !strings.Contains(s, "A test retraction.") {
		t.Errorf("the retracted record's page says:\n%.800s", s)
	}

	j.dispute(dup, "correction", "A test report of a duplicate.", "https://example.org/test-duplicate")
	j.decide("merge", "A test merge.", keep)
	j.do("opening the merged record", chromedp.Navigate(j.srv.URL+"/deployments/"+dup), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if url, _ := chromedp.Run(j.ctx, chromedp.Location()); !strings.HasSuffix(url, "/deployments/"+keep) {
		t.Errorf("the merged record's address leads to %s", url)
	}
	if rep, err := j.db.Verify(context.Background()); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep)
	}
}

// TestReplyJourney: an account a reviewer linked to a vendor signs in,
// replies to a record that names the vendor from the record's page, and
// the reply appears beside the record, dated and logged; verify passes.
func TestReplyJourney(t *testing.T) {
	t.Parallel()
	j := newJourney(t)
	testreg.Account(t, j.db, "huawei-press", account.Contributor, &account.Org{Kind: "vendor", ID: "huawei"})
	id := "pk-islamabad-safe-city"
	j.do("signing in", chromedp.Navigate(j.srv.URL+"/login"), chromedp.SetValue(chromedp.CSS("#name"), "huawei-press"),
		chromedp.SetValue(chromedp.CSS("#password"), testreg.Password), chromedp.Submit(chromedp.CSS("form.login")),
		chromedp.WaitVisible(chromedp.CSS("main h1")))
	j.do("opening the reply form from the record", chromedp.Navigate(j.srv.URL+"/deployments/"+id),
		chromedp.Click(chromedp.CSS(`a[href="/deployments/`+id+`/reply"]`)), chromedp.WaitVisible(chromedp.CSS("form.reply")))
	j.visit("reply")
	j.do("replying", chromedp.SetValue(chromedp.CSS("#text"), "A test reply of the vendor."),
		chromedp.Submit(chromedp.CSS("form.reply")), chromedp.WaitVisible(chromedp.CSS("section.replies")))
	j.visit("deployment-with-reply")
	s := j.text("section.replies")
	for _, want := range []string{"A test reply of the vendor.", "huawei (vendor)", "written by huawei-press"} {
		if !strings.Contains(s, want) {
			t.Errorf("the replies say %q, without %q", s, want)
		}
	}
	if rep, err := j.db.Verify(context.Background()); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep)
	}

	// Their account page; then an admin's page of accounts, which lists it.
	j.do("opening the account page", chromedp.Navigate(j.srv.URL+"/account"), chromedp.WaitVisible(chromedp.CSS("#current")))
	j.visit("account")
	testreg.Account(t, j.db, "ada", account.Admin, nil)
	j.do("signing out and in as an admin", chromedp.Submit(chromedp.CSS(`form[action="/logout"]`)), chromedp.WaitVisible(chromedp.CSS("main h1")),
		chromedp.Navigate(j.srv.URL+"/admin"), chromedp.WaitVisible(chromedp.CSS("form.login")),
		chromedp.SetValue(chromedp.CSS("#name"), "ada"), chromedp.SetValue(chromedp.CSS("#password"), testreg.Password),
		chromedp.Submit(chromedp.CSS("form.login")), chromedp.WaitVisible(chromedp.CSS("#add-name")))
	j.visit("admin")
	if s := j.text("main table.accounts"); !strings.Contains(s, "huawei-press") || !strings.Contains(s, "vendor huawei") {
		t.Errorf("the accounts table says %q", s)
	}
}

// TestSelfRegistrationJourney: an account a reviewer linked to an operator
// declares a system it runs, from the submission form, in the shapes of
// the EU database and the UK standard; a reviewer accepts it; the record's
// page shows it as self-declared, with the answers and their downloads,
// and the EU download says what AI Act Art. 49(4) would keep out of public
// view; verify passes.
func TestSelfRegistrationJourney(t *testing.T) {
	t.Parallel()
	j := newJourney(t)
	org := "Example City Council"
	testreg.Account(t, j.db, "council-it", account.Contributor, &account.Org{Kind: "operator", ID: org})
	j.do("signing in", chromedp.Navigate(j.srv.URL+"/login"), chromedp.SetValue(chromedp.CSS("#name"), "council-it"),
		chromedp.SetValue(chromedp.CSS("#password"), testreg.Password), chromedp.Submit(chromedp.CSS("form.login")),
		chromedp.WaitVisible(chromedp.CSS("main h1")))
	j.do("opening the form", chromedp.Navigate(j.srv.URL+"/submit"), chromedp.WaitVisible(chromedp.CSS("fieldset.declaration")))
	j.visit("submit-declaration")
	decl := func(scheme, field string) string { return `[name="decl/` + scheme + `/` + field + `"]` }
	fill := map[string]string{
		"#title": "Face matching at city bus terminals", "#jurisdiction": "MY", "#summary": "A test system declared by its operator.",
		"#place\\.name": "Example City", "#evidence0\\.url": "https://example.org/council/bus-terminal-cameras",
		"#evidence0\\.title": "Bus terminal cameras", "#message": "Our own declaration.",
		decl("eu-ai-act", "C.1.name"):    org,
		decl("eu-ai-act", "C.1.address"): "1 Example Road, Example City",
		decl("eu-ai-act", "C.1.contact"): "ai-register@example.org",
		decl("eu-ai-act", "C.2.name"):    "Data Protection Officer, " + org,
		decl("eu-ai-act", "C.4"):         "A test summary of the fundamental rights impact assessment.",
		decl("uk-atrs", "1.1"):           "Bus terminal face matching",
		decl("uk-atrs", "1.4"):           "ai-register@example.org",
	}
	acts := append(setValues(fill),
		chromedp.SetValue(chromedp.CSS("#operator\\.kind"), "municipality"),
		chromedp.SetValue(chromedp.CSS("#status"), "pilot"),
		chromedp.SetValue(chromedp.CSS("#certainty"), "self_declared"),
		chromedp.Click(chromedp.CSS(`input[name="capabilities"][value="remote_biometric_identification"]`)),
		chromedp.Click(chromedp.CSS(`input[name="purposes"][value="general_crime_prevention"]`)),
		chromedp.Submit(chromedp.CSS("form.contribute")),
		chromedp.WaitVisible(chromedp.CSS("code.receipt")))
	j.do("declaring", acts...)

	j.do("signing out and in as a reviewer", chromedp.Navigate(j.srv.URL+"/account"), chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		chromedp.Submit(chromedp.CSS(`form[action="/logout"]`)), chromedp.WaitVisible(chromedp.CSS("main h1")),
		chromedp.Navigate(j.srv.URL+"/login"), chromedp.SetValue(chromedp.CSS("#name"), "rita"),
		chromedp.SetValue(chromedp.CSS("#password"), testreg.Password), chromedp.Submit(chromedp.CSS("form.login")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	j.decide("accept", "A test acceptance.", "")

	id := "my-face-matching-at-city-bus-terminals"
	j.do("opening the record", chromedp.Navigate(j.srv.URL+"/deployments/"+id), chromedp.WaitVisible(chromedp.CSS("section.declaration")))
	j.visit("deployment-declared")
	s := j.text("section.declaration")
	for _, want := range []string{org + " declared this system on", "rests on that declaration alone", "C.4 Summary of the findings of the fundamental rights impact assessment",
		"A test summary of the fundamental rights impact assessment.", "1.1 Name", "Bus terminal face matching", "not declared: C.2.address"} {
		if !strings.Contains(s, want) {
			t.Errorf("the declaration section does not say %q:\n%s", want, s)
		}
	}
	if h := j.text("main"); !strings.Contains(h, "created by rita, proposed by council-it") {
		t.Errorf("the history does not name the operator's account:\n%s", h)
	}
	if c := j.text("dl.facts"); !strings.Contains(c, "self-declared by its operator") {
		t.Errorf("the facts say %q", c)
	}

	// Its downloads, in each register's shape.
	var sheet struct {
		DeclaredBy   string   `json:"declared_by"`
		Restricted   string   `json:"restricted_section"`
		SelfDeclared bool     `json:"self_declared"`
		Missing      []string `json:"missing_required"`
		Sections     []struct {
			Fields []struct {
				ID           string
				Answer       *string
				InRestricted *bool `json:"in_restricted_section"`
			}
		}
	}
	getJSON(t, j.srv.URL+"/api/v1/deployments/"+id+"/declaration?scheme=eu-ai-act", &sheet)
	if sheet.DeclaredBy != org || !sheet.SelfDeclared || !slices.Contains(sheet.Missing, "C.3") || slices.Contains(sheet.Missing, "C.5") {
		t.Errorf("the EU sheet: %+v", sheet)
	}
	// A municipality's live face matching in public for crime prevention:
	// under the EU benchmark, Art. 49(4) holds or turns on unknown facts.
	if sheet.Restricted == "no" || sheet.Restricted == "" {
		t.Errorf("restricted_section = %q", sheet.Restricted)
	}
	for _, f := range sheet.Sections[0].Fields {
		if f.ID == "C.4" && (f.Answer == nil || *f.Answer != fill[decl("eu-ai-act", "C.4")]) {
			t.Errorf("C.4 = %v", f.Answer)
		}
	}
	resp, err := http.Get(j.srv.URL + "/api/v1/deployments/" + id + "/declaration?scheme=uk-atrs&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(body), "section,field,name,required,answer\n") || !strings.Contains(string(body), "1.1,Name,true,Bus terminal face matching") {
		t.Errorf("the ATRS CSV:\n%.600s", body)
	}
	if rep, err := j.db.Verify(context.Background()); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", err, rep)
	}
}

// setValues fills in a form's fields, selected by CSS.
func setValues(fill map[string]string) []chromedp.Action[chromedp.Void] {
	var acts []chromedp.Action[chromedp.Void]
	for sel, v := range fill {
		acts = append(acts, chromedp.SetValue(chromedp.CSS(sel), v))
	}
	return acts
}

// getJSON decodes the JSON answer of a GET.
func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

const overflowing = `const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true } return false };
	[document.documentElement.scrollWidth, document.documentElement.clientWidth,
	...[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !clipped(e))
		.slice(0, 3).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))].map(String)`

// TestNarrowScreen: no page is wider than a phone's screen, 390 pixels:
// what is wide (a table) scrolls inside the page instead.
func TestNarrowScreen(t *testing.T) {
	t.Parallel()
	j := newJourney(t)
	j.do("narrowing", chromedp.EmulateViewport(390, 900))
	for _, p := range append(slices.Clone(pages), "/deployments/kh-phnom-penh-china-donated-cctv", "/vendors/china-eximbank", "/submit", "/login") {
		j.do("opening "+p, chromedp.Navigate(j.srv.URL+p), chromedp.WaitVisible(chromedp.CSS("main")))
		wide, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](overflowing))
		if err != nil {
			t.Fatal(err)
		}
		if wide[0] != wide[1] {
			t.Errorf("%s is %s pixels wide on a screen of %s: %q", p, wide[0], wide[1], wide[2:])
		}
		cut, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](secondColumnOffScreen))
		if err != nil {
			t.Fatal(err)
		}
		if len(cut) > 0 {
			t.Errorf("%s: a table's second column ends beyond the screen, where only scrolling shows it: %q", p, cut)
		}
	}
}

// secondColumnOffScreen lists the tables (by caption) whose second
// column's heading ends beyond the screen's right edge: a table wider
// than a phone scrolls sideways inside its box, and what a row says beside
// its name (a deployment's tier, a country's score) must show without it.
const secondColumnOffScreen = `[...document.querySelectorAll('main table')].filter(t => {
	const th = t.querySelectorAll('thead th')[1];
	return th && th.getBoundingClientRect().right > document.documentElement.clientWidth + 1;
}).map(t => (t.caption ? t.caption.textContent : t.outerHTML).slice(0, 80))`

// chartsWithoutTable lists the charts and maps of a page (an svg with
// role img) that no table stands beside: none in the same section, or in
// the page's main when the chart is in no section.
const chartsWithoutTable = `[...document.querySelectorAll('main svg[role=img]')].filter(s => {
	const scope = s.closest('section') || document.querySelector('main');
	return !scope.querySelector('table tr td');
}).map(s => s.getAttribute('aria-label') || (s.querySelector('title') || {}).textContent || s.outerHTML.slice(0, 80))`

// TestChartsHaveTables: every chart and map on every page has the same
// figures as a table beside it, for a reader who cannot see the drawing.
func TestChartsHaveTables(t *testing.T) {
	t.Parallel()
	j := newJourney(t)
	charts := 0
	for _, p := range append(slices.Clone(pages), "/vendors/china-eximbank", "/countries/KZ") {
		j.do("opening "+p, chromedp.Navigate(j.srv.URL+p), chromedp.WaitVisible(chromedp.CSS("main")))
		n, err := chromedp.Run(j.ctx, chromedp.Evaluate[int](`document.querySelectorAll('main svg[role=img]').length`))
		if err != nil {
			t.Fatal(err)
		}
		charts += n
		bare, err := chromedp.Run(j.ctx, chromedp.Evaluate[[]string](chartsWithoutTable))
		if err != nil {
			t.Fatal(err)
		}
		if len(bare) > 0 {
			t.Errorf("%s: a chart or map with no table beside it: %q", p, bare)
		}
	}
	if charts == 0 {
		t.Fatal("no page has a chart or a map: the test reads nothing")
	}
	t.Logf("%d charts and maps, each with its table", charts)
}
