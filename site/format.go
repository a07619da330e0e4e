package site

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"oversight/registry"
)

// Dates and amounts as people write them, at the precision the register
// knows them: "2016", "June 2016", "13 June 2016"; "CNY 20,000,000".

// longDate writes a register date in words.
func longDate(d registry.Date) string {
	switch {
	case d.Err() != nil || d.Year == 0:
		return d.String()
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return time.Month(d.Month).String() + " " + strconv.Itoa(d.Year)
	}
	return strconv.Itoa(d.Day) + " " + time.Month(d.Month).String() + " " + strconv.Itoa(d.Year)
}

// day writes a day given as YYYY-MM-DD (a rule's or framework's dates)
// in words; text that is not such a day is written as it is.
func day(s string) string {
	d, err := registry.ParseDate(s)
	if err != nil || d.Err() != nil {
		return s
	}
	return longDate(d)
}

// money writes an amount with its currency and thousands separators;
// unknown when there is none.
func money(currency string, amount *float64) string {
	if amount == nil {
		return "unknown"
	}
	s := grouped(*amount)
	if currency == "" {
		return s + " (currency unknown)"
	}
	return currency + " " + s
}

// usdMillions writes a 2021-USD equivalent the way a reader takes it in.
func usdMillions(amount *float64) string {
	if amount == nil {
		return ""
	}
	switch v := *amount; {
	case v >= 1e9:
		return "USD " + strconv.FormatFloat(v/1e9, 'f', 2, 64) + " billion"
	case v >= 1e6:
		return "USD " + strconv.FormatFloat(v/1e6, 'f', 1, 64) + " million"
	default:
		return "USD " + grouped(v)
	}
}

// grouped writes a whole amount with commas between thousands.
func grouped(v float64) string {
	s := strconv.FormatFloat(v, 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// countryName gives the English name of an ISO 3166-1 alpha-2 code (HK,
// MO and TW included), or the code when it is not one.
func countryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil || code == "" {
		return code
	}
	if n := display.English.Regions().Name(r); n != "" {
		return n
	}
	return code
}

// langName gives the English name of a BCP 47 language tag, or the tag.
func langName(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if n := display.English.Tags().Name(t); n != "" {
		return n
	}
	return tag
}

// sourceName is how a link to a source reads: its title, else its
// publisher, else the site it is on; never the whole address, which on a
// phone is a line of characters a reader cannot take in.
func sourceName(s registry.Source) string {
	switch {
	case s.Title != "":
		return s.Title
	case s.Publisher != "":
		return s.Publisher
	}
	u, err := url.Parse(s.URL)
	if err != nil || u.Host == "" {
		return s.URL
	}
	return "a page of " + strings.TrimPrefix(u.Hostname(), "www.")
}
