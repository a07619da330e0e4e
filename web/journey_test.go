package web

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"oversight/account"
	"oversight/data"
	"oversight/internal/testreg"
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
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	facts, err := data.Facts()
	if err != nil {
		t.Fatal(err)
	}
	srv, db := serveSet(t, set, facts)
	testreg.Account(t, db, "rita", account.Reviewer, nil)
	ctx := browser(t)
	con := watchConsole(ctx)
	screenshotOnFailure(t, ctx)
	shots := os.Getenv("SCREENSHOTS")
	visit := func(name string) {
		t.Helper()
		for _, m := range con.take() {
			t.Errorf("%s: console: %s", name, m)
		}
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
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

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
	var acts []chromedp.Action[chromedp.Void]
	for sel, v := range fill {
		acts = append(acts, chromedp.SetValue(chromedp.CSS(sel), v))
	}
	acts = append(acts,
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
	if s := text("main"); !strings.Contains(s, "pending") || !strings.Contains(s, "river-otter") || strings.Contains(s, "otter@example.org") {
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
	for _, want := range []string{"create by rita, proposed by river-otter", "Metro cameras to match faces", "Lahore"} {
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
