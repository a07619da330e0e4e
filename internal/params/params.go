// Package params reads the query parameters that the API and the pages
// share: filters on deployments, the network and trend filters, the date
// tiers are read at, the tier filter, and paging. It is the one parser of
// them; every value it refuses is reported with the parameter's name
// ("query.year_from") and, for a vocabulary, the allowed values, as a
// registry.Error of code EInvalid.
package params

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"oversight/analysis"
	"oversight/contrib"
	"oversight/registry"
	"oversight/rules"
)

// Deployment lists the filters of deployment lists, exports and search.
var Deployment = []string{"jurisdiction", "subregion", "vendor", "vendor_hq", "technology", "purpose", "status", "certainty", "year_from", "year_to", "q"}

// Network lists the filters of the network and trend tables: those a
// NetworkQuery holds.
var Network = analysis.NetworkParams()

var (
	alpha2 = regexp.MustCompile(`^[A-Z]{2}$`)
	slug   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// MaxQ bounds the length of a full-text query.
const MaxQ = 200

// Reader reads the parameters of one request and collects what is wrong
// with them; Err returns it all at once.
type Reader struct {
	v    url.Values
	errs registry.Errors
}

// Read returns a reader of v that refuses any parameter not in allowed, any
// given more than once, and any value that is not UTF-8 text or holds a NUL
// (which no parameter takes, and which a database refuses with an error of
// its own): a misspelt filter is an error rather than a silently unfiltered
// answer. A parameter refused here reads as absent.
func Read(v url.Values, allowed ...string) *Reader {
	p := &Reader{v: url.Values{}}
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		switch val := v[name]; {
		case !slices.Contains(allowed, name):
			msg := "unknown parameter"
			if len(allowed) == 0 {
				msg = "this endpoint takes no parameters"
			}
			p.bad(name, msg, allowed...)
		case len(val) > 1:
			p.bad(name, "give it once (use commas for several jurisdictions or vendors)")
		case !isText(val[0]):
			p.bad(name, notText)
		default:
			p.v[name] = val
		}
	}
	return p
}

// notText says what is wrong with a value that is not text.
const notText = "must be UTF-8 text without NUL characters"

// isText reports whether a value is text a parameter may hold.
func isText(v string) bool { return utf8.ValidString(v) && !strings.ContainsRune(v, 0) }

var wildcard = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)

// Path checks the path parameters of the pattern r was routed by: like a
// query value, each must be UTF-8 text without NUL, which no record's key
// holds and which a database refuses with an error of its own.
func Path(r *http.Request) error {
	var errs registry.Errors
	for _, m := range wildcard.FindAllStringSubmatch(r.Pattern, -1) {
		if !isText(r.PathValue(m[1])) {
			errs = append(errs, &registry.FieldError{Path: "path." + m[1], Msg: notText})
		}
	}
	if errs == nil {
		return nil
	}
	return registry.Invalid("invalid path", errs...)
}

func (p *Reader) bad(name, msg string, allowed ...string) {
	p.errs = append(p.errs, &registry.FieldError{Path: "query." + name, Msg: msg, Allowed: allowed})
}

// Badf records an error about a parameter that the caller checked itself.
func (p *Reader) Badf(name string, allowed []string, format string, args ...any) {
	p.bad(name, fmt.Sprintf(format, args...), allowed...)
}

// Get returns a parameter's value, "" when it is absent.
func (p *Reader) Get(name string) string { return p.v.Get(name) }

// Err returns everything wrong with the parameters read, or nil.
func (p *Reader) Err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return registry.Invalid("invalid query parameters", p.errs...)
}

// Enum returns a parameter that must be one of a vocabulary's values.
func (p *Reader) Enum(name string, e registry.Enum) string {
	v := p.v.Get(name)
	if v != "" && !e.Has(v) {
		p.bad(name, fmt.Sprintf("%q is not a known %s", v, e.Name), e.Values...)
		return ""
	}
	return v
}

