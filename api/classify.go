package api

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"oversight/analysis"
	"oversight/internal/cached"
	"oversight/internal/memo"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/rules"
)

// classification answers with a deployment's classification under every
// framework (or those asked for), with reasons.
func (s *server) classification(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), "framework", "as_of")
	asOf, fws := p.AsOf(s.today()), p.Frameworks(s.Classifier)
	if err := p.Err(); err != nil {
		return err
	}
	e, err := rd.Get(r.Context(), "deployment", r.PathValue("id"))
	if err != nil {
		return s.retracted(w, r, rd, "deployment", r.PathValue("id"), "/classification", err)
	}
	return sendJSON(w, r, s.Classifier.Deployment(e.(*registry.Deployment), fws, asOf))
}

// maxFacts bounds the body of a fact document.
const maxFacts = 1 << 20

// classify classifies a fact document sent in the request body.
func (s *server) classify(w http.ResponseWriter, r *http.Request) {
	p := params.Read(r.URL.Query(), "framework", "as_of")
	asOf, fws := p.AsOf(s.today()), p.Frameworks(s.Classifier)
	if err := p.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFacts))
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
			errs := make(registry.Errors, len(fe))
			for i, e := range fe {
				errs[i] = &registry.FieldError{Path: "body" + e.Field, Msg: e.Msg}
			}
			problem(w, http.StatusUnprocessableEntity, "not a valid "+rules.SchemaID+" document", errs)
			return
		}
		s.fail(w, r, err)
		return
	}
	out := analysis.Classify(facts, fws, asOf)
	w.Header().Set("Cache-Control", "no-store")
	if err := sendJSON(w, r, out); err != nil {
		s.fail(w, r, err)
	}
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
	// Encoded is false for a binding law the register could not encode;
	// NotEncoded then says why.
	Encoded    bool              `json:"encoded"`
	NotEncoded *rules.NotEncoded `json:"not_encoded,omitempty"`
}

func (s *server) frameworks(w http.ResponseWriter, r *http.Request) {
	if err := noParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	out := []frameworkSummary{}
	for _, fw := range append(slices.Clone(s.Classifier.Frameworks()), s.Classifier.Unencoded()...) {
		out = append(out, frameworkSummary{fw.ID, fw.Title, fw.ShortTitle, fw.Kind, fw.Status, fw.Scope,
			nonNil(fw.Binds), nonNil(fw.Signatories), fw.Proposal, fw.EffectiveFrom, fw.URL, len(fw.Rules), "/api/v1/frameworks/" + fw.ID,
			fw.Encoded(), fw.NotEncoded})
	}
	slices.SortFunc(out, func(a, b frameworkSummary) int { return strings.Compare(a.ID, b.ID) })
	if err := sendJSON(w, r, collection[frameworkSummary]{Items: out}); err != nil {
		s.fail(w, r, err)
	}
}

func (s *server) framework(w http.ResponseWriter, r *http.Request) {
	if err := noParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	fw, ok := s.Classifier.Law(r.PathValue("id"))
	if !ok {
		s.fail(w, r, &registry.Error{Code: registry.ENotFound, Message: "no such framework: " + r.PathValue("id"),
			Fields: registry.Errors{{Path: "path.id", Msg: "unknown framework", Allowed: s.Classifier.FrameworkIDs()}}})
		return
	}
	if err := sendJSON(w, r, fw); err != nil {
		s.fail(w, r, err)
	}
}

// scenario answers what a framework would change in the jurisdictions asked:
// the counts over every deployment, and one page of the deployments, as
// lists are paged, so that no answer holds the whole register.
func (s *server) scenario(w http.ResponseWriter, r *http.Request, rd Reader) error {
	p := params.Read(r.URL.Query(), "framework", "jurisdiction", "as_of", "limit", "cursor")
	limit := p.Limit(100)
	fw := p.Framework(s.Classifier, "to simulate")
	asOf := p.AsOf(s.today())
	juris := p.Jurisdictions("jurisdiction")
	cursor := p.Cursor()
	if _, err := s.known(r.Context(), rd, p, registry.DeploymentFilter{Jurisdictions: juris}); err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	key, err := memo.KeyOf(r.Context(), rd, s.Now())
	if err != nil {
		return err
	}
	sc, err := cached.Scenario(r.Context(), s.Memo, key, s.open, rd, s.Classifier, fw, juris, asOf, analysis.ItemPage{Cursor: cursor, Limit: limit})
	if err != nil {
		return err
	}
	stale(w, sc)
	return sendJSON(w, r, sc.Val)
}

func (s *server) factSchema(w http.ResponseWriter, r *http.Request) {
	if err := noParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	send(w, r, "application/schema+json", rules.SchemaJSON())
}
