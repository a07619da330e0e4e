package registry

import (
	"regexp"
	"strings"
)

// A Reply is an organisation's answer to a record that names it (the right
// of reply): a vendor's, or an operator's, shown beside the record with its
// date, and logged like any record. It is the organisation's word, not
// the register's, so it needs no source; it may point to pages that
// support it. An organisation has one reply to a record, which it may
// revise (the log keeps each version) or withdraw (a retraction).
type Reply struct {
	ID         string   `json:"id"`         // see ReplyID
	Deployment string   `json:"deployment"` // the record answered
	OrgKind    string   `json:"org_kind"`   // OrgKinds
	Org        string   `json:"org"`        // the vendor's id, or the operator's name as the record gives it
	Author     string   `json:"author"`     // the account that wrote it, for the organisation
	Date       Date     `json:"date"`       // when it was given
	Text       string   `json:"text"`
	Sources    []Source `json:"sources,omitempty"`
}

// OrgKinds are the organisations a reply may come from.
var OrgKinds = Enum{"organisation kind", []string{"vendor", "operator"}}

func (*Reply) Kind() string  { return "reply" }
func (r *Reply) Key() string { return r.ID }

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// ReplyID is the id of an organisation's reply to a deployment:
// DEPLOYMENT--KIND--ORG, the organisation's name made a slug of at most 40
// characters. A record's replies are found by the ids of the
// organisations it names (ReplyIDs), with them.
func ReplyID(deployment, orgKind, org string) string {
	slug := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(org), "-"), "-")
	if len(slug) > 40 {
		slug = strings.TrimRight(slug[:40], "-")
	}
	return deployment + "--" + orgKind + "--" + slug
}

// Names reports whether a deployment names an organisation: a vendor in
// any role or as a lender, an operator by the name the record gives it.
func (d *Deployment) Names(orgKind, org string) bool {
	switch orgKind {
	case "vendor":
		for _, v := range d.Vendors {
			if v.Vendor == org {
				return true
			}
		}
		for _, f := range d.Financing {
			if f.Lender == org {
				return true
			}
		}
	case "operator":
		return d.Operator.Name != "" && d.Operator.Name == org
	}
	return false
}

// ReplyIDs are the ids of the replies the organisations a deployment names
// may have given to it.
func (d *Deployment) ReplyIDs() []EntityID {
	var out []EntityID
	for _, v := range d.Vendors {
		out = append(out, EntityID{Kind: "reply", ID: ReplyID(d.ID, "vendor", v.Vendor)})
	}
	for _, f := range d.Financing {
		if f.Lender != "" {
			out = append(out, EntityID{Kind: "reply", ID: ReplyID(d.ID, "vendor", f.Lender)})
		}
	}
	if d.Operator.Name != "" {
		out = append(out, EntityID{Kind: "reply", ID: ReplyID(d.ID, "operator", d.Operator.Name)})
	}
	return out
}

// Validate checks a reply on its own; that its deployment exists is
// checked with the batch.
func (r *Reply) Validate() error {
	var c checker
	if !c.values(r) {
		return c.errs.Err()
	}
	c.slug("deployment", r.Deployment)
	c.enum("org_kind", OrgKinds, r.OrgKind)
	c.required("org", r.Org)
	c.required("author", r.Author)
	if c.required("text", r.Text) && strings.TrimSpace(r.Text) == "" {
		c.add("text", "is blank")
	}
	c.date("date", r.Date)
	if r.Date.IsZero() {
		c.add("date", "is required (YYYY-MM-DD)")
	}
	c.sources("sources", r.Sources, false)
	if want := ReplyID(r.Deployment, r.OrgKind, r.Org); r.ID != want {
		c.add("id", "%q is not this reply's id: %q", r.ID, want)
	}
	return c.errs.Err()
}
