package web

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"oversight/registry"
)

// queryErrors lists what is wrong with a request's query parameters.
type queryErrors []fieldError

func (q queryErrors) Error() string {
	parts := make([]string, len(q))
	for i, e := range q {
		parts[i] = e.Location + ": " + e.Message
	}
	return strings.Join(parts, "; ")
}

// deploymentParams are the filters of the deployment list and export.
var deploymentParams = []string{"jurisdiction", "vendor", "vendor_hq", "technology", "status", "certainty", "year_from", "year_to", "q"}

var (
	alpha2 = regexp.MustCompile(`^[A-Z]{2}$`)
	slug   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// onlyParams refuses parameters an endpoint does not know, so that a
// misspelt filter is an error rather than a silently unfiltered answer.
func onlyParams(r *http.Request, allowed ...string) error {
	var errs queryErrors
	for name, vs := range r.URL.Query() {
		if !contains(allowed, name) {
			msg := "unknown parameter"
			if len(allowed) == 0 {
				msg = "this endpoint takes no parameters"
			}
			errs = append(errs, fieldError{Location: "query." + name, Message: msg, Allowed: allowed})
		} else if len(vs) > 1 {
			errs = append(errs, fieldError{Location: "query." + name, Message: "give it once (use commas for several jurisdictions)"})
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Location < errs[j].Location })
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// pageParams checks a list's parameters and returns its page size.
func pageParams(r *http.Request, allowed ...string) (int, error) {
	if err := onlyParams(r, allowed...); err != nil {
		return 0, err
	}
	return limitParam(r)
}

func limitParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > registry.MaxLimit {
		return 0, queryErrors{{Location: "query.limit", Message: fmt.Sprintf("must be a whole number from 1 to %d", registry.MaxLimit)}}
	}
	return n, nil
}

// deploymentFilter reads and checks the deployment filters, plus the extra
// parameters an endpoint allows.
func deploymentFilter(r *http.Request, extra ...string) (registry.DeploymentFilter, error) {
	var f registry.DeploymentFilter
	if err := onlyParams(r, append(append([]string{}, deploymentParams...), extra...)...); err != nil {
		return f, err
	}
	q := r.URL.Query()
	var errs queryErrors
	enum := func(name string, e registry.Enum) string {
		v := q.Get(name)
		if v != "" && !e.Has(v) {
			errs = append(errs, fieldError{Location: "query." + name, Message: fmt.Sprintf("%q is not a known %s", v, e.Name), Allowed: e.Values})
		}
		return v
	}
	year := func(name string) int {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1900 || n > 2100 {
			errs = append(errs, fieldError{Location: "query." + name, Message: "must be a year from 1900 to 2100"})
		}
		return n
	}
	if v := q.Get("jurisdiction"); v != "" {
		for _, c := range strings.Split(v, ",") {
			c = strings.ToUpper(strings.TrimSpace(c))
			if !alpha2.MatchString(c) {
				errs = append(errs, fieldError{Location: "query.jurisdiction", Message: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", c)})
			}
			f.Jurisdictions = append(f.Jurisdictions, c)
		}
	}
	if f.Vendor = q.Get("vendor"); f.Vendor != "" && !slug.MatchString(f.Vendor) {
		errs = append(errs, fieldError{Location: "query.vendor", Message: "must be a vendor id (see /api/v1/vendors)"})
	}
	if f.VendorHQ = strings.ToUpper(q.Get("vendor_hq")); f.VendorHQ != "" && !alpha2.MatchString(f.VendorHQ) {
		errs = append(errs, fieldError{Location: "query.vendor_hq", Message: "must be an ISO 3166-1 alpha-2 code"})
	}
	f.Capability = enum("technology", registry.Capabilities)
	f.Status = enum("status", registry.Statuses)
	f.Certainty = enum("certainty", registry.Certainties)
	f.YearFrom, f.YearTo = year("year_from"), year("year_to")
	if f.YearFrom != 0 && f.YearTo != 0 && f.YearFrom > f.YearTo {
		errs = append(errs, fieldError{Location: "query.year_from", Message: "must not be after year_to"})
	}
	f.Q = q.Get("q")
	if len(f.Q) > 200 {
		errs = append(errs, fieldError{Location: "query.q", Message: "at most 200 characters"})
	}
	f.Cursor = q.Get("cursor")
	if contains(extra, "limit") {
		n, err := limitParam(r)
		if err != nil {
			errs = append(errs, err.(queryErrors)...)
		}
		f.Limit = n
	}
	if len(errs) > 0 {
		return f, errs
	}
	return f, nil
}
