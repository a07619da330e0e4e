package site

import (
	"strings"
	"testing"

	"oversight/analysis"
	"oversight/registry"
)

func TestFormats(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for got, want := range map[string]string{
		longDate(registry.Date{Year: 2016}):                    "2016",
		longDate(registry.Date{Year: 2016, Month: 6}):          "June 2016",
		longDate(registry.Date{Year: 2014, Month: 8, Day: 13}): "13 August 2014",
		longDate(registry.Date{}):                              "",
		money("CNY", f(850000000)):                             "CNY 850,000,000",
		money("USD", f(999)):                                   "USD 999",
		money("", f(1000)):                                     "1,000 (currency unknown)",
		money("USD", nil):                                      "unknown",
		usdMillions(f(3593585.47)):                             "USD 3.6 million",
		usdMillions(f(1.25e9)):                                 "USD 1.25 billion",
		usdMillions(f(950)):                                    "USD 950",
		usdMillions(nil):                                       "",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

// TestThinGap: a score whose gap factors rest on less than half of their
// inputs says so beside it, as Macao's 0.0 (one of seven safeguards, no
// regime) must; one resting on most of them says nothing more.
func TestThinGap(t *testing.T) {
	zero, some := 0.0, 30.0
	macao := analysis.Score{Score: &zero, Components: map[string]analysis.Component{
		"safeguards": {Value: &zero, Known: 1, Inputs: 7}, "context": {Known: 0, Inputs: 1}}}
	got := thinGap(macao)
	for _, want := range []string{"1 of 7 safeguards", "the regime is unknown", "not evidence of a narrow gap"} {
		if !strings.Contains(got, want) {
			t.Errorf("thinGap(Macao) = %q, want it to contain %q", got, want)
		}
	}
	known := analysis.Score{Score: &some, Components: map[string]analysis.Component{
		"safeguards": {Known: 4, Inputs: 7}, "context": {Known: 1, Inputs: 1}}}
	if got := thinGap(known); got != "" {
		t.Errorf("thinGap with 5 of 8 gap inputs known = %q, want nothing", got)
	}
	if got := thinGap(analysis.Score{Components: macao.Components}); got != "" {
		t.Errorf("thinGap without a score = %q, want nothing", got)
	}
}
