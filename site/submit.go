package site

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"oversight/account"
	"oversight/contrib"
	"oversight/internal/auth"
	"oversight/internal/params"
	"oversight/registry"
)

// The submission form: anyone proposes a new deployment, or a change,
// correction or dispute of one, with up to evidenceRows pages of evidence;
// it shows the record's vendors and vendorRows more rows at least. The API
// takes any number within the limits.
const (
	evidenceRows = 3
	vendorRows   = 3
	// shownErrors bounds the problems the form lists at once; it counts
	// the rest.
	shownErrors = 50
)

// submitForm shows the form; ?target=ID&kind=change fills it from the
// record to change.
func (s *Site) submitForm(w http.ResponseWriter, r *http.Request, rd Reader) error {
	q := params.Read(r.URL.Query(), "kind", "target")
	p := &contrib.Proposal{Kind: contrib.Kind(q.Enum("kind", contrib.KindEnum)), Target: q.ID("target", "a deployment's id")}
	if err := q.Err(); err != nil {
		return err
	}
	if p.Kind == "" {
		p.Kind = contrib.New
	}
	var errs registry.Errors
	if p.Target != "" {
		e, err := rd.Get(r.Context(), "deployment", p.Target)
		if errors.Is(err, registry.ErrNotFound) {
			errs = registry.Errors{{Path: "target", Msg: "the register has no deployment " + p.Target}}
		} else if err != nil {
			return err
		} else {
			p.Record = e.(*registry.Deployment)
		}
	}
	return s.showSubmitForm(w, r, http.StatusOK, p, errs)
}

func (s *Site) showSubmitForm(w http.ResponseWriter, r *http.Request, status int, p *contrib.Proposal, errs registry.Errors) error {
	token, err := auth.FormToken(w, r)
	if err != nil {
		return err
	}
	d := p.Record
	if d == nil {
		d = &registry.Deployment{}
	}
	vendors := append(slices.Clone(d.Vendors), registry.VendorRole{}) // a row to add one
	for len(vendors) < vendorRows {
		vendors = append(vendors, registry.VendorRole{})
	}
	evidence := slices.Clone(p.Evidence)
	for len(evidence) < evidenceRows {
		evidence = append(evidence, registry.Source{})
	}
	// Only an operator's own account declares a system, or calls a record
	// self-declared.
	who := auth.FromContext(r.Context()).Principal
	certainties := registry.Certainties.Values
	if !declares(who) && d.Certainty != registry.SelfDeclared {
		certainties = slices.DeleteFunc(slices.Clone(certainties), func(c string) bool { return c == registry.SelfDeclared })
	}
	w.Header().Set("Cache-Control", "no-store")
	shown := errs[:min(len(errs), shownErrors)]
	s.render(w, r, status, "submit", map[string]any{
		"Title": "Propose a deployment or a correction", "P": p, "D": d, "Vendors": vendors, "Evidence": evidence, "Errors": shown, "MoreErrors": len(errs) - len(shown),
		"CSRF": token, "Kinds": contrib.KindEnum.Values, "Capabilities": registry.Capabilities.Values, "Purposes": registry.Purposes.Values,
		"Statuses": registry.Statuses.Values, "OperatorKinds": registry.OperatorKinds.Values, "Roles": registry.VendorRoles.Values,
		"Levels": registry.PlaceLevels.Values, "Certainties": certainties, "Decl": declarationForm(who, d),
	})
	return nil
}

// submit keeps a proposal sent from the form and shows its receipt, the
// only time the receipt's token is shown.
func (s *Site) submit(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p, err := proposalFromForm(r, rd)
	if err != nil {
		return err
	}
	token, err := account.NewToken(account.ReceiptPrefix)
	if err != nil {
		return err
	}
	sub, err := s.Submissions.Submit(r.Context(), p, auth.FromContext(r.Context()).Name, account.HashToken(token), s.Now())
	var e *registry.Error
	if errors.As(err, &e) && e.Code == registry.EInvalid {
		return s.showSubmitForm(w, r, http.StatusUnprocessableEntity, p, e.Fields)
	} else if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	title, err := targetTitle(r.Context(), rd, sub)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusCreated, "receipt", map[string]any{"Title": "Submission received", "S": sub.Public(), "Token": token, "New": true, "TargetTitle": title})
	return nil
}

