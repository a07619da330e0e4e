package analysis

import (
	"context"
	_ "embed"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"oversight/registry"
	"oversight/rules"
)

// The governance-gap index scores each jurisdiction from 0 (narrow gap) to
// 100 (wide) as the weighted mean of three components: exposure to AI
// surveillance, the gap left by its safeguards, and its regime context.
// docs/methodology.md is the method; weights.yaml holds its numbers.

//go:embed weights.yaml
var defaultWeights []byte

// Weights are the numbers of the method, read from a YAML file.
type Weights struct {
	Method      string  `yaml:"method" json:"method"`
	Version     string  `yaml:"version" json:"version"`
	MinCoverage float64 `yaml:"min_coverage" json:"min_coverage"` // scores on less are not ranked
	Components  struct {
		Exposure   float64 `yaml:"exposure" json:"exposure"`
		Safeguards float64 `yaml:"safeguards" json:"safeguards"`
		Context    float64 `yaml:"context" json:"context"`
	} `yaml:"components" json:"components"`
	Exposure struct {
		Parts struct {
			Deployments float64 `yaml:"deployments" json:"deployments"`
			AIGS        float64 `yaml:"aigs" json:"aigs"`
		} `yaml:"parts" json:"parts"`
		Saturation        float64            `yaml:"saturation" json:"saturation"`
		Capability        map[string]float64 `yaml:"capability" json:"capability"`
		CapabilityUnknown float64            `yaml:"capability_unknown" json:"capability_unknown"`
		TierFramework     string             `yaml:"tier_framework" json:"tier_framework"`
		Tier              map[string]float64 `yaml:"tier" json:"tier"`
		CamerasFull       float64            `yaml:"cameras_full" json:"cameras_full"`
		ScaleUnknown      float64            `yaml:"scale_unknown" json:"scale_unknown"`
		Certainty         map[string]float64 `yaml:"certainty" json:"certainty"`
		AIGSDataset       string             `yaml:"aigs_dataset" json:"aigs_dataset"`
		AIGSPeriod        int                `yaml:"aigs_period" json:"aigs_period"`
		AIGSIndicators    []string           `yaml:"aigs_indicators" json:"aigs_indicators"`
	} `yaml:"exposure" json:"exposure"`
	Safeguards struct {
		Weights           map[string]float64 `yaml:"weights" json:"weights"`
		Status            map[string]float64 `yaml:"status" json:"status"`
		NotCoveringPolice float64            `yaml:"not_covering_police" json:"not_covering_police"`
	} `yaml:"safeguards" json:"safeguards"`
	Context struct {
		Regime map[string]float64 `yaml:"regime" json:"regime"`
	} `yaml:"context" json:"context"`
}

// DefaultWeights returns the built-in weights.
func DefaultWeights() (*Weights, error) { return ParseWeights("analysis/weights.yaml", defaultWeights) }

// ParseWeights reads and checks a weights file: every key must name a value
// of the register's vocabularies and every vocabulary value must have a
// weight, so that nothing counts as zero by omission.
func ParseWeights(name string, data []byte) (*Weights, error) {
	var w Weights
	if err := yaml.UnmarshalWithOptions(data, &w, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("%s: %s", name, yaml.FormatError(err, false, true))
	}
	var errs []string
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s: %s: %s", name, field, fmt.Sprintf(format, args...)))
	}
	unit := func(field string, v float64) {
		if v < 0 || v > 1 || math.IsNaN(v) {
			bad(field, "%v is outside 0 to 1", v)
		}
	}
	table := func(field string, m map[string]float64, want []string) {
		for k, v := range m {
			if !slices.Contains(want, k) {
				bad(field+"."+k, "not a known key (allowed: %s)", strings.Join(want, ", "))
			}
			unit(field+"."+k, v)
		}
		for _, k := range want {
			if _, ok := m[k]; !ok {
				bad(field, "no weight for %s", k)
			}
		}
	}
	if w.Method == "" || w.Version == "" {
		bad("method", "method and version are required")
	}
	unit("min_coverage", w.MinCoverage)
	unit("components.exposure", w.Components.Exposure)
	unit("components.safeguards", w.Components.Safeguards)
	unit("components.context", w.Components.Context)
	if w.Components.Exposure+w.Components.Safeguards+w.Components.Context == 0 {
		bad("components", "at least one component needs a weight")
	}
	unit("exposure.parts.deployments", w.Exposure.Parts.Deployments)
	unit("exposure.parts.aigs", w.Exposure.Parts.AIGS)
	if w.Exposure.Saturation <= 0 {
		bad("exposure.saturation", "must be above 0")
	}
	if w.Exposure.CamerasFull <= 0 {
		bad("exposure.cameras_full", "must be above 0")
	}
	table("exposure.capability", w.Exposure.Capability, registry.Capabilities.Values)
	unit("exposure.capability_unknown", w.Exposure.CapabilityUnknown)
	tiers := make([]string, len(rules.Tiers))
	for i, t := range rules.Tiers {
		tiers[i] = string(t)
	}
	table("exposure.tier", w.Exposure.Tier, tiers)
	unit("exposure.scale_unknown", w.Exposure.ScaleUnknown)
	table("exposure.certainty", w.Exposure.Certainty, registry.Certainties.Values)
	kinds := slices.DeleteFunc(slices.Clone(registry.SafeguardKinds.Values), func(k string) bool { return k == "court_ruling" })
	table("safeguards.weights", w.Safeguards.Weights, kinds)
	table("safeguards.status", w.Safeguards.Status, []string{"yes", "partial", "no"})
	unit("safeguards.not_covering_police", w.Safeguards.NotCoveringPolice)
	table("context.regime", w.Context.Regime, registry.RegimeTypes.Values)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return &w, nil
}

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

