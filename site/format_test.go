package site

import (
	"testing"

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
