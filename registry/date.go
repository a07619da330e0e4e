package registry

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A Date is a calendar date known to the year, the month or the day.
// Reporting on surveillance is often vague ("launched in June 2016"), and
// the register keeps the precision a source gives instead of inventing a day.
// The zero Date is unknown.
type Date struct {
	Year, Month, Day int // Month and Day are 0 when not known

	bad string // text that failed to parse, reported by Validate with its field
}

// ParseDate parses YYYY, YYYY-MM or YYYY-MM-DD and rejects impossible dates
// such as 2019-02-30.
func ParseDate(s string) (Date, error) {
	q := Clip(s) // quoted in errors
	parts := strings.SplitN(s, "-", 4)
	if len(parts) > 3 || len(parts[0]) != 4 {
		return Date{}, fmt.Errorf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", q)
	}
	var d Date
	var nums [3]int
	for i, p := range parts {
		if (i > 0 && len(p) != 2) || p == "" {
			return Date{}, fmt.Errorf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", q)
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Date{}, fmt.Errorf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", q)
		}
		nums[i] = n
	}
	d = Date{Year: nums[0], Month: nums[1], Day: nums[2]}
	if d.Year < 1900 || d.Year > 2100 {
		return Date{}, fmt.Errorf("date %q: year out of range 1900-2100", q)
	}
	if len(parts) >= 2 && (d.Month < 1 || d.Month > 12) {
		return Date{}, fmt.Errorf("date %q: month must be 01-12", q)
	}
	if len(parts) == 3 {
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if d.Day < 1 || t.Day() != d.Day {
			return Date{}, fmt.Errorf("date %q does not exist", q)
		}
	}
	return d, nil
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Year == 0 && d.bad == "" }

// Err reports why the text a Date was decoded from is not a date.
func (d Date) Err() error {
	if d.bad == "" {
		return nil
	}
	_, err := ParseDate(d.bad)
	return err
}

// String formats the date at its precision.
func (d Date) String() string {
	switch {
	case d.bad != "":
		return d.bad
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Before reports whether d starts before e, comparing at the coarser
// precision of the two.
func (d Date) Before(e Date) bool {
	a, b := [3]int{d.Year, d.Month, d.Day}, [3]int{e.Year, e.Month, e.Day}
	for i := range 3 {
		if a[i] == 0 || b[i] == 0 {
			return false
		}
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// After reports whether d starts after t's calendar day, at d's precision.
func (d Date) After(t time.Time) bool {
	y, m, day := t.Date()
	return Date{Year: y, Month: int(m), Day: day}.Before(d)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		// Keep the text: decoding goes on, and Validate names the field.
		*d = Date{bad: string(b)}
		return nil
	}
	*d = v
	return nil
}

// UnmarshalJSON accepts a string, or a bare year as a number (YAML writes
// 2016 unquoted), or null for unknown.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Date{}
		return nil
	}
	if len(s) >= 2 && s[0] == '"' {
		uq, err := strconv.Unquote(s)
		if err != nil {
			return err
		}
		s = uq
	}
	return d.UnmarshalText([]byte(s))
}

// DateOf returns the UTC day of t.
func DateOf(t time.Time) Date {
	t = t.UTC()
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}
