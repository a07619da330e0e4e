package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"oversight/internal/cached"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/rules"
)

func (s *server) deployments(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), append(params.Deployment, "tier", "as_of", "limit", "cursor")...)
	f, asOf := s.deploymentQuery(p)
	f.Limit = p.Limit(100)
	if err := s.narrow(r.Context(), rd, p, &f); err != nil {
		return err
	}
	page, err := rd.DeploymentStates(r.Context(), f)
	if err != nil {
		return err
	}
	buf := bodies.Get().(*[]byte)
	defer bodies.Put(buf)
	body, err := s.listBody(r.Context(), rd, page, asOf, (*buf)[:0])
	if err != nil {
		return err
	}
	send(w, r, "application/json", body)
	if cap(body) <= maxPooledBody {
		*buf = body
	}
	return nil
}

// bodies keeps the buffers lists are written in, for the next list: a
// page of 50 is about 70 KB, which the writer copies (the response cache
// keeps its own copy), and a new buffer each request was, with its pages
// faulted in, more garbage than all the rest of the request.
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBody bounds the buffers bodies keeps: a page of 1,000 large
// deployments is written in a buffer of its own, left to the collector.
const maxPooledBody = 1 << 20

// listBody is a page of deployments as the API lists them, each with its
// tier under each framework on a day: {"items": [...], "next": "..."}.
// Each item is the deployment's stored state, which is its JSON, with
// "tiers" added at its end, so that no deployment of the page is decoded
// and encoded again: at 100k deployments that was a third of the CPU time
// of an uncached page of 50 (docs/performance.md, "Oversight against
// PocketBase"). The tiers come from the tier projection where it holds
// them all, and are classified otherwise.
func (s *server) listBody(ctx context.Context, rd Reader, page registry.Page[registry.Stored], asOf time.Time, b []byte) ([]byte, error) {
	ids := make([]string, len(page.Items))
	size := 64
	for i, st := range page.Items {
		ids[i] = st.ID
		size += len(st.State) + 1024
	}
	stored, ok, err := rd.TierTable(ctx, ids, asOf.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	fws := s.Classifier.FrameworkIDs()
	slices.Sort(fws)
	cols := stored.Columns(fws)
	var w rowWriter
	if cols != nil {
		w = newRowWriter(stored, fws, cols)
	}
	b = slices.Grow(b, size)
	b = append(b, `{"items":[`...)
	for i, st := range page.Items {
		row, whole := stored.Row(st.ID)
		whole = whole && ok && cols != nil && row.Len() == len(fws) && row.Has(cols)
		var tiers tierMap // when the row is not written as the table holds it
		if !whole {
			tiers = tierMap(stored.Map(st.ID))
			if !ok || len(tiers) != len(fws) {
				e, err := registry.Decode("deployment", st.State)
				if err != nil {
					return nil, fmt.Errorf("deployment %s: %w", st.ID, err)
				}
				tiers = tierMap{}
				for fw, tier := range s.Classifier.TiersOf(e.(*registry.Deployment), asOf) {
					tiers[fw] = string(tier)
				}
			}
		}
		state := bytes.TrimSpace(st.State)
		if len(state) < 2 || state[0] != '{' || state[len(state)-1] != '}' {
			return nil, fmt.Errorf("deployment %s: its stored state is not a JSON object", st.ID)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, state[:len(state)-1]...)
		if len(state) > 2 {
			b = append(b, ',')
		}
		b = append(b, `"tiers":`...)
		if whole {
			b = w.append(b, row)
		} else {
			b = tiers.appendJSON(b, fws)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	if page.Next != "" {
		b = append(b, `,"next":`...)
		b = appendString(b, page.Next)
	}
	return append(b, "}\n"...), nil
}

// deploymentQuery reads the deployment filters, the date tiers are read at
// and the tier filter.
func (s *server) deploymentQuery(p *params.Reader) (registry.DeploymentFilter, time.Time) {
	f := p.DeploymentFilter()
	asOf := p.AsOf(s.today())
	p.Tier(s.Classifier, asOf, &f)
	return f, asOf
}

// known refuses, in p, the codes of f the register holds no record of
// (cached.Known), as every route that takes a code does, and returns the
// codes checked.
func (s *server) known(ctx context.Context, rd Reader, p *params.Reader, f registry.DeploymentFilter) (*params.Codes, error) {
	return cached.Known(ctx, s.Memo, rd, s.Now(), s.open, p, f)
}

// narrow refuses codes the register holds no record of (known), returns
// everything wrong with the parameters, and narrows a tier filter on a
// national law to the jurisdictions it binds (params.Reach), as the
// search page does.
func (s *server) narrow(ctx context.Context, rd Reader, p *params.Reader, f *registry.DeploymentFilter) error {
	codes, err := s.known(ctx, rd, p, *f)
	if err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	if f.Tier != nil {
		fw, _ := s.Classifier.Framework(f.Tier.Framework)
		params.Reach(fw, codes.Jurisdictions, f)
	}
	return nil
}

// revisionSummary is a revision without its state, for histories.
type revisionSummary struct {
	Seq    int64  `json:"seq"`
	Op     string `json:"op"`
	Author string `json:"author"`
	Reason string `json:"reason,omitempty"`
	Into   string `json:"into,omitempty"` // on a merge: the id the record was merged into
	// Contributor is the pseudonym of whoever proposed the change, when a
	// reviewer (the author) accepted it from a submission.
	Contributor string `json:"contributor,omitempty"`
	Time        string `json:"time"`
	Proof       string `json:"proof"` // URL of the revision with its inclusion proof
}

func history(ctx context.Context, rd Reader, kind, id string) ([]revisionSummary, error) {
	revs, err := rd.History(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	out := make([]revisionSummary, len(revs))
	for i, rv := range revs {
		out[i] = revisionSummary{rv.Seq, rv.Op, rv.Author, rv.Reason, rv.Into, rv.Contributor, rv.Time.Format("2006-01-02T15:04:05Z"), fmt.Sprintf("/api/v1/log/revisions/%d", rv.Seq)}
	}
	return out, nil
}

// noParams refuses any query parameter.
func noParams(r *http.Request) error { return params.Read(r.URL.Query()).Err() }

func (s *server) deployment(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	e, err := rd.Get(r.Context(), "deployment", r.PathValue("id"))
	if err != nil {
		return s.retracted(w, r, rd, "deployment", r.PathValue("id"), "", err)
	}
	hist, err := history(r.Context(), rd, "deployment", e.Key())
	if err != nil {
		return err
	}
	d := e.(*registry.Deployment)
	found, err := rd.GetMany(r.Context(), d.ReplyIDs())
	if err != nil {
		return err
	}
	replies := []*registry.Reply{}
	for _, e := range found {
		replies = append(replies, e.(*registry.Reply))
	}
	slices.SortFunc(replies, func(a, b *registry.Reply) int { return strings.Compare(a.ID, b.ID) })
	return sendJSON(w, r, struct {
		*registry.Deployment
		Tiers          map[string]rules.Tier `json:"tiers"`
		Classification string                `json:"classification"`
		Revisions      []revisionSummary     `json:"revisions"`
		Replies        []*registry.Reply     `json:"replies"`
	}{d, s.Classifier.TiersOf(d, s.today()), "/api/v1/deployments/" + e.Key() + "/classification", hist, replies})
}

func (s *server) list(kind string) reading {
	return func(w http.ResponseWriter, r *http.Request, rd Reader) error {
		allowed := []string{"limit", "cursor"}
		if kind == "claim" || kind == "instrument" {
			allowed = append(allowed, "jurisdiction")
		}
		p := params.Read(r.URL.Query(), allowed...)
		limit, juris, cursor := p.Limit(100), p.Country("jurisdiction"), p.Cursor()
		if _, err := s.known(r.Context(), rd, p, params.CountryCodes(juris)); err != nil {
			return err
		}
		if err := p.Err(); err != nil {
			return err
		}
		page, err := rd.List(r.Context(), kind, juris, cursor, limit)
		if err != nil {
			return err
		}
		return sendJSON(w, r, collection[registry.Entity]{Items: nonNil(page.Items), Next: page.Next})
	}
}

func (s *server) entity(kind string) reading {
	return func(w http.ResponseWriter, r *http.Request, rd Reader) error {
		if err := noParams(r); err != nil {
			return err
		}
		e, err := rd.Get(r.Context(), kind, r.PathValue("id"))
		if err != nil {
			return s.retracted(w, r, rd, kind, r.PathValue("id"), "", err)
		}
		hist, err := history(r.Context(), rd, kind, e.Key())
		if err != nil {
			return err
		}
		return sendJSON(w, r, map[string]any{"item": e, "revisions": hist})
	}
}

// deploymentRef is a deployment as a vendor or jurisdiction lists it.
type deploymentRef struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Jurisdiction string   `json:"jurisdiction"`
	Roles        []string `json:"roles,omitempty"`
	URL          string   `json:"url"`
}

// recordDeployments bounds the deployments a jurisdiction's or a vendor's
// record lists; deployments_next is the list's URL for the rest. Listed
// whole, one vendor of a million deployments (66,000 of them) took longer
// than a request's deadline to read even alone, and every request for it
// held a place among the readers until then (docs/performance.md,
// "Overload"). A variable so that tests can page a small register.
var recordDeployments = 100

// refs returns the first recordDeployments deployments that f selects, as
// a record lists them with the roles vendor has in each, and the URL of
// the list of the rest ("" when there are none). param and value are the
// list's filter that selects the same deployments as f.
func refs(ctx context.Context, rd Reader, f registry.DeploymentFilter, vendor, param, value string) ([]deploymentRef, string, error) {
	f.Limit = recordDeployments
	page, err := rd.Deployments(ctx, f)
	if err != nil {
		return nil, "", err
	}
	out := make([]deploymentRef, 0, len(page.Items))
	for _, d := range page.Items {
		ref := deploymentRef{ID: d.ID, Title: d.Title, Jurisdiction: d.Jurisdiction, URL: "/api/v1/deployments/" + d.ID}
		for _, v := range d.Vendors {
			if v.Vendor == vendor {
				ref.Roles = append(ref.Roles, v.Role)
			}
		}
		for _, fin := range d.Financing {
			if vendor != "" && fin.Lender == vendor && !slices.Contains(ref.Roles, "financier") {
				ref.Roles = append(ref.Roles, "financier")
			}
		}
		out = append(out, ref)
	}
	if page.Next == "" {
		return out, "", nil
	}
	q := url.Values{param: {value}, "limit": {strconv.Itoa(recordDeployments)}, "cursor": {page.Next}}
	return out, "/api/v1/deployments?" + q.Encode(), nil
}

func (s *server) jurisdiction(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	ctx := r.Context()
	e, err := rd.Get(ctx, "jurisdiction", strings.ToUpper(r.PathValue("id")))
	if err != nil {
		return s.retracted(w, r, rd, "jurisdiction", strings.ToUpper(r.PathValue("id")), "", err)
	}
	j := e.(*registry.Jurisdiction)
	deps, next, err := refs(ctx, rd, registry.DeploymentFilter{Jurisdictions: []string{j.Code}}, "", "jurisdiction", j.Code)
	if err != nil {
		return err
	}
	claims, err := rd.List(ctx, "claim", j.Code, "", registry.MaxLimit)
	if err != nil {
		return err
	}
	hist, err := history(ctx, rd, "jurisdiction", j.Code)
	if err != nil {
		return err
	}
	return sendJSON(w, r, struct {
		*registry.Jurisdiction
		Deployments     []deploymentRef   `json:"deployments"`
		DeploymentsNext string            `json:"deployments_next,omitempty"`
		Claims          []registry.Entity `json:"claims"`
		Revisions       []revisionSummary `json:"revisions"`
	}{j, deps, next, nonNil(claims.Items), hist})
}

func (s *server) vendor(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if err := noParams(r); err != nil {
		return err
	}
	ctx := r.Context()
	e, err := rd.Get(ctx, "vendor", r.PathValue("id"))
	if err != nil {
		return s.retracted(w, r, rd, "vendor", r.PathValue("id"), "", err)
	}
	deps, next, err := refs(ctx, rd, registry.DeploymentFilter{Vendors: []string{e.Key()}}, e.Key(), "vendor", e.Key())
	if err != nil {
		return err
	}
	hist, err := history(ctx, rd, "vendor", e.Key())
	if err != nil {
		return err
	}
	return sendJSON(w, r, struct {
		*registry.Vendor
		Deployments     []deploymentRef   `json:"deployments"`
		DeploymentsNext string            `json:"deployments_next,omitempty"`
		Revisions       []revisionSummary `json:"revisions"`
	}{e.(*registry.Vendor), deps, next, hist})
}

func (s *server) sources(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), "limit", "cursor")
	limit, cursor := p.Limit(100), p.Cursor()
	if err := p.Err(); err != nil {
		return err
	}
	page, err := rd.Sources(r.Context(), cursor, limit)
	if err != nil {
		return err
	}
	return sendJSON(w, r, collection[registry.SourceUse]{Items: nonNil(page.Items), Next: page.Next})
}
