package analysis

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// Inputs are what the index reads from the register, gathered once so that
// the index can be computed for many years and many weightings. Deployments
// are held as totals by year rather than one by one (see Add), so that a
// year's index costs the same however many deployments the register holds.
type Inputs struct {
	AsOf          time.Time
	Jurisdictions []*registry.Jurisdiction
	Deployments   map[string]*DeploymentTotals // by jurisdiction code
	AIGS          map[string]map[string]bool   // jurisdiction → indicator → value

	// factors are the weights the deployments were scored with; scored is
	// the *Weights Add last read them from, to skip comparing them for
	// every deployment. Only Add writes either.
	factors *deploymentFactors
	scored  *Weights
}

// ListedDeployments is how many deployments a score lists at most: the
// heaviest, as they move its exposure most, where other results list the
// first (ListMax). The count and total weight always cover every
// deployment. No jurisdiction of the built-in register has nearly this
// many.
const ListedDeployments = ListMax

// DeploymentTotals are one jurisdiction's deployments as the index reads
// them: their weights and factors summed by the year they count from, and
// the heaviest of them (at most ListedDeployments) to list.
type DeploymentTotals struct {
	years   []yearTotal // ascending by year
	undated yearTotal
	// top is in the order the deployments were added, which is the
	// register's order (by id); lightest indexes the one a heavier
	// deployment would replace.
	top      []DeploymentScore
	lightest int
}

// yearTotal sums the deployments that count from one year. Their weight
// is kept, besides, as exact sums of their scales (in registry.ScaleUnit)
// by their other factors, and weight is made from those sums in one fixed
// order: the total is then the same whatever order the deployments were
// added in, by a walk in id order or from the store's counts.
type yearTotal struct {
	year   int
	weight float64 // Σ capability × tier × scale × certainty, from scales
	known  int     // deployment factors known
	inputs int     // deployment factors, three a deployment
	count  int
	scales []factorScales // by factors, ascending
}

// factorScales sums the scales of the deployments of a year that share
// their other factors.
type factorScales struct {
	capability, tier, certainty float64
	units                       int64
}

func (f factorScales) cmp(o factorScales) int {
	if c := cmp.Compare(f.capability, o.capability); c != 0 {
		return c
	}
	if c := cmp.Compare(f.tier, o.tier); c != 0 {
		return c
	}
	return cmp.Compare(f.certainty, o.certainty)
}

// add sums another year's totals into t, for at; not their scales.
func (t *yearTotal) add(o yearTotal) {
	t.weight += o.weight
	t.known += o.known
	t.inputs += o.inputs
	t.count += o.count
}

// addScales counts n deployments sharing factors f (f.units their scales'
// sum) of which known factors are known, and makes weight again.
func (t *yearTotal) addScales(f factorScales, known, n int) {
	t.known += known
	t.inputs += 3 * n
	t.count += n
	if i, ok := slices.BinarySearchFunc(t.scales, f, factorScales.cmp); ok {
		t.scales[i].units += f.units
	} else {
		t.scales = slices.Insert(t.scales, i, f)
	}
	t.weight = 0
	for _, s := range t.scales {
		t.weight += s.capability * s.tier * (float64(s.units) / registry.ScaleUnit) * s.certainty
	}
}

// DeploymentInput is a deployment as the index reads it.
type DeploymentInput struct {
	ID           string
	Title        string
	Year         int // earliest dated event; 0 when undated
	Capabilities []string
	Tier         rules.Tier
	Bounds       *rules.Bounds
	Cameras      *int64
	Certainty    string
}

// deploymentFactors are the weights a deployment's own weight is made of
// and the framework its tier is read under: everything scoreDeployment
// reads. The deployment totals are scored once, under the weights given to
// IndexInputs, and Compute reuses them under any weights whose
// deploymentFactors are equal, as perturb's are; it refuses others.
type deploymentFactors struct {
	TierFramework     string
	Capability        map[string]float64
	CapabilityUnknown float64
	Tier              map[string]float64
	CamerasFull       float64
	ScaleUnknown      float64
	Certainty         map[string]float64
}