// Size returns a parameter that must be a whole number from 1 (a log
// size), 0 when absent.
func (p *Reader) Size(name string) int64 {
	v := p.v.Get(name)
	if v == "" {
		if p.v.Has(name) {
			p.bad(name, "is empty: leave it out, or give a whole number from 1")
		}
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > maxLogSize || len(v) > 1 && v[0] == '0' {
		p.bad(name, fmt.Sprintf("%q is not a log size: a whole number from 1 to %d", registry.Clip(v), int64(maxLogSize)))
		return 0
	}
	return n
}

// maxLogSize bounds a log size a parameter may name: far beyond any
// register's, and small enough that no arithmetic on it overflows.
const maxLogSize = 1 << 50

// Year returns a parameter that must be a year, 0 when absent.
func (p *Reader) Year(name string) int {
	v := p.v.Get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1900 || n > 2100 {
		p.bad(name, "must be a year from 1900 to 2100")
		return 0
	}
	return n
}

// years reads year_from and year_to, which must not be in reverse order.
func (p *Reader) years() (from, to int) {
	from, to = p.Year("year_from"), p.Year("year_to")
	if from != 0 && to != 0 && from > to {
		p.bad("year_from", "must not be after year_to")
	}
	return from, to
}

// MaxCodes bounds a list of jurisdiction codes: ISO 3166-1 assigns 249,
// so a longer list repeats one. Each code is a parameter of a page's
// statements, which SQLite parses in time growing with the square of
// their number: the 21,000 codes a request's 64 KiB hold took seconds a
// statement, then failed for too many SQL variables.
const MaxCodes = 249

// Jurisdictions returns a comma-separated list of ISO 3166-1 alpha-2 codes,
// upper-cased, at most MaxCodes of them.
func (p *Reader) Jurisdictions(name string) []string {
	var out []string
	for _, c := range p.list(name, MaxCodes, "codes") {
		c = strings.ToUpper(strings.TrimSpace(c))
		if !alpha2.MatchString(c) {
			p.bad(name, fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", registry.Clip(c)))
			continue
		}
		out = append(out, c)
	}
	return out
}

// list splits a comma-separated parameter into its values, at most most
// of them (what names them in the error); a longer list is refused whole,
// so that neither its work nor its errors grow with it.
func (p *Reader) list(name string, most int, what string) []string {
	v := p.v.Get(name)
	if v == "" {
		return nil
	}
	vs := strings.Split(v, ",")
	if len(vs) > most {
		p.bad(name, fmt.Sprintf("at most %d %s", most, what))
		return nil
	}
	return vs
}

// Country returns one ISO 3166-1 alpha-2 code, upper-cased.
func (p *Reader) Country(name string) string {
	v := strings.ToUpper(p.v.Get(name))
	if v != "" && !alpha2.MatchString(v) {
		p.bad(name, "must be an ISO 3166-1 alpha-2 code")
		return ""
	}
	return v
}

// ID returns a parameter that must be a record id (a slug).
func (p *Reader) ID(name, what string) string {
	v := p.v.Get(name)
	if v != "" && !slug.MatchString(v) {
		p.bad(name, "must be "+what)
		return ""
	}
	return v
}

// MaxIDs bounds how many record ids one list parameter may name.
const MaxIDs = 50

// IDs returns a comma-separated list of record ids (slugs), at most MaxIDs
// of them; what says what each must be.
func (p *Reader) IDs(name, what string) []string {
	var out []string
	for _, id := range p.list(name, MaxIDs, "values") {
		if id = strings.TrimSpace(id); !slug.MatchString(id) {
			p.bad(name, fmt.Sprintf("%q is not %s", registry.Clip(id), what))
			continue
		}
		out = append(out, id)
	}
	return out
}

// Limit returns the page size, def when absent.
func (p *Reader) Limit(def int) int {
	v := p.v.Get("limit")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > registry.MaxLimit {
		p.bad("limit", fmt.Sprintf("must be a whole number from 1 to %d", registry.MaxLimit))
		return def
	}
	return n
}

// AsOf returns ?as_of=YYYY-MM-DD, or today when absent.
func (p *Reader) AsOf(today time.Time) time.Time {
	v := p.v.Get("as_of")
	if v == "" {
		return today
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		p.bad("as_of", fmt.Sprintf("%q is not a date YYYY-MM-DD", v))
		return today
	}
	if t.Year() < 1900 || t.Year() > 2100 {
		p.bad("as_of", "must be a date from 1900 to 2100")
		return today
	}
	return t
}

// Cursor returns ?cursor=, which must be one the server could have
// returned: the unpadded base64url of a record's key, which is UTF-8 text
// without NUL. Anything else is refused here, before a database reads it.
func (p *Reader) Cursor() string {
	v := p.v.Get("cursor")
	if v == "" {
		return ""
	}
	if _, err := registry.CursorKey(v); err != nil {
		p.bad("cursor", registry.ErrBadCursor.Fields[0].Msg)
		return ""
	}
	return v
}

// DeploymentFilter reads the deployment filters (Deployment) and the
// cursor.
func (p *Reader) DeploymentFilter() registry.DeploymentFilter {
	f := registry.DeploymentFilter{
		Jurisdictions: p.Jurisdictions("jurisdiction"),
		Subregion:     p.Enum("subregion", registry.Subregions),
		Vendors:       p.IDs("vendor", "a vendor id (see /api/v1/vendors)"),
		VendorHQ:      p.Country("vendor_hq"),
		Capability:    p.Enum("technology", registry.Capabilities),
		Purpose:       p.Enum("purpose", registry.Purposes),
		Status:        p.Enum("status", registry.Statuses),
		Certainty:     p.Enum("certainty", registry.Certainties),
		Q:             p.v.Get("q"),
		Cursor:        p.Cursor(),
	}
	f.YearFrom, f.YearTo = p.years()
	if len(f.Q) > MaxQ {
		p.bad("q", fmt.Sprintf("at most %d characters", MaxQ))
	}
	return f
}

// NetworkQuery reads the network and trend filters (Network).
func (p *Reader) NetworkQuery() analysis.NetworkQuery {
	q := analysis.NetworkQuery{
		Subregion:     p.Enum("subregion", registry.Subregions),
		Jurisdictions: p.Jurisdictions("jurisdiction"),
		VendorHQ:      p.Country("vendor_hq"),
		Certainty:     p.Enum("certainty", registry.Certainties),
		Capability:    p.Enum("technology", registry.Capabilities),
	}
	q.YearFrom, q.YearTo = p.years()
	return q
}

// Frameworks reads ?framework=a,b, each framework named once; none means
// every framework.
func (p *Reader) Frameworks(c *analysis.Classifier) []*rules.Framework {
	// Each framework named is classified and answered: a list of one
	// framework named 4,681 times, in a request's 64 KiB, took 9 s of CPU
	// and answered 60 MB. A list longer than the frameworks repeats one.
	ids := p.list("framework", len(c.Frameworks()), "frameworks, each once")
	if ids == nil && p.v.Get("framework") != "" { // refused
		return nil
	}
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			p.bad("framework", fmt.Sprintf("%q is named twice: name each framework once", registry.Clip(id)), c.FrameworkIDs()...)
			return nil
		}
	}
	fws, err := c.Select(ids)
	if err != nil {
		p.bad("framework", err.Error(), c.FrameworkIDs()...)
		return nil
	}
	return fws
}

