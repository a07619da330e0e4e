package analysis

import (
	"context"
	"errors"
	"sort"
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
	NoLaw          int            `json:"no_law"`
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
	Code          string   `json:"code"`
	CurrentLaw    []string `json:"current_law"` // frameworks in the set that bind it
	Deployments   int      `json:"deployments"`
	Stricter      int      `json:"stricter"`
	Looser        int      `json:"looser"`
	Undecided     int      `json:"undecided"`
	NoLaw         int      `json:"no_law"` // deployments where no framework binds (see Scenario.NoLaw)
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
func ScenarioCounts(ctx context.Context, reg Register, c *Classifier, fw *rules.Framework, jurisdictions []string, asOf time.Time) (*Scenario, error) {
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
	it := Item{Deployment: d.ID, Title: d.Title, Jurisdiction: d.Jurisdiction, Facts: origin, PeopleCovered: d.Scale.PeopleCovered, CurrentLaw: []string{}, Rules: []string{}}
	it.Current, it.CurrentLaw = c.currentTier(f, asOf, fw.ID)
	proposed := fw.Evaluate(f, asOf)
	it.Proposed, it.Missing = proposed.Tier, proposed.Missing
	for _, r := range proposed.Rules {
		if (r.Status == rules.Fired && r.Tier == proposed.Tier) || (proposed.Tier == rules.Indeterminate && r.Status == rules.Possible) {
			it.Rules = append(it.Rules, r.ID)
		}
	}
	switch {
	case len(it.CurrentLaw) == 0:
		it.Change = NoLaw
	case it.Current == rules.Indeterminate || it.Proposed == rules.Indeterminate:
		it.Change = Undecided
	case it.Proposed.Severity() > it.Current.Severity():
		it.Change = Stricter
	case it.Proposed.Severity() < it.Current.Severity():
		it.Change = Looser
	default:
		it.Change = Same
	}
	return it, proposed
}

// simulateAll reads every deployment: it counts them all and keeps the page
// of items asked for.
func (c *Classifier) simulateAll(ctx context.Context, reg Register, fw *rules.Framework, jurisdictions []string, asOf time.Time, page ItemPage) (*Scenario, error) {
	after, _ := page.after()
	limit := page.limit()
	sc := &Scenario{Framework: fw.ID, Title: fw.Title, AsOf: asOf.Format(time.DateOnly), Jurisdictions: nonNilStrings(jurisdictions),
		ByJurisdiction: []Jurisdiction{}, Drivers: []Driver{}, Items: []Item{}}
	byJ := map[string]*Jurisdiction{}
	drivers := map[string]*Driver{}
	type classified struct {
		it       Item
		proposed rules.Result
	}
	err := eachInOrder(ctx, reg, registry.DeploymentFilter{Jurisdictions: jurisdictions}, func(d *registry.Deployment) (classified, error) {
		it, proposed := c.item(d, fw, asOf)
		return classified{it, proposed}, nil
	}, func(d *registry.Deployment, cl classified) error {
		it, proposed := cl.it, cl.proposed
		j := byJ[d.Jurisdiction]
		if j == nil {
			j = &Jurisdiction{Code: d.Jurisdiction, CurrentLaw: c.binding(d.Jurisdiction, fw.ID)}
			byJ[d.Jurisdiction] = j
		}
		j.Deployments++
		sc.Deployments++
		switch it.Change {
		case Undecided:
			sc.Undecided++
			j.Undecided++
		case Stricter:
			sc.Stricter++
			j.Stricter++
		case Looser:
			sc.Looser++
			j.Looser++
		case NoLaw:
			sc.NoLaw++
			j.NoLaw++
		}
		if it.Change == Stricter || it.Change == Looser {
			sc.Changed++
			if d.Scale.PeopleCovered != nil {
				sc.PeopleCovered += *d.Scale.PeopleCovered
				j.PeopleCovered += *d.Scale.PeopleCovered
			} else {
				sc.PeopleUnknown++
			}
			for _, r := range proposed.Rules {
				if !contains(it.Rules, r.ID) {
					continue
				}
				dr := drivers[r.ID]
				if dr == nil {
					dr = &Driver{Rule: r.ID, Citation: r.Rule().Citation.Article, Title: r.Rule().Title}
					drivers[r.ID] = dr
				}
				dr.Deployments++
			}
		}
		sc.ItemsTotal++
		switch {
		case d.ID <= after:
		case len(sc.Items) < limit:
			sc.Items = append(sc.Items, it)
		case sc.Next == "":
			sc.Next = registry.Cursor(sc.Items[len(sc.Items)-1].Deployment)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, j := range byJ {
		sc.ByJurisdiction = append(sc.ByJurisdiction, *j)
	}
	sort.Slice(sc.ByJurisdiction, func(a, b int) bool { return sc.ByJurisdiction[a].Code < sc.ByJurisdiction[b].Code })
	for _, d := range drivers {
		sc.Drivers = append(sc.Drivers, *d)
	}
	sort.Slice(sc.Drivers, func(a, b int) bool {
		if sc.Drivers[a].Deployments != sc.Drivers[b].Deployments {
			return sc.Drivers[a].Deployments > sc.Drivers[b].Deployments
		}
		return sc.Drivers[a].Rule < sc.Drivers[b].Rule
	})
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