// yearTotal sums the deployments that count from one year.
type yearTotal struct {
	year   int
	weight float64 // Σ DeploymentScore.Weight
	known  int     // deployment factors known
	inputs int     // deployment factors, three a deployment
	count  int
}

func (t *yearTotal) add(o yearTotal) {
	t.weight += o.weight
	t.known += o.known
	t.inputs += o.inputs
	t.count += o.count
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
	if in.factors == nil {
		f := factorsOf(w)
		// Copied, so that changing w later cannot change what the totals
		// are checked against.
		f.Capability, f.Tier, f.Certainty = maps.Clone(f.Capability), maps.Clone(f.Tier), maps.Clone(f.Certainty)
		in.factors, in.scored = f, w
	}
	in.checkFactors(w)
	in.scored = w
	if in.Deployments == nil {
		in.Deployments = map[string]*DeploymentTotals{}
	}
	t := in.Deployments[jurisdiction]
	if t == nil {
		t = &DeploymentTotals{}
		in.Deployments[jurisdiction] = t
	}
	ds := scoreDeployment(d, in.factors)
	yt := yearTotal{year: d.Year, weight: ds.Weight, known: 3 - len(ds.Unknown), inputs: 3, count: 1}
	if d.Year == 0 {
		t.undated.add(yt)
	} else if i, ok := slices.BinarySearchFunc(t.years, d.Year, func(y yearTotal, year int) int { return y.year - year }); ok {
		t.years[i].add(yt)
	} else {
		t.years = slices.Insert(t.years, i, yt)
	}
	t.keep(ds, in.AsOf.Year())
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
// heaviest few of each jurisdiction.
func IndexInputs(ctx context.Context, reg IndexRegister, c *Classifier, w *Weights, asOf time.Time) (*Inputs, error) {
	fw, ok := c.Framework(w.Exposure.TierFramework)
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

// Index is the governance-gap index at one date.
type Index struct {
	Method        string  `json:"method"`
	Version       string  `json:"version"`
	AsOf          string  `json:"as_of"`
	Year          int     `json:"year"`
	Jurisdictions []Score `json:"jurisdictions"` // by rank, unscored last
}

// Score is one jurisdiction's place in the index and what it rests on.
type Score struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Subregion string   `json:"subregion"`
	Score     *float64 `json:"score"` // 0-100, higher is a wider gap; null when no component is known
	Rank      int      `json:"rank"`  // 1 is the widest gap; 0 when unscored or under min_coverage
	// Coverage is the share of the index's inputs for this jurisdiction
	// that are known.
	Coverage   float64              `json:"coverage"`
	Components map[string]Component `json:"components"`
	// Deployments lists the deployments counted, in the register's order.
	// A jurisdiction with more than ListedDeployments keeps only the
	// heaviest of those counted at the as-of date, so the list may be cut:
	// DeploymentsTotal and DeploymentWeight cover every deployment counted.
	Deployments      []DeploymentScore `json:"deployments"`
	DeploymentsTotal int               `json:"deployments_total"`
	DeploymentWeight float64           `json:"deployment_weight"` // Σ weight, what the deployments part saturates
	Safeguards       []SafeguardScore  `json:"safeguards"`
	AIGS             map[string]bool   `json:"aigs"`
	Regime           string            `json:"regime,omitempty"`
}

// Component is one component's value (0-1, higher = wider gap) and how
// many of its inputs are known.
type Component struct {
	Value  *float64 `json:"value"` // null when none of its inputs is known
	Weight float64  `json:"weight"`
	Known  int      `json:"known"`
	Inputs int      `json:"inputs"`
}

// DeploymentScore is a deployment's weight in exposure, factor by factor.
type DeploymentScore struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Year       int        `json:"year,omitempty"`
	Weight     float64    `json:"weight"`
	Capability float64    `json:"capability"`
	Tier       rules.Tier `json:"tier"`
	TierWeight float64    `json:"tier_weight"`
	Scale      float64    `json:"scale"`
	Certainty  float64    `json:"certainty"`
	Unknown    []string   `json:"unknown,omitempty"` // factors imputed because unknown
}