func factorsOf(w *Weights) *deploymentFactors {
	return &deploymentFactors{w.Exposure.TierFramework, w.Exposure.Capability, w.Exposure.CapabilityUnknown,
		w.Exposure.Tier, w.Exposure.CamerasFull, w.Exposure.ScaleUnknown, w.Exposure.Certainty}
}

// checkFactors panics unless w's deployment factors are those the inputs'
// deployments were scored with: the totals cannot be rescored without the
// deployments, and a silent mismatch would give wrong scores.
func (in *Inputs) checkFactors(w *Weights) {
	if in.factors == nil || w == in.scored {
		return
	}
	if !reflect.DeepEqual(in.factors, factorsOf(w)) {
		panic("analysis: the weights' deployment factors (exposure capability, tier, scale, certainty or tier_framework) differ from those the index inputs were gathered under")
	}
}

// Add counts a deployment of a jurisdiction in the inputs, scored under w;
// in.AsOf must be set first, as it decides which are kept to list. Every
// deployment must be added under the same deployment factors, since only
// their totals are kept; Add and Compute panic otherwise.
func (in *Inputs) Add(jurisdiction string, d DeploymentInput, w *Weights) {
	in.useFactors(w)
	t := in.totals(jurisdiction)
	ds := scoreDeployment(d, in.factors)
	t.year(d.Year).addScales(factorScales{ds.Capability, ds.TierWeight, ds.Certainty, unitsOf(ds.Scale)}, 3-len(ds.Unknown), 1)
	t.keep(ds, in.AsOf.Year())
}

// useFactors scores the inputs' deployments under w's deployment
// factors, which must be those of every deployment added before.
func (in *Inputs) useFactors(w *Weights) {
	if in.factors == nil {
		f := factorsOf(w)
		// Copied, so that changing w later cannot change what the totals
		// are checked against.
		f.Capability, f.Tier, f.Certainty = maps.Clone(f.Capability), maps.Clone(f.Tier), maps.Clone(f.Certainty)
		in.factors, in.scored = f, w
	}
	in.checkFactors(w)
	in.scored = w
}

// totals returns a jurisdiction's deployment totals, adding them if
// there are none yet.
func (in *Inputs) totals(jurisdiction string) *DeploymentTotals {
	if in.Deployments == nil {
		in.Deployments = map[string]*DeploymentTotals{}
	}
	t := in.Deployments[jurisdiction]
	if t == nil {
		t = &DeploymentTotals{}
		in.Deployments[jurisdiction] = t
	}
	return t
}

// year returns the totals of the deployments counting from year, 0 for
// the undated, adding them if there are none yet.
func (t *DeploymentTotals) year(year int) *yearTotal {
	if year == 0 {
		return &t.undated
	}
	i, ok := slices.BinarySearchFunc(t.years, year, func(y yearTotal, year int) int { return y.year - year })
	if !ok {
		t.years = slices.Insert(t.years, i, yearTotal{year: year})
	}
	return &t.years[i]
}

// keep puts ds among the listed deployments if it is among the heaviest.
func (t *DeploymentTotals) keep(ds DeploymentScore, asOfYear int) {
	if len(t.top) < ListedDeployments {
		t.top = append(t.top, ds)
		if len(t.top) == 1 || lighter(ds, t.top[t.lightest], asOfYear) {
			t.lightest = len(t.top) - 1
		}
		return
	}
	if !lighter(t.top[t.lightest], ds, asOfYear) {
		return
	}
	// The newcomer was added last, so appending it keeps the order added.
	t.top = append(slices.Delete(t.top, t.lightest, t.lightest+1), ds)
	t.lightest = 0
	for i := range t.top {
		if lighter(t.top[i], t.top[t.lightest], asOfYear) {
			t.lightest = i
		}
	}
}

// lighter orders deployments for listing: those not counted in the as-of
// year first, as they show in no list the report makes; then by weight,
// ties by id (the lower id is the heavier), so that which are listed does
// not depend on the order added.
func lighter(a, b DeploymentScore, asOfYear int) bool {
	if ca, cb := counts(a.Year, asOfYear, true), counts(b.Year, asOfYear, true); ca != cb {
		return cb
	}
	if a.Weight != b.Weight {
		return a.Weight < b.Weight
	}
	return a.ID > b.ID
}

