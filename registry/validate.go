package registry

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/text/language"
)

// A FieldError names a field of a record and what is wrong with it. Path is
// relative to the record, in the form vendors[0].role.
type FieldError struct {
	Path    string
	Msg     string
	Allowed []string // the allowed values, for an enumeration
}

func (e *FieldError) Error() string {
	s := e.Path + ": " + e.Msg
	if len(e.Allowed) > 0 {
		s += " (allowed: " + strings.Join(e.Allowed, ", ") + ")"
	}
	return s
}

// Errors is the list of everything wrong with one record.
type Errors []*FieldError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Err returns es as an error, or nil when it is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	alpha2RE   = regexp.MustCompile(`^[A-Z]{2}$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
	keyRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	sha256RE   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// checker collects field errors for one record.
type checker struct{ errs Errors }

// add records an error; string arguments are clipped, since they are
// often the value at fault, which may be huge.
func (c *checker) add(path, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = Clip(s)
		}
	}
	c.errs = append(c.errs, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) date(path string, d Date) {
	if err := d.Err(); err != nil {
		c.add(path, "%v", err)
	}
}

func (c *checker) required(path, v string) bool {
	if strings.TrimSpace(v) == "" {
		c.add(path, "is required")
		return false
	}
	return true
}

func (c *checker) enum(path string, e Enum, v string) {
	if !e.Has(v) {
		msg := fmt.Sprintf("%q is not a known %s", Clip(v), e.Name)
		if v == "" {
			msg = "is required"
		}
		c.errs = append(c.errs, &FieldError{Path: path, Msg: msg, Allowed: e.Values})
	}
}

func (c *checker) enums(path string, e Enum, vs []string) {
	for i, v := range vs {
		c.enum(fmt.Sprintf("%s[%d]", path, i), e, v)
	}
}

func (c *checker) slug(path, v string) {
	if c.required(path, v) && !slugRE.MatchString(v) {
		c.add(path, "%q is not a slug (lower-case letters, digits and single hyphens)", v)
	}
}

func (c *checker) alpha2(path, v string) {
	if c.required(path, v) && !alpha2RE.MatchString(v) {
		c.add(path, "%q is not an ISO 3166-1 alpha-2 code", v)
	}
}

// sources checks a record's source list and returns the set of its keys.
func (c *checker) sources(path string, srcs []Source, required bool) map[string]bool {
	keys := map[string]bool{}
	if required && len(srcs) == 0 {
		c.add(path, "at least one source is required")
	}
	for i, s := range srcs {
		p := fmt.Sprintf("%s[%d]", path, i)
		if c.required(p+".key", s.Key) {
			if !keyRE.MatchString(s.Key) {
				c.add(p+".key", "%q is not a valid key (letters, digits, '.', '_' and '-')", s.Key)
			}
			if keys[s.Key] {
				c.add(p+".key", "duplicate source key %q", s.Key)
			}
			keys[s.Key] = true
		}
		if c.required(p+".url", s.URL) {
			c.url(p+".url", s.URL)
		}
		c.date(p+".published", s.Published)
		c.date(p+".accessed", s.Accessed)
		if s.Language != "" {
			if _, err := language.Parse(s.Language); err != nil {
				c.add(p+".language", "%q is not a BCP 47 language tag (such as en, ms or zh-Hant)", s.Language)
			}
		}
		if s.Translated && (s.Language == "" || s.Excerpt == "") {
			c.add(p+".translated", "a translated excerpt needs the excerpt and the language it was translated from")
		}
		if (s.Original != "" || s.TranslatedBy != "") && !s.Translated {
			c.add(p+".original", "the original quote and its translator go with an excerpt marked translated")
		}
		if !s.Published.IsZero() && !s.Accessed.IsZero() && s.Accessed.Before(s.Published) {
			c.add(p+".accessed", "accessed %s is before published %s", s.Accessed, s.Published)
		}
		if s.SHA256 != "" && !sha256RE.MatchString(s.SHA256) {
			c.add(p+".sha256", "is not 64 lower-case hex digits")
		}
	}
	return keys
}

// url checks that v is an absolute http or https URL.
func (c *checker) url(path, v string) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.add(path, "%q is not an http or https URL", Clip(v))
	}
}

// refs checks that a fact cites keys that the record's sources define.
// A fact that states something must cite at least one source.
func (c *checker) refs(path string, keys map[string]bool, refs []string, stated bool) {
	if stated && len(refs) == 0 {
		c.add(path+".sources", "a stated fact needs at least one source key")
	}
	for i, r := range refs {
		if !keys[r] {
			c.add(fmt.Sprintf("%s.sources[%d]", path, i), "%q is not the key of one of this record's sources", r)
		}
	}
}

func (c *checker) noDuplicates(path string, vs []string) {
	seen := map[string]bool{}
	for i, v := range vs {
		if seen[v] {
			c.add(fmt.Sprintf("%s[%d]", path, i), "duplicate value %q", v)
		}
		seen[v] = true
	}
}

// CheckValues checks every string, list and number of v, a value with
// JSON fields, as a record's are checked, by the same limits: what wraps a
// record (a submission, say) is bounded as the record is.
func CheckValues(v any) Errors {
	var c checker
	c.values(v)
	return c.errs
}

// CheckSources checks a list of sources as a record's are checked (keys,
// URLs, dates, language), naming each as path[i]; at least one is required.
func CheckSources(path string, srcs []Source) Errors {
	var c checker
	c.sources(path, srcs, true)
	return c.errs
}

// Validate checks a deployment on its own. References to vendors and
// jurisdictions are checked by the importer, which sees the whole register.
func (d *Deployment) Validate() error {
	var c checker
	if !c.values(d) {
		return c.errs.Err()
	}
	c.slug("id", d.ID)
	c.required("title", d.Title)
	c.alpha2("jurisdiction", d.Jurisdiction)
	keys := c.sources("sources", d.Sources, true)

	if d.Place.Level != "" {
		c.enum("place.level", PlaceLevels, d.Place.Level)
	}
	if (d.Place.Lat == nil) != (d.Place.Lon == nil) {
		c.add("place", "lat and lon go together")
	}
	if d.Place.Lat != nil && (*d.Place.Lat < -90 || *d.Place.Lat > 90) {
		c.add("place.lat", "%v is outside -90..90", *d.Place.Lat)
	}
	if d.Place.Lon != nil && (*d.Place.Lon < -180 || *d.Place.Lon > 180) {
		c.add("place.lon", "%v is outside -180..180", *d.Place.Lon)
	}

	if d.Operator.Kind != "" {
		c.enum("operator.kind", OperatorKinds, d.Operator.Kind)
	}
	c.refs("operator", keys, d.Operator.Sources, d.Operator.Name != "" || (d.Operator.Kind != "" && d.Operator.Kind != "unknown"))

	c.enums("system.capabilities", Capabilities, d.System.Capabilities)
	c.noDuplicates("system.capabilities", d.System.Capabilities)
	c.enums("system.purposes", Purposes, d.System.Purposes)
	c.noDuplicates("system.purposes", d.System.Purposes)
	c.refs("system", keys, d.System.Sources, len(d.System.Capabilities)+len(d.System.Purposes) > 0 || d.System.Description != "")

	seenVendor := map[string]bool{}
	for i, v := range d.Vendors {
		p := fmt.Sprintf("vendors[%d]", i)
		c.slug(p+".vendor", v.Vendor)
		c.enum(p+".role", VendorRoles, v.Role)
		if seenVendor[v.Vendor+"/"+v.Role] {
			c.add(p, "vendor %q is listed twice with role %q", v.Vendor, v.Role)
		}
		seenVendor[v.Vendor+"/"+v.Role] = true
		c.refs(p, keys, v.Sources, true)
	}

	if d.Scale.Cameras != nil && *d.Scale.Cameras < 0 {
		c.add("scale.cameras", "must not be negative")
	}
	if d.Scale.PeopleCovered != nil && *d.Scale.PeopleCovered < 0 {
		c.add("scale.people_covered", "must not be negative")
	}
	c.refs("scale", keys, d.Scale.Sources, d.Scale.Cameras != nil || d.Scale.PeopleCovered != nil || d.Scale.Note != "")

	for i, e := range d.Dates {
		p := fmt.Sprintf("dates[%d]", i)
		c.enum(p+".event", DateEvents, e.Event)
		c.date(p+".date", e.Date)
		if e.Date.IsZero() {
			c.add(p+".date", "is required (YYYY, YYYY-MM or YYYY-MM-DD)")
		}
		c.refs(p, keys, e.Sources, true)
	}
	if live, ended := d.eventDate("live"), d.eventDate("ended"); !live.IsZero() && !ended.IsZero() && ended.Before(live) {
		c.add("dates", "ended %s is before live %s", ended, live)
	}

	c.enum("status.value", Statuses, d.Status.Value)
	c.date("status.as_of", d.Status.AsOf)
	c.refs("status", keys, d.Status.Sources, d.Status.Value != "unknown")

	for i, f := range d.Financing {
		p := fmt.Sprintf("financing[%d]", i)
		c.enum(p+".instrument", FinancingInstruments, f.Instrument)
		if f.Lender != "" {
			c.slug(p+".lender", f.Lender)
		}
		if f.Amount != nil && *f.Amount < 0 {
			c.add(p+".amount", "must not be negative")
		}
		if f.Amount != nil && f.Currency == "" {
			c.add(p+".currency", "an amount needs its currency")
		}
		if f.Currency != "" && !currencyRE.MatchString(f.Currency) {
			c.add(p+".currency", "%q is not an ISO 4217 code", f.Currency)
		}
		if f.Year != 0 && (f.Year < 1900 || f.Year > 2100) {
			c.add(p+".year", "%d is out of range 1900-2100", f.Year)
		}
		c.refs(p, keys, f.Sources, true)
	}
	c.enum("certainty", Certainties, d.Certainty)
	c.declaration(d.Declaration, d.Operator.Name)
	c.origin(d.Origin)
	if d.Certainty == SelfDeclared && d.Declaration == nil {
		c.add("certainty", "a record is self_declared only with its operator's declaration")
	}
	return c.errs.Err()
}

func (d *Deployment) eventDate(event string) Date {
	for _, e := range d.Dates {
		if e.Event == event {
			return e.Date
		}
	}
	return Date{}
}

// Validate checks a jurisdiction's profile: every safeguard kind but
// court_ruling appears once, and every known cell is sourced.
func (j *Jurisdiction) Validate() error {
	var c checker
	if !c.values(j) {
		return c.errs.Err()
	}
	c.alpha2("code", j.Code)
	c.required("name", j.Name)
	if j.Region != "asia_pacific" {
		c.errs = append(c.errs, &FieldError{Path: "region", Msg: fmt.Sprintf("%q is not a known region", Clip(j.Region)), Allowed: []string{"asia_pacific"}})
	}
	c.enum("subregion", Subregions, j.Subregion)
	keys := c.sources("sources", j.Sources, false)
	seen := map[string]bool{}
	for i, m := range j.Memberships {
		p := fmt.Sprintf("memberships[%d]", i)
		c.enum(p+".body", Memberships, m.Body)
		c.date(p+".since", m.Since)
		if seen[m.Body] {
			c.add(p+".body", "duplicate membership %q", m.Body)
		}
		seen[m.Body] = true
		c.refs(p, keys, m.Sources, true)
	}
	if r := j.Regime; r != nil {
		c.enum("regime.type", RegimeTypes, r.Type)
		c.required("regime.dataset", r.Dataset)
		if r.Year < 1900 || r.Year > 2100 {
			c.add("regime.year", "%d is out of range 1900-2100", r.Year)
		}
		c.refs("regime", keys, r.Sources, true)
	}
	kinds := map[string]int{}
	for i, s := range j.Safeguards {
		p := fmt.Sprintf("safeguards[%d]", i)
		c.enum(p+".kind", SafeguardKinds, s.Kind)
		c.enum(p+".status", SafeguardStatuses, s.Status)
		c.date(p+".in_force", s.InForce)
		kinds[s.Kind]++
		if kinds[s.Kind] == 2 && s.Kind != "court_ruling" {
			c.add(p+".kind", "safeguard %q appears more than once", s.Kind)
		}
		c.refs(p, keys, s.Sources, s.Status != "unknown")
	}
	for _, k := range SafeguardKinds.Values {
		if k != "court_ruling" && kinds[k] == 0 {
			c.add("safeguards", "safeguard %q is missing; write status unknown where no source was read", k)
		}
	}
	return c.errs.Err()
}

// Validate checks a vendor record.
func (v *Vendor) Validate() error {
	var c checker
	if !c.values(v) {
		return c.errs.Err()
	}
	c.slug("id", v.ID)
	c.required("name", v.Name)
	c.enum("type", OrganisationTypes, v.Type)
	c.enum("ownership", Ownerships, v.Ownership)
	keys := c.sources("sources", v.Sources, false)
	if v.Headquarters != "" {
		c.alpha2("headquarters", v.Headquarters)
	}
	c.refs("fact", keys, v.FactSources, v.Headquarters != "" || (v.Ownership != "unknown" && v.Ownership != "") || v.Parent != "")
	for i, l := range v.Listings {
		p := fmt.Sprintf("listings[%d]", i)
		c.required(p+".list", l.List)
		c.date(p+".date", l.Date)
		c.refs(p, keys, l.Sources, true)
	}
	return c.errs.Err()
}

// Validate checks an instrument record.
func (in *Instrument) Validate() error {
	var c checker
	if !c.values(in) {
		return c.errs.Err()
	}
	c.slug("id", in.ID)
	c.required("title", in.Title)
	c.required("jurisdiction", in.Jurisdiction)
	c.enum("type", InstrumentTypes, in.Type)
	c.enum("status", InstrumentStatuses, in.Status)
	c.sources("sources", in.Sources, true)
	c.date("adopted", in.Adopted)
	c.date("in_force", in.InForce)
	if !in.Adopted.IsZero() && !in.InForce.IsZero() && in.InForce.Before(in.Adopted) {
		c.add("in_force", "in force %s is before adoption %s", in.InForce, in.Adopted)
	}
	return c.errs.Err()
}

// Validate checks a claim record.
func (cl *Claim) Validate() error {
	var c checker
	if !c.values(cl) {
		return c.errs.Err()
	}
	c.slug("id", cl.ID)
	c.alpha2("jurisdiction", cl.Jurisdiction)
	c.slug("dataset", cl.Dataset)
	c.required("indicator", cl.Indicator)
	c.sources("sources", cl.Sources, true)
	switch v := cl.Value.(type) {
	case bool, float64, string:
	case []any:
		for i, e := range v {
			if _, ok := e.(string); !ok {
				c.add(fmt.Sprintf("value[%d]", i), "a list value holds strings only")
			}
		}
	case []string:
	case nil:
		c.add("value", "is required")
	default:
		c.add("value", "must be a boolean, number, string or list of strings")
	}
	return c.errs.Err()
}