// proposalFromForm reads the form into a proposal. The record's facts cite
// every piece of evidence: the contributor's evidence is for the whole
// proposal. A change starts from the record it changes, so that what the
// form does not show is kept.
func proposalFromForm(r *http.Request, rd Reader) (*contrib.Proposal, error) {
	f := r.PostForm
	p := &contrib.Proposal{Kind: contrib.Kind(f.Get("kind")), Target: strings.TrimSpace(f.Get("target")),
		Message: f.Get("message"), Pseudonym: strings.TrimSpace(f.Get("pseudonym")), Contact: f.Get("contact")}
	var keys []string
	for i := range evidenceRows {
		n := "evidence" + strconv.Itoa(i) + "."
		src := registry.Source{URL: strings.TrimSpace(f.Get(n + "url")), Title: f.Get(n + "title"), Publisher: f.Get(n + "publisher"),
			Excerpt: f.Get(n + "excerpt"), Language: strings.TrimSpace(f.Get(n + "language")), Translated: f.Get(n+"translated") == "yes",
			Original: f.Get(n + "original")}
		if src.URL == "" && src.Title == "" && src.Excerpt == "" {
			continue
		}
		// What no field of the proposal can hold is kept as a problem of
		// it, reported with the rest (contrib.Proposal.Check).
		at := "evidence[" + strconv.Itoa(len(p.Evidence)) + "]."
		if tr := f.Get(n + "translated"); tr != "" && tr != "yes" {
			p.Unread = append(p.Unread, &registry.FieldError{Path: at + "translated", Msg: "is yes (a checked box) or absent", Allowed: []string{"yes"}})
		}
		if pub := strings.TrimSpace(f.Get(n + "published")); pub != "" {
			if err := src.Published.UnmarshalText([]byte(pub)); err != nil {
				p.Unread = append(p.Unread, &registry.FieldError{Path: at + "published", Msg: "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"})
			}
		}
		src.Key = "e" + strconv.Itoa(len(p.Evidence)+1)
		keys = append(keys, src.Key)
		p.Evidence = append(p.Evidence, src)
	}
	if f.Get("title") == "" && p.Kind != contrib.New && p.Kind != contrib.Change {
		return p, nil // a correction or dispute in words alone
	}
	d := &registry.Deployment{}
	if p.Target != "" && p.Kind != contrib.New {
		e, err := rd.Get(r.Context(), "deployment", p.Target)
		if err != nil && !errors.Is(err, registry.ErrNotFound) {
			return nil, err
		}
		if cur, ok := e.(*registry.Deployment); ok {
			d = cur
		}
	}
	d.Title, d.Jurisdiction, d.Summary = f.Get("title"), strings.ToUpper(strings.TrimSpace(f.Get("jurisdiction"))), f.Get("summary")
	if d.ID == "" {
		d.ID = slugOf(d.Jurisdiction + " " + d.Title)
	}
	d.Place.Name, d.Place.Level = f.Get("place.name"), f.Get("place.level")
	// A fact the form leaves as it was keeps its sources (and what the
	// form does not show); a fact it changes cites the evidence.
	if op := (registry.Operator{Name: f.Get("operator.name"), Kind: f.Get("operator.kind")}); op.Name != d.Operator.Name || op.Kind != d.Operator.Kind {
		if op.Name != "" || op.Kind != "" && op.Kind != "unknown" {
			op.Sources = keys
		}
		d.Operator = op
	}
	if caps, purps := f["capabilities"], f["purposes"]; !slices.Equal(caps, d.System.Capabilities) || !slices.Equal(purps, d.System.Purposes) {
		d.System.Capabilities, d.System.Purposes, d.System.Sources = caps, purps, nil
		if len(caps)+len(purps) > 0 || d.System.Description != "" {
			d.System.Sources = keys
		}
	}
	was := d.Vendors
	d.Vendors = nil
	for i := 0; i < registry.ListLimits["vendors"] && f.Has("vendor"+strconv.Itoa(i)+".id"); i++ {
		n := "vendor" + strconv.Itoa(i) + "."
		vr := registry.VendorRole{Vendor: strings.TrimSpace(f.Get(n + "id")), Role: f.Get(n + "role"), Sources: keys}
		if vr.Vendor == "" {
			continue
		}
		if j := slices.IndexFunc(was, func(o registry.VendorRole) bool { return o.Vendor == vr.Vendor && o.Role == vr.Role }); j >= 0 {
			vr = was[j]
		}
		d.Vendors = append(d.Vendors, vr)
	}
	if v := f.Get("status"); v != d.Status.Value {
		d.Status = registry.Status{Value: v}
		if v != "unknown" {
			d.Status.Sources = keys
		}
	}
	d.Certainty = f.Get("certainty")
	if who := auth.FromContext(r.Context()).Principal; declares(who) {
		// The operator's declaration: the form shows all of it, so what
		// it sends replaces it. A new record it declares names it.
		d.Declaration = declarationFromForm(f)
		if d.Declaration != nil && d.Operator.Name == "" {
			d.Operator = registry.Operator{Name: who.Org.ID, Kind: d.Operator.Kind, Sources: keys}
		}
	}
	p.Record = d
	return p, nil
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugOf makes an id for a new record from its jurisdiction and title.
func slugOf(s string) string {
	id := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(id) > 60 {
		id = strings.TrimRight(id[:60], "-")
	}
	return id
}
