// Package analysis computes what the register shows as a whole: each
// deployment's classification under every framework, scenarios of what a
// framework would change, and (with the index) the governance gap.
package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// Register is the part of the store analysis reads.
type Register interface {
	EachDeployment(ctx context.Context, f registry.DeploymentFilter, fn func(*registry.Deployment) error) error
}

// Classifier classifies deployments under a set of frameworks. A curated
// fact document, drawn from a deployment's sources, is used where one
// exists; otherwise the facts are derived from the register record, and
// everything the record does not say is unknown.
type Classifier struct {
	frameworks []*rules.Framework // those that classify: every one encoded
	unencoded  []*rules.Framework // binding laws with no rules (notencoded.go)
	byID       map[string]*rules.Framework
	curated    map[string]*rules.Facts
	schema     *rules.Schema
	bound      boundFacts // the register's facts, once SyncFacts binds it (facts.go)

	versionOnce sync.Once
	version     string // TierVersion's digest
	tierMemo    tierMemo
	classOnce   sync.Once
	classPaths  []string // classReads
}

// Fact origins.
const (
	Curated = "curated" // a fact document written from the deployment's sources
	Derived = "derived" // derived from the register record alone
)

// NewClassifier returns a classifier over frameworks, with curated fact
// documents keyed by deployment id.
func NewClassifier(frameworks []*rules.Framework, curated map[string]*rules.Facts) (*Classifier, error) {
	schema, err := rules.FactSchema()
	if err != nil {
		return nil, err
	}
	c := &Classifier{byID: map[string]*rules.Framework{}, curated: curated, schema: schema}
	for _, fw := range frameworks {
		if !fw.Encoded() {
			c.unencoded = append(c.unencoded, fw)
			continue
		}
		c.frameworks = append(c.frameworks, fw)
		c.byID[fw.ID] = fw
	}
	return c, nil
}

// Frameworks lists the frameworks that classify, in id order: a law the
// register could not encode is not among them (see Unencoded), so that no
// tier, count, export or index ever reads one.
func (c *Classifier) Frameworks() []*rules.Framework { return c.frameworks }

// Framework returns a framework by id.
func (c *Classifier) Framework(id string) (*rules.Framework, bool) {
	fw, ok := c.byID[id]
	return fw, ok
}

// FrameworkIDs lists the ids, for error messages.
func (c *Classifier) FrameworkIDs() []string {
	ids := make([]string, len(c.frameworks))
	for i, fw := range c.frameworks {
		ids[i] = fw.ID
	}
	return ids
}

// Select returns the frameworks with the given ids, or all when none is
// given; an unknown id is an error that lists the known ones.
func (c *Classifier) Select(ids []string) ([]*rules.Framework, error) {
	if len(ids) == 0 {
		return c.frameworks, nil
	}
	out := make([]*rules.Framework, 0, len(ids))
	for _, id := range ids {
		fw, ok := c.byID[id]
		if law, found := c.Law(id); !ok && found {
			return nil, NotEncodedError{law}
		}
		if !ok {
			return nil, fmt.Errorf("unknown framework %q (known: %s)", id, strings.Join(c.FrameworkIDs(), ", "))
		}
		out = append(out, fw)
	}
	return out, nil
}

// Classification is a document's results under several frameworks.
type Classification struct {
	AsOf       string `json:"as_of"`
	Deployment string `json:"deployment,omitempty"`
	Facts      string `json:"facts,omitempty"` // curated or derived
	// FactsRevision is the log revision (seq) of the register's fact
	// document the results read, when they read one: the inputs to cite.
	FactsRevision *int64         `json:"facts_revision,omitempty"`
	Results       []rules.Result `json:"results"`
}

// Classify evaluates a fact document under frameworks as of a date.
func Classify(f *rules.Facts, frameworks []*rules.Framework, asOf time.Time) Classification {
	out := Classification{AsOf: asOf.Format(time.DateOnly), Results: make([]rules.Result, len(frameworks))}
	for i, fw := range frameworks {
		out.Results[i] = fw.Evaluate(f, asOf)
	}
	return out
}

// Deployment classifies a register deployment.
func (c *Classifier) Deployment(d *registry.Deployment, frameworks []*rules.Framework, asOf time.Time) Classification {
	f, origin := c.FactsFor(d)
	out := Classify(f, frameworks, asOf)
	out.Deployment, out.Facts = d.ID, origin
	if seq, ok := c.FactsRevision(d.ID); ok {
		out.FactsRevision = &seq
	}
	return out
}

// EachClassification classifies every deployment f selects under
// frameworks, on every core, and calls fn with each classification in id
// order.
func (c *Classifier) EachClassification(ctx context.Context, reg Register, f registry.DeploymentFilter, frameworks []*rules.Framework, asOf time.Time, fn func(Classification) error) error {
	return eachInOrder(ctx, reg, f, func(d *registry.Deployment) (Classification, error) {
		return c.Deployment(d, frameworks, asOf), nil
	}, func(_ *registry.Deployment, cl Classification) error { return fn(cl) })
}

// FactsFor returns the facts rules read for a deployment and their origin.
func (c *Classifier) FactsFor(d *registry.Deployment) (*rules.Facts, string) {
	if f, ok := c.factsOf(d); ok {
		return f, Curated
	}
	return c.derived(d), Derived
}

// derived returns the facts of a deployment's record alone.
func (c *Classifier) derived(d *registry.Deployment) *rules.Facts {
	// Not validated again: DeriveFacts emits only schema values for any
	// record the register accepts (TestDerivedFactsValid), and validating
	// was half the time of classifying a deployment.
	return c.schema.DerivedFacts(DeriveFacts(d))
}