// SafeguardScore is a safeguard's value in the component (1 = in place).
type SafeguardScore struct {
	Kind   string   `json:"kind"`
	Status string   `json:"status"`
	Value  *float64 `json:"value"` // null when unknown at the date
	Weight float64  `json:"weight"`
	Name   string   `json:"name,omitempty"`
	Year   int      `json:"year,omitempty"`
}

// Compute computes the index for a year from gathered inputs. Deployments
// count from the year of their earliest dated event (undated ones only in
// the current year); safeguards from the year they were adopted or came
// into force; AIGS claims from their period. The yardstick tiers are those
// of the inputs' as-of date, so that a year's score changes only with what
// existed that year.
//
// The deployments were scored when they were added to in, so w must have
// the same deployment factors as the weights they were added under (it may
// differ in every weight perturb draws); Compute panics otherwise.
func Compute(in *Inputs, w *Weights, year int) *Index { return compute(in, w, year, true) }

// compute is Compute; without list it leaves Score.Deployments nil, for the
// many recomputations that read only scores and ranks.
func compute(in *Inputs, w *Weights, year int, list bool) *Index {
	in.checkFactors(w)
	idx := &Index{Method: w.Method, Version: w.Version, AsOf: in.AsOf.Format(time.DateOnly), Year: year}
	current := year >= in.AsOf.Year()
	for _, j := range in.Jurisdictions {
		s := Score{Code: j.Code, Name: j.Name, Subregion: j.Subregion, Components: map[string]Component{},
			Safeguards: []SafeguardScore{}, AIGS: map[string]bool{}}
		known, inputs := 0, 0

		// Exposure: deployments and AIGS claims.
		dt := in.Deployments[j.Code]
		tot := dt.at(year, current)
		sum, depKnown, depInputs := tot.weight, tot.known, tot.inputs
		s.DeploymentsTotal, s.DeploymentWeight = tot.count, tot.weight
		if list {
			s.Deployments = dt.listed(year, current)
		}
		// The deployments part measures documented exposure: what the
		// register records, zero when it records nothing. It is always
		// known; coverage shows how thin the record is, and a jurisdiction
		// whose inputs are mostly unknown is not ranked.
		depPart := 1 - math.Exp(-sum/w.Exposure.Saturation)
		countKnown := 1
		var aigsPart *float64
		aigsInputs := len(w.Exposure.AIGSIndicators)
		aigsKnown := 0
		if claims := in.AIGS[j.Code]; claims != nil && year >= w.Exposure.AIGSPeriod {
			n := 0
			for _, ind := range w.Exposure.AIGSIndicators {
				if v, ok := claims[ind]; ok {
					s.AIGS[ind] = v
					aigsKnown++
					if v {
						n++
					}
				}
			}
			if aigsKnown > 0 {
				v := float64(n) / float64(aigsKnown)
				aigsPart = &v
			}
		}
		exp := weightedMean([]part{{&depPart, w.Exposure.Parts.Deployments}, {aigsPart, w.Exposure.Parts.AIGS}})
		s.Components["exposure"] = Component{exp, w.Components.Exposure, depKnown + countKnown + aigsKnown, depInputs + 1 + aigsInputs}
		known += depKnown + countKnown + aigsKnown
		inputs += depInputs + 1 + aigsInputs

		// Safeguards, as their gap.
		var sparts []part
		sgKnown := 0
		kinds := make([]string, 0, len(w.Safeguards.Weights))
		for k := range w.Safeguards.Weights {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, kind := range kinds {
			sg := safeguardAt(j, kind, year, current, w)
			s.Safeguards = append(s.Safeguards, sg)
			sparts = append(sparts, part{sg.Value, sg.Weight})
			if sg.Value != nil {
				sgKnown++
			}
		}
		var sgGap *float64
		if m := weightedMean(sparts); m != nil {
			v := 1 - *m
			sgGap = &v
		}
		s.Components["safeguards"] = Component{sgGap, w.Components.Safeguards, sgKnown, len(kinds)}
		known += sgKnown
		inputs += len(kinds)

		// Context.
		var ctxVal *float64
		if j.Regime != nil {
			if v, ok := w.Context.Regime[j.Regime.Type]; ok {
				ctxVal = &v
				s.Regime = j.Regime.Type
				known++
			}
		}
		inputs++
		s.Components["context"] = Component{ctxVal, w.Components.Context, btoi(ctxVal != nil), 1}

		if m := weightedMean([]part{{exp, w.Components.Exposure}, {sgGap, w.Components.Safeguards}, {ctxVal, w.Components.Context}}); m != nil {
			v := math.Round(*m*1000) / 10
			s.Score = &v
		}
		s.Coverage = math.Round(float64(known)/float64(inputs)*1000) / 1000
		idx.Jurisdictions = append(idx.Jurisdictions, s)
	}
	rank(idx.Jurisdictions, w.MinCoverage)
	return idx
}

// scoreDeployment weighs a deployment. It reads only the deployment
// factors, so that its result holds under every weighting Compute accepts.
func scoreDeployment(d DeploymentInput, f *deploymentFactors) DeploymentScore {
	ds := DeploymentScore{ID: d.ID, Title: d.Title, Year: d.Year, Tier: d.Tier}
	ds.Capability = -1
	for _, c := range d.Capabilities {
		if v, ok := f.Capability[c]; ok && v > ds.Capability {
			ds.Capability = v
		}
	}
	if ds.Capability < 0 {
		ds.Capability = f.CapabilityUnknown
		ds.Unknown = append(ds.Unknown, "capability")
	}
	if d.Tier == rules.Indeterminate && d.Bounds != nil {
		ds.TierWeight = (f.Tier[string(d.Bounds.Least)] + f.Tier[string(d.Bounds.Most)]) / 2
		ds.Unknown = append(ds.Unknown, "tier")
	} else if v, ok := f.Tier[string(d.Tier)]; ok {
		ds.TierWeight = v
	} else {
		ds.TierWeight = (f.Tier[string(rules.Prohibited)] + f.Tier[string(rules.NotApplicable)]) / 2
		ds.Unknown = append(ds.Unknown, "tier")
	}
	if d.Cameras != nil {
		ds.Scale = math.Min(1, math.Log10(1+float64(*d.Cameras))/math.Log10(1+f.CamerasFull))
	} else {
		ds.Scale = f.ScaleUnknown
		ds.Unknown = append(ds.Unknown, "scale")
	}
	ds.Certainty = f.Certainty[d.Certainty]
	ds.Weight = ds.Capability * ds.TierWeight * ds.Scale * ds.Certainty
	return ds
}

// safeguardAt reads a safeguard's value in a year: in place from the year
// it was adopted or came into force; unknown in past years when that year
// is not recorded.
func safeguardAt(j *registry.Jurisdiction, kind string, year int, current bool, w *Weights) SafeguardScore {
	sg := SafeguardScore{Kind: kind, Status: "unknown", Weight: w.Safeguards.Weights[kind]}
	for _, s := range j.Safeguards {
		if s.Kind != kind {
			continue
		}
		sg.Status, sg.Name, sg.Year = s.Status, s.Name, s.Year
		if s.InForce.Year != 0 && (sg.Year == 0 || s.InForce.Year < sg.Year) {
			sg.Year = s.InForce.Year
		}
		v, ok := w.Safeguards.Status[s.Status]
		if !ok {
			return sg // unknown
		}
		if v > 0 {
			switch {
			case sg.Year > year:
				v = 0 // not yet adopted
			case sg.Year == 0 && !current:
				return sg // in place now, since when not recorded
			}
		}
		if kind == "data_protection_law" && s.CoversPolice != nil && !*s.CoversPolice {
			v *= w.Safeguards.NotCoveringPolice
		}
		sg.Value = &v
		return sg
	}
	return sg
}

type part struct {
	v *float64
	w float64
}

// weightedMean is the mean of the known values, by weight; nil when no
// value with a weight is known. Unknown values are left out, never zero.
func weightedMean(parts []part) *float64 {
	num, den := 0.0, 0.0
	for _, p := range parts {
		if p.v != nil && p.w > 0 {
			num += *p.v * p.w
			den += p.w
		}
	}
	if den == 0 {
		return nil
	}
	v := num / den
	return &v
}

// rank sorts by score, widest gap first, and numbers them; equal scores
// share a rank (1, 2, 2, 4). A score resting on less than minCoverage of
// its inputs is shown but not ranked.
func rank(ss []Score, minCoverage float64) {
	ranked := func(s Score) *float64 {
		if s.Coverage < minCoverage {
			return nil
		}
		return s.Score
	}
	sort.SliceStable(ss, func(a, b int) bool {
		x, y := ranked(ss[a]), ranked(ss[b])
		switch {
		case x == nil || y == nil:
			return x != nil
		case *x != *y:
			return *x > *y
		}
		return ss[a].Code < ss[b].Code
	})
	for i := range ss {
		switch {
		case ranked(ss[i]) == nil:
			ss[i].Rank = 0
		case i > 0 && ranked(ss[i-1]) != nil && *ss[i-1].Score == *ss[i].Score:
			ss[i].Rank = ss[i-1].Rank
		default:
			ss[i].Rank = i + 1
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
