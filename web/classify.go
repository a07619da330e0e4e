package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"oversight/analysis"
	"oversight/registry"
	"oversight/rules"
)

// asOfParam reads ?as_of=YYYY-MM-DD, defaulting to today (UTC).
func asOfParam(r *http.Request) (time.Time, error) {
	v := r.URL.Query().Get("as_of")
	if v == "" {
		y, m, d := time.Now().UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return t, queryErrors{{Location: "query.as_of", Message: fmt.Sprintf("%q is not a date YYYY-MM-DD", v)}}
	}
	return t, nil
}

// frameworksParam reads ?framework=a,b; none means every framework.
func (s *server) frameworksParam(r *http.Request) ([]*rules.Framework, error) {
	var ids []string
	if v := r.URL.Query().Get("framework"); v != "" {
		ids = strings.Split(v, ",")
	}
	fws, err := s.cls.Select(ids)
	if err != nil {
		return nil, queryErrors{{Location: "query.framework", Message: err.Error(), Allowed: s.cls.FrameworkIDs()}}
	}
	return fws, nil
}

// tierFilter applies ?tier=FRAMEWORK:TIER[,TIER...] to a deployment filter:
// each deployment the other filters select is classified as of ?as_of as
// the list reads it.
func (s *server) tierFilter(r *http.Request, f *registry.DeploymentFilter) error {
	v := r.URL.Query().Get("tier")
	if v == "" {
		return nil
	}
	asOf, err := asOfParam(r)
	if err != nil {
		return err
	}
	fw, list, ok := strings.Cut(v, ":")
	if _, known := s.cls.Framework(fw); !ok || !known {
		return queryErrors{{Location: "query.tier", Message: fmt.Sprintf("%q: want FRAMEWORK:TIER[,TIER...] with a known framework", v), Allowed: s.cls.FrameworkIDs()}}
	}
	var tiers []rules.Tier
	for _, t := range strings.Split(list, ",") {
		if !contains(tierNames(), t) {
			return queryErrors{{Location: "query.tier", Message: fmt.Sprintf("%q is not a tier", t), Allowed: tierNames()}}
		}
		tiers = append(tiers, rules.Tier(t))
	}
	match, err := s.cls.TierMatch(fw, tiers, asOf)
	f.Match = match
	return err
}

func tierNames() []string {
	out := make([]string, len(rules.AllTiers))
	for i, t := range rules.AllTiers {
		out[i] = string(t)
	}
	return out
}

// classifyParams reads the parameters of the classification endpoints.
func (s *server) classifyParams(r *http.Request) (time.Time, []*rules.Framework, error) {
	if err := onlyParams(r, "framework", "as_of"); err != nil {
		return time.Time{}, nil, err
	}
	asOf, err := asOfParam(r)
	if err != nil {
		return asOf, nil, err
	}
	fws, err := s.frameworksParam(r)
	return asOf, fws, err
}

// deploymentQuery reads the deployment filters, the tier filter and the
// date tiers are read at, plus the extra parameters an endpoint allows.
func (s *server) deploymentQuery(r *http.Request, extra ...string) (registry.DeploymentFilter, time.Time, error) {
	f, err := deploymentFilter(r, append(extra, "tier", "as_of")...)
	if err != nil {
		return f, time.Time{}, err
	}
	if err := s.tierFilter(r, &f); err != nil {
		return f, time.Time{}, err
	}
	asOf, err := asOfParam(r)
	return f, asOf, err
}

// classification answers with a deployment's classification under every
// framework (or those asked for), with reasons.
func (s *server) classification(w http.ResponseWriter, r *http.Request) {
	asOf, fws, err := s.classifyParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.reg.Get(r.Context(), "deployment", r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cl, err := s.cls.Deployment(e.(*registry.Deployment), fws, asOf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, cl)
}

// classify classifies a fact document sent in the request body.
func (s *server) classify(w http.ResponseWriter, r *http.Request) {
	asOf, fws, err := s.classifyParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		problem(w, http.StatusRequestEntityTooLarge, "a fact document is at most 1 MiB", nil)
		return
	}
	schema, err := rules.FactSchema()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	facts, err := schema.ParseFacts("", body)
	if err != nil {
		var fe rules.FieldErrors
		if errors.As(err, &fe) {
			errs := make([]fieldError, len(fe))
			for i, e := range fe {
				errs[i] = fieldError{Location: "body" + e.Field, Message: e.Msg}
			}
			problem(w, http.StatusUnprocessableEntity, "not a valid "+rules.SchemaID+" document", errs)
			return
		}
		s.fail(w, r, err)
		return
	}
	out := analysis.Classify(facts, fws, asOf)
	w.Header().Set("Cache-Control", "no-store")
	sendJSON(w, r, out)
}

// frameworkSummary is a framework as the list shows it.
type frameworkSummary struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	ShortTitle    string   `json:"short_title"`
	Kind          string   `json:"kind"`
	Status        string   `json:"status"`
	Scope         string   `json:"scope"`
	Binds         []string `json:"binds"`
	Signatories   []string `json:"signatories"`
	Proposal      bool     `json:"proposal"`
	EffectiveFrom string   `json:"effective_from,omitempty"`
	URL           string   `json:"url"`
	Rules         int      `json:"rules"`
	Link          string   `json:"link"`
}

func (s *server) frameworks(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	out := []frameworkSummary{}
	for _, fw := range s.cls.Frameworks() {
		out = append(out, frameworkSummary{fw.ID, fw.Title, fw.ShortTitle, fw.Kind, fw.Status, fw.Scope,
			nonNil(fw.Binds), nonNil(fw.Signatories), fw.Proposal, fw.EffectiveFrom, fw.URL, len(fw.Rules), "/api/v1/frameworks/" + fw.ID})
	}
	sendJSON(w, r, collection[frameworkSummary]{Items: out})
}

func (s *server) framework(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	fw, ok := s.cls.Framework(r.PathValue("id"))
	if !ok {
		problem(w, http.StatusNotFound, "no such framework: "+r.PathValue("id"), []fieldError{{Location: "path.id", Message: "unknown framework", Allowed: s.cls.FrameworkIDs()}})
		return
	}
	sendJSON(w, r, fw)
}

// scenario answers what a framework would change in the jurisdictions asked:
// the counts over every deployment, and one page of the deployments, as
// lists are paged, so that no answer holds the whole register.
func (s *server) scenario(w http.ResponseWriter, r *http.Request) {
	limit, err := pageParams(r, "framework", "jurisdiction", "as_of", "limit", "cursor")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.URL.Query().Get("framework")
	fw, ok := s.cls.Framework(id)
	if !ok {
		s.fail(w, r, queryErrors{{Location: "query.framework", Message: fmt.Sprintf("%q: name one framework to simulate", id), Allowed: s.cls.FrameworkIDs()}})
		return
	}
	asOf, err := asOfParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var juris []string
	if v := r.URL.Query().Get("jurisdiction"); v != "" {
		for _, c := range strings.Split(v, ",") {
			c = strings.ToUpper(strings.TrimSpace(c))
			if !alpha2.MatchString(c) {
				s.fail(w, r, queryErrors{{Location: "query.jurisdiction", Message: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", c)}})
				return
			}
			juris = append(juris, c)
		}
	}
	sc, err := s.cls.Simulate(r.Context(), s.reg, fw, juris, asOf, analysis.ItemPage{Cursor: r.URL.Query().Get("cursor"), Limit: limit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendJSON(w, r, sc)
}

func (s *server) factSchema(w http.ResponseWriter, r *http.Request) {
	if err := onlyParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	send(w, r, "application/schema+json", rules.SchemaJSON())
}
