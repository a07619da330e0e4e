package analysis

import (
	"context"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"oversight/registry"
	"oversight/rules"
	"oversight/store"
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
// the index can be computed for many years and many weightings.
type Inputs struct {
	AsOf          time.Time
	Jurisdictions []*registry.Jurisdiction
	Deployments   map[string][]DeploymentInput // by jurisdiction code
	AIGS          map[string]map[string]bool   // jurisdiction → indicator → value
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

// IndexRegister is what the index reads from the store.
type IndexRegister interface {
	Register
	Each(ctx context.Context, kind string, fn func(registry.Entity) error) error
}

// IndexInputs gathers the index's inputs, classifying each deployment under
// the weights' yardstick framework as of asOf.
func (c *Classifier) IndexInputs(ctx context.Context, reg IndexRegister, w *Weights, asOf time.Time) (*Inputs, error) {
	fw, ok := c.Framework(w.Exposure.TierFramework)
	if !ok {
		return nil, fmt.Errorf("weights: tier_framework %q is not a framework (known: %s)", w.Exposure.TierFramework, strings.Join(c.FrameworkIDs(), ", "))
	}
	in := &Inputs{AsOf: asOf, Deployments: map[string][]DeploymentInput{}, AIGS: map[string]map[string]bool{}}
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
	err = reg.EachDeployment(ctx, store.DeploymentFilter{}, func(d *registry.Deployment) error {
		f, _, err := c.FactsFor(d)
		if err != nil {
			return err
		}
		r := fw.Evaluate(f, asOf)
		in.Deployments[d.Jurisdiction] = append(in.Deployments[d.Jurisdiction], DeploymentInput{
			ID: d.ID, Title: d.Title, Year: d.Year(), Capabilities: d.System.Capabilities,
			Tier: r.Tier, Bounds: r.Bounds, Cameras: d.Scale.Cameras, Certainty: d.Certainty,
		})
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
	Coverage    float64              `json:"coverage"`
	Components  map[string]Component `json:"components"`
	Deployments []DeploymentScore    `json:"deployments"`
	Safeguards  []SafeguardScore     `json:"safeguards"`
	AIGS        map[string]bool      `json:"aigs"`
	Regime      string               `json:"regime,omitempty"`
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
func Compute(in *Inputs, w *Weights, year int) *Index {
	idx := &Index{Method: w.Method, Version: w.Version, AsOf: in.AsOf.Format(time.DateOnly), Year: year}
	current := year >= in.AsOf.Year()
	for _, j := range in.Jurisdictions {
		s := Score{Code: j.Code, Name: j.Name, Subregion: j.Subregion, Components: map[string]Component{},
			Deployments: []DeploymentScore{}, Safeguards: []SafeguardScore{}, AIGS: map[string]bool{}}
		known, inputs := 0, 0

		// Exposure: deployments and AIGS claims.
		sum, depKnown, depInputs := 0.0, 0, 0
		for _, d := range in.Deployments[j.Code] {
			if d.Year > year || (d.Year == 0 && !current) {
				continue
			}
			ds := scoreDeployment(d, w)
			s.Deployments = append(s.Deployments, ds)
			sum += ds.Weight
			depInputs += 3
			depKnown += 3 - len(ds.Unknown)
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

func scoreDeployment(d DeploymentInput, w *Weights) DeploymentScore {
	ds := DeploymentScore{ID: d.ID, Title: d.Title, Year: d.Year, Tier: d.Tier}
	ds.Capability = -1
	for _, c := range d.Capabilities {
		if v, ok := w.Exposure.Capability[c]; ok && v > ds.Capability {
			ds.Capability = v
		}
	}
	if ds.Capability < 0 {
		ds.Capability = w.Exposure.CapabilityUnknown
		ds.Unknown = append(ds.Unknown, "capability")
	}
	if d.Tier == rules.Indeterminate && d.Bounds != nil {
		ds.TierWeight = (w.Exposure.Tier[string(d.Bounds.Least)] + w.Exposure.Tier[string(d.Bounds.Most)]) / 2
		ds.Unknown = append(ds.Unknown, "tier")
	} else if v, ok := w.Exposure.Tier[string(d.Tier)]; ok {
		ds.TierWeight = v
	} else {
		ds.TierWeight = (w.Exposure.Tier[string(rules.Prohibited)] + w.Exposure.Tier[string(rules.NotApplicable)]) / 2
		ds.Unknown = append(ds.Unknown, "tier")
	}
	if d.Cameras != nil {
		ds.Scale = math.Min(1, math.Log10(1+float64(*d.Cameras))/math.Log10(1+w.Exposure.CamerasFull))
	} else {
		ds.Scale = w.Exposure.ScaleUnknown
		ds.Unknown = append(ds.Unknown, "scale")
	}
	ds.Certainty = w.Exposure.Certainty[d.Certainty]
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
