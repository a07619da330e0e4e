package analysis

import (
	"context"
	"errors"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// Scenario is what a framework would change if it applied everywhere it
// is run against: each deployment's tier under its jurisdiction's current
// law beside its tier under the framework. The counts cover every
// deployment; Items lists one page of them (see ItemPage).
type Scenario struct {
	Framework     string   `json:"framework"`
	Title         string   `json:"title"`
	AsOf          string   `json:"as_of"`
	Jurisdictions []string `json:"jurisdictions"` // the filter; empty for all
	Deployments   int      `json:"deployments"`
	Changed       int      `json:"changed"` // stricter + looser
	Stricter      int      `json:"stricter"`
	Looser        int      `json:"looser"`
	Undecided     int      `json:"undecided"` // either side indeterminate
	// NoLaw counts the deployments to which no framework of the register
	// applies today (none binds the jurisdiction, or its law leaves the use
	// out): what the framework says of them is a first rule, not a
	// stricter one, and is counted apart from Changed.
	NoLaw int `json:"no_law"`
	// NotEncoded counts the deployments of jurisdictions bound by a law the
	// register could not encode (rules.NotEncoded) for which the framework
	// would not be looser than the law that is encoded: whether it is
	// stricter cannot be said while that law is unread. Counted apart from
	// Changed and NoLaw.
	NotEncoded     int            `json:"not_encoded"`
	PeopleCovered  int64          `json:"people_covered_changed"`
	PeopleUnknown  int            `json:"people_covered_unknown"` // changed deployments with no figure
	ByJurisdiction []Jurisdiction `json:"by_jurisdiction"`
	Drivers        []Driver       `json:"drivers"`
	Items          []Item         `json:"items"`       // one page, in id order
	ItemsTotal     int            `json:"items_total"` // items on every page: Deployments
	// Next is the cursor of the next page of items, empty on the last.
	Next string `json:"next,omitempty"`
}

// ItemPage selects the items a scenario lists: at most Limit (ListMax when
// Limit is 0 or less) deployments, in id order, from the one after the
// deployment Cursor names. A cursor is the Next of the page before; it is
// written as the deployment list's are, so it reads the same way.
type ItemPage struct {
	Cursor string
	Limit  int
}

// after returns the deployment id a cursor names, "" for none.
func (p ItemPage) after() (string, error) {
	if p.Cursor == "" {
		return "", nil
	}
	return registry.CursorKey(p.Cursor)
}

// Jurisdiction sums a scenario for one jurisdiction.
type Jurisdiction struct {
	Code        string   `json:"code"`
	CurrentLaw  []string `json:"current_law"` // frameworks in the set that bind it
	Deployments int      `json:"deployments"`
	Stricter    int      `json:"stricter"`
	Looser      int      `json:"looser"`
	Undecided   int      `json:"undecided"`
	NoLaw       int      `json:"no_law"` // deployments where no framework binds (see Scenario.NoLaw)
	// UnencodedLaw lists the laws binding it that the register could not
	// encode; NotEncoded counts its deployments they leave undecided (see
	// Scenario.NotEncoded).
	UnencodedLaw  []string `json:"unencoded_law"`
	NotEncoded    int      `json:"not_encoded"`
	PeopleCovered int64    `json:"people_covered_changed"`
}

// Driver is a rule behind changes, with how many deployments it moves.
type Driver struct {
	Rule        string `json:"rule"`
	Citation    string `json:"citation"`
	Title       string `json:"title"`
	Deployments int    `json:"deployments"`
}

// Item is one deployment in a scenario.
type Item struct {
	Deployment    string     `json:"deployment"`
	Title         string     `json:"title"`
	Jurisdiction  string     `json:"jurisdiction"`
	Facts         string     `json:"facts"` // curated or derived
	Current       rules.Tier `json:"current"`
	CurrentLaw    []string   `json:"current_law"` // the binding frameworks that give the current tier
	Proposed      rules.Tier `json:"proposed"`
	Change        string     `json:"change"` // stricter, looser, same, undecided or no_law
	PeopleCovered *int64     `json:"people_covered,omitempty"`
	Rules         []string   `json:"rules"` // the rules behind the proposed tier
	Missing       []string   `json:"missing,omitempty"`
}

// Changes.
const (
	Stricter  = "stricter"
	Looser    = "looser"
	Same      = "same"
	Undecided = "undecided"
	// NoLaw: no framework of the register applies to the deployment (none
	// binds its jurisdiction, or the one that does leaves the use out), so
	// there is no current law to be stricter than.
	NoLaw = "no_law"
	// NotEncoded: a law binds the deployment's jurisdiction that the
	// register could not encode, and the framework would not be looser
	// than the encoded law, so whether it is stricter cannot be said.
	NotEncoded = "not_encoded"
)

// Simulate runs fw against every deployment of the jurisdictions given (all
// when none), comparing with the classifier's frameworks that bind each
// deployment's jurisdiction today. The counts, the jurisdiction table and
// the drivers cover every deployment; only the page of items is kept, so
// that memory does not grow with the register. It reads the whole
// register: a server keeps ScenarioCounts per register state and serves
// each page with ScenarioPage.
func Simulate(ctx context.Context, reg Register, c *Classifier, fw *rules.Framework, jurisdictions []string, asOf time.Time, page ItemPage) (*Scenario, error) {
	if _, err := page.after(); err != nil {
		return nil, err
	}
	return c.simulateAll(ctx, reg, fw, jurisdictions, asOf, page)
}

// ScenarioCounts is Simulate without items: the counts over every
// deployment, for ScenarioPage. Callers must not modify it.
//
// On a register that keeps class counts (ClassRegister) it sums them,
// classifying each class once, and reads no deployment.
func ScenarioCounts(ctx context.Context, reg Register, c *Classifier, fw *rules.Framework, jurisdictions []string, asOf time.Time) (*Scenario, error) {
	if counts, _, ok, err := c.classCounts(ctx, reg); err != nil {
		return nil, err
	} else if ok {
		return c.scenarioFromClasses(counts, fw, jurisdictions, asOf)
	}
	sc, err := c.simulateAll(ctx, reg, fw, jurisdictions, asOf, ItemPage{Limit: 1})
	if err != nil {
		return nil, err
	}
	sc.Items, sc.Next = nil, ""
	return sc, nil
}

// ScenarioPage returns the scenario of counts (from ScenarioCounts for the
// same arguments) with one page of items, reading only the page's
// deployments.
func ScenarioPage(ctx context.Context, reg Register, c *Classifier, counts *Scenario, fw *rules.Framework, jurisdictions []string, asOf time.Time, page ItemPage) (*Scenario, error) {
	if _, err := page.after(); err != nil {
		return nil, err
	}
	sc := *counts
	sc.Items, sc.Next = []Item{}, ""
	limit := page.limit()
	err := reg.EachDeployment(ctx, registry.DeploymentFilter{Jurisdictions: jurisdictions, Cursor: page.Cursor}, func(d *registry.Deployment) error {
		if len(sc.Items) == limit {
			sc.Next = registry.Cursor(sc.Items[len(sc.Items)-1].Deployment)
			return errPageFull
		}
		it, _ := c.item(d, fw, asOf)
		sc.Items = append(sc.Items, it)
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return nil, err
	}
	return &sc, nil
}

var errPageFull = errors.New("page full")

// limit is the page's number of items.
func (p ItemPage) limit() int {
	if p.Limit <= 0 {
		return ListMax
	}
	return p.Limit
}

// item classifies one deployment for a scenario: its tier under current
// law and under fw, and the rules that decide the latter.
func (c *Classifier) item(d *registry.Deployment, fw *rules.Framework, asOf time.Time) (Item, rules.Result) {
	f, origin := c.FactsFor(d)
	it := Item{Deployment: d.ID, Title: d.Title, Jurisdiction: d.Jurisdiction, Facts: origin, PeopleCovered: d.Scale.PeopleCovered}
	v := c.judge(f, fw, asOf)
	it.Current, it.CurrentLaw, it.Proposed, it.Missing, it.Rules, it.Change = v.current, v.law, v.proposed.Tier, v.proposed.Missing, v.rules, v.change
	return it, v.proposed
}

// verdict is what a scenario says of one fact document.
type verdict struct {
	current  rules.Tier
	law      []string // the binding frameworks that give current
	proposed rules.Result
	rules    []string // the rules behind the proposed tier
	change   string
}

// judge compares a document's tier under current law with its tier
// under fw. It reads only the facts the frameworks read and the
// jurisdiction, so documents of one class get one verdict.
func (c *Classifier) judge(f *rules.Facts, fw *rules.Framework, asOf time.Time) verdict {
	v := verdict{rules: []string{}}
	v.current, v.law = c.currentTier(f, asOf, fw.ID)
	v.proposed = fw.Evaluate(f, asOf)
	for _, r := range v.proposed.Rules {
		if (r.Status == rules.Fired && r.Tier == v.proposed.Tier) || (v.proposed.Tier == rules.Indeterminate && r.Status == rules.Possible) {
			v.rules = append(v.rules, r.ID)
		}
	}
	unread := len(c.UnencodedBinding(f.Jurisdiction())) > 0
	switch {
	case len(v.law) == 0 && unread:
		v.change = NotEncoded
	case len(v.law) == 0:
		v.change = NoLaw
	case v.current == rules.Indeterminate || v.proposed.Tier == rules.Indeterminate:
		v.change = Undecided
	case v.proposed.Tier.Severity() < v.current.Severity():
		// Still looser: a law not encoded can only add to the current tier.
		v.change = Looser
	case unread:
		v.change = NotEncoded
	case v.proposed.Tier.Severity() > v.current.Severity():
		v.change = Stricter
	default:
		v.change = Same
	}
	return v
}

// simulateAll reads every deployment: it counts them all and keeps the page
// of items asked for.
func (c *Classifier) simulateAll(ctx context.Context, reg Register, fw *rules.Framework, jurisdictions []string, asOf time.Time, page ItemPage) (*Scenario, error) {
	after, _ := page.after()
	limit := page.limit()
	sc := &Scenario{Framework: fw.ID, Title: fw.Title, AsOf: asOf.Format(time.DateOnly), Jurisdictions: nonNilStrings(jurisdictions),
		ByJurisdiction: []Jurisdiction{}, Drivers: []Driver{}, Items: []Item{}}
	tl := newTally(sc)
	type classified struct {
		it       Item
		proposed rules.Result
	}
	err := eachInOrder(ctx, reg, registry.DeploymentFilter{Jurisdictions: jurisdictions}, func(d *registry.Deployment) (classified, error) {
		it, proposed := c.item(d, fw, asOf)
		return classified{it, proposed}, nil
	}, func(d *registry.Deployment, cl classified) error {
		people, known := int64(0), 0
		if d.Scale.PeopleCovered != nil {
			people, known = *d.Scale.PeopleCovered, 1
		}
		tl.add(c, fw, d.Jurisdiction, cl.it.Change, cl.it.Rules, cl.proposed, 1, known, people)
		switch {
		case d.ID <= after:
		case len(sc.Items) < limit:
			sc.Items = append(sc.Items, cl.it)
		case sc.Next == "":
			sc.Next = registry.Cursor(sc.Items[len(sc.Items)-1].Deployment)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tl.done()
	return sc, nil
}

// currentTier is a document's tier under the frameworks that bind its
// jurisdiction (other than the one simulated): the most severe of them,
// indeterminate if an undecided one could be more severe still, and
// not_applicable when none binds.
func (c *Classifier) currentTier(f *rules.Facts, asOf time.Time, except string) (rules.Tier, []string) {
	tier := rules.NotApplicable
	var most rules.Tier
	law := []string{}
	for _, fw := range c.frameworks {
		if fw.ID == except {
			continue
		}
		r := fw.Evaluate(f, asOf)
		if r.Applicability != rules.Applies {
			continue
		}
		law = append(law, fw.ID)
		if r.Tier == rules.Indeterminate {
			if r.Bounds != nil && r.Bounds.Most.Severity() > most.Severity() {
				most = r.Bounds.Most
			}
			continue
		}
		if r.Tier.Severity() > tier.Severity() {
			tier = r.Tier
		}
	}
	if most != "" && most.Severity() > tier.Severity() {
		return rules.Indeterminate, law
	}
	return tier, law
}

// binding lists the frameworks that bind a jurisdiction.
func (c *Classifier) binding(code, except string) []string {
	out := []string{}
	for _, fw := range c.frameworks {
		if fw.ID != except && contains(fw.Binds, code) {
			out = append(out, fw.ID)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
