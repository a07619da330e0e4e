// Package analysis computes what the register shows as a whole: each
// deployment's classification under every framework, scenarios of what a
// framework would change, and (with the index) the governance gap.
package analysis

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"oversight/registry"
	"oversight/rules"
	"oversight/store"
)

// Register is the part of the store analysis reads.
type Register interface {
	EachDeployment(ctx context.Context, f store.DeploymentFilter, fn func(*registry.Deployment) error) error
	Size(ctx context.Context) (int64, error)
}

// Classifier classifies deployments under a set of frameworks. A curated
// fact document, drawn from a deployment's sources, is used where one
// exists; otherwise the facts are derived from the register record, and
// everything the record does not say is unknown.
type Classifier struct {
	frameworks []*rules.Framework
	byID       map[string]*rules.Framework
	curated    map[string]*rules.Facts
	schema     *rules.Schema

	mu     sync.Mutex
	cache  tierCache
	report reportCache
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
	c := &Classifier{frameworks: frameworks, byID: map[string]*rules.Framework{}, curated: curated, schema: schema}
	for _, fw := range frameworks {
		c.byID[fw.ID] = fw
	}
	return c, nil
}

// Frameworks lists the frameworks in id order.
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
		if !ok {
			return nil, fmt.Errorf("unknown framework %q (known: %s)", id, strings.Join(c.FrameworkIDs(), ", "))
		}
		out = append(out, fw)
	}
	return out, nil
}

// Classification is a document's results under several frameworks.
type Classification struct {
	AsOf       string         `json:"as_of"`
	Deployment string         `json:"deployment,omitempty"`
	Facts      string         `json:"facts,omitempty"` // curated or derived
	Results    []rules.Result `json:"results"`
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
func (c *Classifier) Deployment(d *registry.Deployment, frameworks []*rules.Framework, asOf time.Time) (Classification, error) {
	f, origin, err := c.FactsFor(d)
	if err != nil {
		return Classification{}, err
	}
	out := Classify(f, frameworks, asOf)
	out.Deployment, out.Facts = d.ID, origin
	return out, nil
}

// FactsFor returns the facts rules read for a deployment and their origin.
func (c *Classifier) FactsFor(d *registry.Deployment) (*rules.Facts, string, error) {
	if f, ok := c.curated[d.ID]; ok {
		return f, Curated, nil
	}
	f, err := c.schema.NewFacts(DeriveFacts(d))
	if err != nil {
		return nil, "", fmt.Errorf("deployment %s: derived facts: %w", d.ID, err)
	}
	return f, Derived, nil
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
	return doc
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

// Tiers is the tier of every deployment under every framework, packed as
// one byte per pair so that a large register stays small in memory.
type Tiers struct {
	frameworks []string       // in the classifier's order
	fwIndex    map[string]int // framework id → column
	row        map[string]int // deployment id → row
	cells      []uint8        // row*len(frameworks)+column → index in rules.AllTiers, +1
}

// Get returns a deployment's tier under a framework, or "" when unknown.
func (t *Tiers) Get(deployment, framework string) rules.Tier {
	r, ok := t.row[deployment]
	c, ok2 := t.fwIndex[framework]
	if !ok || !ok2 {
		return ""
	}
	if v := t.cells[r*len(t.frameworks)+c]; v > 0 {
		return rules.AllTiers[v-1]
	}
	return ""
}

// Of returns a deployment's tiers by framework id; empty when unknown.
func (t *Tiers) Of(deployment string) map[string]rules.Tier {
	out := map[string]rules.Tier{}
	if _, ok := t.row[deployment]; !ok {
		return out
	}
	for _, fw := range t.frameworks {
		out[fw] = t.Get(deployment, fw)
	}
	return out
}

type tierCache struct {
	size  int64
	asOf  string
	tiers *Tiers
}

// Tiers classifies every deployment in the register under every framework.
// The table is kept until the register grows or the date changes: the
// register only changes by appending to its log.
func (c *Classifier) Tiers(ctx context.Context, reg Register, asOf time.Time) (*Tiers, error) {
	size, err := reg.Size(ctx)
	if err != nil {
		return nil, err
	}
	day := asOf.Format(time.DateOnly)
	c.mu.Lock()
	if c.cache.tiers != nil && c.cache.size == size && c.cache.asOf == day {
		t := c.cache.tiers
		c.mu.Unlock()
		return t, nil
	}
	c.mu.Unlock()
	tiers := &Tiers{frameworks: c.FrameworkIDs(), fwIndex: map[string]int{}, row: map[string]int{}}
	for i, fw := range tiers.frameworks {
		tiers.fwIndex[fw] = i
	}
	code := map[rules.Tier]uint8{}
	for i, t := range rules.AllTiers {
		code[t] = uint8(i + 1)
	}
	err = reg.EachDeployment(ctx, store.DeploymentFilter{}, func(d *registry.Deployment) error {
		f, _, err := c.FactsFor(d)
		if err != nil {
			return err
		}
		tiers.row[d.ID] = len(tiers.row)
		for _, fw := range c.frameworks {
			tiers.cells = append(tiers.cells, code[fw.Evaluate(f, asOf).Tier])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.cache = tierCache{size: size, asOf: day, tiers: tiers}
	c.mu.Unlock()
	return tiers, nil
}

// Matching returns the ids of deployments whose tier under framework is one
// of tiers, sorted.
func (t *Tiers) Matching(framework string, tiers []rules.Tier) []string {
	var ids []string
	for id := range t.row {
		if slices.Contains(tiers, t.Get(id, framework)) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Table is the tier table for one date, in the form export reads.
type Table struct {
	asOf  string
	ids   []string
	tiers *Tiers
}

// Table returns the register's tier table as of a date.
func (c *Classifier) Table(ctx context.Context, reg Register, asOf time.Time) (*Table, error) {
	t, err := c.Tiers(ctx, reg, asOf)
	if err != nil {
		return nil, err
	}
	return &Table{asOf: asOf.Format(time.DateOnly), ids: c.FrameworkIDs(), tiers: t}, nil
}

// AsOf returns the date the tiers hold on.
func (t *Table) AsOf() string { return t.asOf }

// FrameworkIDs lists the frameworks, in id order.
func (t *Table) FrameworkIDs() []string { return t.ids }

// Tier returns a deployment's tier under a framework, or "" if unknown.
func (t *Table) Tier(deployment, framework string) string {
	return string(t.tiers.Get(deployment, framework))
}
