package review

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"oversight/contrib"
	"oversight/registry"
)

// A Candidate is a record that may be the same deployment as a
// submission's, with the reasons to think so.
type Candidate struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Why   []string `json:"why"`
}

// maxCandidates bounds the duplicates shown; each reason reads at most
// perReason records, so that a common vendor costs a page, not a scan.
const (
	maxCandidates = 10
	perReason     = 20
)

// Duplicates finds records of the submission's jurisdiction that share its
// record's place, operator or a vendor, or words of its title, those with
// most reasons first. The record a submission concerns is not a duplicate
// of it.
func Duplicates(ctx context.Context, rd registry.Reader, sub *contrib.Submission) ([]Candidate, error) {
	d := sub.Record
	out := []Candidate{}
	if d == nil || sub.Jurisdiction == "" {
		return out, nil
	}
	found := map[string]*Candidate{}
	var order []string
	look := func(f registry.DeploymentFilter, why string, keep func(*registry.Deployment) bool) error {
		f.Jurisdictions, f.Limit = []string{sub.Jurisdiction}, perReason
		page, err := rd.Deployments(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			if c.ID == d.ID || c.ID == sub.Target || keep != nil && !keep(c) {
				continue
			}
			if found[c.ID] == nil {
				found[c.ID] = &Candidate{ID: c.ID, Title: c.Title}
				order = append(order, c.ID)
			}
			found[c.ID].Why = append(found[c.ID].Why, why)
		}
		return nil
	}
	var vendors []string
	for _, v := range d.Vendors {
		if !slices.Contains(vendors, v.Vendor) && len(vendors) < 5 {
			vendors = append(vendors, v.Vendor)
		}
	}
	for _, v := range vendors {
		if err := look(registry.DeploymentFilter{Vendors: []string{v}}, "same vendor "+v, nil); err != nil {
			return nil, err
		}
	}
	if q := words(d.Place.Name, 4); q != "" {
		if err := look(registry.DeploymentFilter{Q: q}, "same place", func(c *registry.Deployment) bool {
			return strings.EqualFold(c.Place.Name, d.Place.Name)
		}); err != nil {
			return nil, err
		}
	}
	if q := words(d.Operator.Name, 4); q != "" {
		if err := look(registry.DeploymentFilter{Q: q}, "same operator", func(c *registry.Deployment) bool {
			return strings.EqualFold(c.Operator.Name, d.Operator.Name)
		}); err != nil {
			return nil, err
		}
	}
	if q := words(d.Title, 3); q != "" {
		if err := look(registry.DeploymentFilter{Q: q}, "similar title", nil); err != nil {
			return nil, err
		}
	}
	for _, id := range order {
		out = append(out, *found[id])
	}
	slices.SortStableFunc(out, func(a, b Candidate) int { return len(b.Why) - len(a.Why) })
	if len(out) > maxCandidates {
		out = out[:maxCandidates]
	}
	return out, nil
}

// words returns the n longest words of s of four characters or more,
// which say most about it, joined by spaces: a full-text query in which
// every word must match.
func words(s string, n int) string {
	ws := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	ws = slices.DeleteFunc(ws, func(w string) bool { return len([]rune(w)) < 4 })
	slices.SortStableFunc(ws, func(a, b string) int { return len(b) - len(a) })
	return strings.Join(ws[:min(n, len(ws))], " ")
}