// DeriveFacts maps a register record onto the fact schema. The register's
// vocabularies follow the schema's, so the mapping is direct; what the
// record does not state is left out, which rules read as unknown.
func DeriveFacts(d *registry.Deployment) map[string]any {
	dep := map[string]any{"id": d.ID, "title": d.Title, "jurisdiction": d.Jurisdiction}
	if d.Status.Value != "" {
		dep["status"] = d.Status.Value
	}
	if d.Scale.Cameras != nil {
		dep["scale"] = map[string]any{"cameras": *d.Scale.Cameras}
	}
	doc := map[string]any{"schema": rules.SchemaID, "deployment": dep,
		"notes": "derived from the register record; no curated fact document"}
	op := map[string]any{}
	if k := d.Operator.Kind; k != "" && k != "unknown" {
		op["type"] = k
		switch k {
		case "police", "other_law_enforcement":
			op["is_law_enforcement_authority"] = true
		}
		if publicBodies[k] {
			op["is_public_body"] = true
		} else if k == "private_company" {
			op["is_public_body"] = false
		}
	}
	if d.Operator.Name != "" {
		op["name"] = d.Operator.Name
	}
	doc["operator"] = op
	sys := map[string]any{}
	var caps []any
	for _, c := range d.System.Capabilities {
		if schemaCapabilities[c] {
			caps = append(caps, c)
		}
	}
	// Platform words alone (cctv, command_centre) say nothing about analytics,
	// so no list is given and the capabilities stay unknown.
	if len(caps) > 0 {
		sys["capabilities"] = caps
		sys["is_ai_system"] = true
	}
	var vendors []any
	for _, v := range d.Vendors {
		vendors = append(vendors, v.Vendor)
	}
	if len(vendors) > 0 {
		sys["vendors"] = vendors
	}
	doc["system"] = sys
	if len(d.System.Purposes) > 0 {
		ps := make([]any, len(d.System.Purposes))
		for i, p := range d.System.Purposes {
			ps[i] = p
		}
		doc["purposes"] = ps
	}
	if decl := d.Declaration; decl != nil {
		declared(doc, decl)
	}
	return doc
}

// declared marks facts that rest on the operator's own declaration and adds
// what it states: an impact assessment whose findings it summarises was
// carried out, by its own account.
func declared(doc map[string]any, decl *registry.Declaration) {
	doc["self_declared"] = map[string]any{"by": decl.By, "date": decl.Date.String()}
	doc["notes"] = "derived from the register record, with its operator's own declaration"
	safeguards := map[string]any{}
	if decl.Get("eu-ai-act", "C.4") != "" {
		safeguards["fria_done"] = true
	}
	if decl.Get("eu-ai-act", "C.5") != "" {
		safeguards["dpia_or_pia_done"] = true
	}
	if len(safeguards) > 0 {
		doc["safeguards"] = safeguards
	}
}

var publicBodies = map[string]bool{
	"police": true, "other_law_enforcement": true, "intelligence_security": true, "military": true,
	"border_migration": true, "prison": true, "municipality": true, "other_public_authority": true,
}

// schemaCapabilities are the register capabilities the fact schema knows.
var schemaCapabilities = func() map[string]bool {
	m := map[string]bool{}
	schema, err := rules.FactSchema()
	if err != nil {
		return m
	}
	if l, ok := schema.Leaf("system.capabilities"); ok {
		for _, v := range l.Enum {
			m[v] = true
		}
	}
	return m
}()

// TiersOf returns a deployment's tier under every framework as of a date.
// It classifies the one deployment: lists show the tiers of the page they
// return, and nothing classifies the whole register to serve a request.
func (c *Classifier) TiersOf(d *registry.Deployment, asOf time.Time) map[string]rules.Tier {
	tiers := c.tiers(d, asOf)
	out := make(map[string]rules.Tier, len(c.frameworks))
	for i, fw := range c.frameworks {
		out[fw.ID] = tiers[i]
	}
	return out
}

// tiers is a deployment's tier under each framework, in the classifier's
// order.
func (c *Classifier) tiers(d *registry.Deployment, asOf time.Time) []rules.Tier {
	f, _ := c.FactsFor(d)
	out := make([]rules.Tier, len(c.frameworks))
	for i, fw := range c.frameworks {
		out[i] = fw.Evaluate(f, asOf).Tier
	}
	return out
}

// TierOf returns a deployment's tier under one framework as of a date,
// evaluating that framework alone.
func (c *Classifier) TierOf(d *registry.Deployment, fw *rules.Framework, asOf time.Time) rules.Tier {
	f, _ := c.FactsFor(d)
	return fw.Evaluate(f, asOf).Tier
}

// Restricted says whether a scheme would keep a deployment's declaration
// out of public view ("yes", "no" or "unknown"; "" for a scheme without
// such a section): whether the rule the scheme names holds on the
// deployment's facts, in force or not yet. For the EU database that is AI
// Act Art. 49(4) under the EU benchmark.
func (c *Classifier) Restricted(d *registry.Deployment, s *registry.Scheme, asOf time.Time) string {
	if s.RestrictedBy == nil {
		return ""
	}
	fw, ok := c.byID[s.RestrictedBy.Framework]
	if !ok {
		return "unknown"
	}
	f, _ := c.FactsFor(d)
	res := fw.Evaluate(f, asOf)
	// Rules that hold but are not in force yet are Later.
	for _, rr := range append(slices.Clip(res.Rules), res.Later...) {
		if rr.ID == s.RestrictedBy.Rule {
			switch rr.Status {
			case rules.Fired, rules.NotYetInForce:
				return "yes"
			case rules.Possible:
				return "unknown"
			}
		}
	}
	// An undecided result lists the most severe rules it turns on, not
	// every rule that might yet hold.
	if res.Tier == rules.Indeterminate {
		return "unknown"
	}
	return "no"
}
