package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestThreeQuestions answers, by clicking through the pages only, the
// questions a new user brought: a journalist's (which deployments in
// Southeast Asia used Huawei, and who paid?), a regulator's (what would
// the EU AI Act change in ASEAN, beside the law there today?) and the
// public's (has anything been changed, and how?).
func TestThreeQuestions(t *testing.T) {
	t.Parallel()
	j := newJourney(t)
	// The journalist: the search, by subregion and vendor.
	j.do("searching", chromedp.Navigate(j.srv.URL+"/"), chromedp.Click(chromedp.CSS(`header nav a[href="/search"]`)),
		chromedp.WaitVisible(chromedp.CSS("form.facets")),
		chromedp.SetValue(chromedp.CSS("#subregion"), "southeast_asia"), chromedp.Click(chromedp.CSS(`input[name=vendor][value=huawei]`)),
		chromedp.Submit(chromedp.CSS("form.facets")), chromedp.WaitVisible(chromedp.CSS("ul.chips")))
	j.visit("question-journalist-search")
	rows := j.text("table.results tbody")
	for _, want := range []string{"Mandalay Safe City", "Myanmar (Burma)", "Safe Philippines Project, Phase 1", "Huawei Technologies Co., Ltd."} {
		if !strings.Contains(rows, want) {
			t.Errorf("the search does not list %q:\n%s", want, rows)
		}
	}
	if strings.Contains(rows, "Islamabad") {
		t.Error("the search lists a deployment outside Southeast Asia")
	}
	// ... and who paid, from the main navigation.
	j.do("who paid", chromedp.Click(chromedp.CSS(`header nav a[href="/money"]`)), chromedp.WaitVisible(chromedp.CSS("form.facets")),
		chromedp.SetValue(chromedp.CSS("#subregion"), "southeast_asia"), chromedp.Submit(chromedp.CSS("form.facets")),
		chromedp.WaitVisible(chromedp.CSS("section.lender")))
	j.visit("question-journalist-money")
	if s := j.text("main"); !strings.Contains(s, "Export-Import Bank of China") || !strings.Contains(s, "USD 257,900,000") {
		t.Errorf("who paid does not name the Safe Philippines loan:\n%.1500s", s)
	}
	// ... or both at once, from the vendor network: Huawei's row for
	// Southeast Asia names its countries and its lenders, and its count
	// leads to the search for exactly those deployments.
	j.do("the vendor network", chromedp.Click(chromedp.CSS(`header nav a[href="/network"]`)), chromedp.WaitVisible(chromedp.CSS("form.facets")),
		chromedp.SetValue(chromedp.CSS("#subregion"), "southeast_asia"), chromedp.Submit(chromedp.CSS("form.facets")),
		chromedp.WaitVisible(chromedp.CSS("ul.chips")), chromedp.WaitVisible(chromedp.CSS("#v-huawei")))
	j.visit("question-journalist-network")
	row := j.text("#v-huawei")
	for _, want := range []string{"Huawei Technologies Co., Ltd.", "China", "Myanmar (Burma) (3)", "Laos (1)", "Philippines (1)", "Export-Import Bank of China (1)"} {
		if !strings.Contains(row, want) {
			t.Errorf("the network's Huawei row does not say %q:\n%s", want, row)
		}
	}
	j.do("Huawei's deployments", chromedp.Click(chromedp.CSS(`#v-huawei a[href^="/search"]`)), chromedp.WaitVisible(chromedp.CSS("table.results")))
	rows = j.text("table.results tbody")
	if n := strings.Count(j.text("table.results caption"), "5 deployments"); n != 1 || !strings.Contains(rows, "Mandalay Safe City") {
		t.Errorf("the network's Huawei count leads to:\n%s\n%s", j.text("table.results caption"), rows)
	}

	// The regulator: a scenario for ASEAN.
	j.do("a scenario", chromedp.Click(chromedp.CSS(`header nav a[href="/scenarios"]`)), chromedp.WaitVisible(chromedp.CSS("form.scenario")),
		chromedp.SetValue(chromedp.CSS("#framework"), "eu-ai-act"), chromedp.SetValue(chromedp.CSS("#region"), "asean"),
		chromedp.Submit(chromedp.CSS("form.scenario")), chromedp.WaitVisible(chromedp.CSS("figure.scenario-chart")))
	j.visit("question-regulator")
	s := j.text("main")
	for _, want := range []string{"If EU AI Act applied in", "Viet Nam", "no law of the register applies", "Thailand PDPA", "no binding law in the register"} {
		if !strings.Contains(s, want) {
			t.Errorf("the scenario does not say %q", want)
		}
	}

	// The public: the history of changes, from any page's footer.
	j.do("the history", chromedp.Click(chromedp.CSS(`footer a[href="/history"]`)), chromedp.WaitVisible(chromedp.CSS("section.change")))
	j.visit("question-public")
	if s := j.text("section.change"); !strings.Contains(s, "Revision") || !strings.Contains(s, "by test") {
		t.Errorf("the history says:\n%.500s", s)
	}
}