// counts reports whether a deployment from year dy counts in year: from
// its year on, and when undated only in the current year.
func counts(dy, year int, current bool) bool {
	return dy <= year && (dy != 0 || current)
}

// at sums the deployments counted in year; t may be nil.
func (t *DeploymentTotals) at(year int, current bool) yearTotal {
	var sum yearTotal
	if t == nil {
		return sum
	}
	for _, y := range t.years {
		if y.year > year {
			break
		}
		sum.add(y)
	}
	if current {
		sum.add(t.undated)
	}
	return sum
}

// listed is the listed deployments counted in year, in the order added;
// t may be nil.
func (t *DeploymentTotals) listed(year int, current bool) []DeploymentScore {
	out := []DeploymentScore{}
	if t == nil {
		return out
	}
	for _, ds := range t.top {
		if counts(ds.Year, year, current) {
			ds.Unknown = slices.Clone(ds.Unknown) // each index its own, as before
			out = append(out, ds)
		}
	}
	return out
}

// IndexRegister is what the index reads from the store.
type IndexRegister interface {
	Register
	Each(ctx context.Context, kind string, fn func(registry.Entity) error) error
}

// IndexInputs gathers the index's inputs, classifying each deployment under
// the weights' yardstick framework as of asOf and scoring it under w. It
// reads the deployments as a stream and keeps only their totals and the
// heaviest few of each jurisdiction. On a register that keeps class counts
// (ClassRegister), for any asOf, it sums them instead and reads only the
// deployments it lists (indexFromClasses), unless w's cameras_full is not
// the built-in weights' that the store's scales were written with.
func IndexInputs(ctx context.Context, reg IndexRegister, c *Classifier, w *Weights, asOf time.Time) (*Inputs, error) {
	fw, ok := c.Framework(w.Exposure.TierFramework)
	if law, found := c.Law(w.Exposure.TierFramework); !ok && found {
		return nil, fmt.Errorf("weights: tier_framework: %w", NotEncodedError{law})
	}
	if !ok {
		return nil, fmt.Errorf("weights: tier_framework %q is not a framework (known: %s)", w.Exposure.TierFramework, strings.Join(c.FrameworkIDs(), ", "))
	}
	in := &Inputs{AsOf: asOf, Deployments: map[string]*DeploymentTotals{}, AIGS: map[string]map[string]bool{}}
	err := reg.Each(ctx, "jurisdiction", func(e registry.Entity) error {
		in.Jurisdictions = append(in.Jurisdictions, e.(*registry.Jurisdiction))
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = reg.Each(ctx, "claim", func(e registry.Entity) error {
		cl := e.(*registry.Claim)
		if b, ok := cl.Value.(bool); ok && cl.Dataset == w.Exposure.AIGSDataset && slices.Contains(w.Exposure.AIGSIndicators, cl.Indicator) {
			if in.AIGS[cl.Jurisdiction] == nil {
				in.AIGS[cl.Jurisdiction] = map[string]bool{}
			}
			in.AIGS[cl.Jurisdiction][cl.Indicator] = b
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if counts, cr, ok, err := c.classCounts(ctx, reg); err != nil {
		return nil, err
	} else if ok && w.Exposure.CamerasFull == builtinCamerasFull() {
		return in, c.indexFromClasses(ctx, cr, counts, fw, w, in)
	}
	err = eachInOrder(ctx, reg, registry.DeploymentFilter{}, func(d *registry.Deployment) (rules.Result, error) {
		f, _ := c.FactsFor(d)
		return fw.Evaluate(f, asOf), nil
	}, func(d *registry.Deployment, r rules.Result) error {
		in.Add(d.Jurisdiction, DeploymentInput{
			ID: d.ID, Title: d.Title, Year: d.Year(), Capabilities: d.System.Capabilities,
			Tier: r.Tier, Bounds: r.Bounds, Cameras: d.Scale.Cameras, Certainty: d.Certainty,
		}, w)
		return nil
	})
	return in, err
}