// Framework reads ?framework=ID, which must name one framework; what says
// what it is for in the message.
func (p *Reader) Framework(c *analysis.Classifier, what string) *rules.Framework {
	id := p.v.Get("framework")
	fw, ok := c.Framework(id)
	if law, found := c.Law(id); !ok && found {
		p.bad("framework", analysis.NotEncodedError{Framework: law}.Error(), c.FrameworkIDs()...)
		return nil
	}
	if !ok {
		p.bad("framework", fmt.Sprintf("%q: name one framework %s", id, what), c.FrameworkIDs()...)
		return nil
	}
	return fw
}

// Tier reads ?tier=FRAMEWORK:TIER[,TIER...] into f's tier filter, on the
// day asOf.
func (p *Reader) Tier(c *analysis.Classifier, asOf time.Time, f *registry.DeploymentFilter) {
	v := p.v.Get("tier")
	if v == "" {
		return
	}
	fw, list, ok := strings.Cut(v, ":")
	if _, known := c.Framework(fw); !ok || !known {
		p.bad("tier", fmt.Sprintf("%q: want FRAMEWORK:TIER[,TIER...] with a known framework", registry.Clip(v)), c.FrameworkIDs()...)
		return
	}
	var tiers []string
	names := strings.Split(list, ",")
	if len(names) > len(TierNames()) { // repeats one
		p.bad("tier", fmt.Sprintf("at most %d tiers", len(TierNames())), TierNames()...)
		return
	}
	for _, t := range names {
		if !slices.Contains(TierNames(), t) {
			p.bad("tier", fmt.Sprintf("%q is not a tier", registry.Clip(t)), TierNames()...)
			return
		}
		tiers = append(tiers, t)
	}
	f.Tier = &registry.TierFilter{Framework: fw, Tiers: tiers, Day: asOf.Format(time.DateOnly)}
}

// TierNames lists the tiers, most severe first.
func TierNames() []string {
	out := make([]string, len(rules.AllTiers))
	for i, t := range rules.AllTiers {
		out[i] = string(t)
	}
	return out
}

// QueueFilter reads the filters of the reviewers' queue: state (any of
// them, comma-separated; the open ones when absent), jurisdiction, kind,
// after (the last id of the previous page) and limit.
func (p *Reader) QueueFilter() contrib.QueueFilter {
	f := contrib.QueueFilter{Jurisdiction: p.Country("jurisdiction"), Limit: contrib.MaxQueue}
	states := contrib.StateEnum
	if v := p.v.Get("state"); v == "" {
		f.States = []contrib.State{contrib.Pending, contrib.ChangesRequested}
	} else {
		// Each state is a parameter of the queue's statement: a list
		// longer than the states repeats one.
		for _, s := range p.list("state", len(states.Values), "states") {
			if !states.Has(s) {
				p.bad("state", fmt.Sprintf("%q is not a state of a submission", registry.Clip(s)), states.Values...)
				break
			}
			f.States = append(f.States, contrib.State(s))
		}
	}
	f.Kind = contrib.Kind(p.Enum("kind", contrib.KindEnum))
	if v := p.v.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			p.bad("after", "must be the id of a submission, a whole number from 1")
		}
		f.After = n
	}
	if v := p.v.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > contrib.MaxQueue {
			p.bad("limit", fmt.Sprintf("must be a whole number from 1 to %d", contrib.MaxQueue))
		} else {
			f.Limit = n
		}
	}
	return f
}
