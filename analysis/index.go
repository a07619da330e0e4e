package analysis

import (
	"math"
	"sort"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// The governance-gap index scores each jurisdiction from 0 (narrow gap) to
// 100 (wide) from three components: exposure to AI surveillance, the gap
// left by its safeguards, and its regime context. Since version 2 the score
// is exposure times the weighted mean of the other two (Weights.Combine):
// a gap is surveillance that safeguards do not govern, so there is none to
// measure where the register records no surveillance.
// docs/methodology.md is the method; weights.yaml holds its numbers.

// Index is the governance-gap index at one date.
type Index struct {
	Method        string  `json:"method"`
	Version       string  `json:"version"`
	AsOf          string  `json:"as_of"`
	Year          int     `json:"year"`
	Combine       string  `json:"combine"`       // how the components make the score (Weights.Combine)
	Jurisdictions []Score `json:"jurisdictions"` // by rank, unscored last
}

// Score is one jurisdiction's place in the index and what it rests on.
type Score struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Subregion string   `json:"subregion"`
	Score     *float64 `json:"score"` // 0-100, higher is a wider gap; null when no component is known
	Rank      int      `json:"rank"`  // 1 is the widest gap; 0 when unscored or Unranked
	// Unranked says why a score is shown but not ranked: UnrankedCoverage
	// or UnrankedNoExposure; empty when ranked or unscored.
	Unranked string `json:"unranked,omitempty"`
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
	idx := &Index{Method: w.Method, Version: w.Version, AsOf: in.AsOf.Format(time.DateOnly), Year: year, Combine: w.Combine}
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
		depPart := deploymentsPart(sum, w)
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
			aigsPart = aigsShare(n, aigsKnown)
		}
		exp := exposure(depPart, aigsPart, w)
		s.Components["exposure"] = Component{exp, w.Components.Exposure, depKnown + countKnown + aigsKnown, depInputs + 1 + aigsInputs}
		known += depKnown + countKnown + aigsKnown
		inputs += depInputs + 1 + aigsInputs

		// Safeguards, as their gap.
		sgKnown := 0
		kinds := make([]string, 0, len(w.Safeguards.Weights))
		for k := range w.Safeguards.Weights {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, kind := range kinds {
			sg := safeguardAt(j, kind, year, current, w)
			s.Safeguards = append(s.Safeguards, sg)
			if sg.Value != nil {
				sgKnown++
			}
		}
		sgGap := safeguardGap(s.Safeguards, w)
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

		s.Score = combine(w, exp, sgGap, ctxVal)
		s.Coverage = math.Round(float64(known)/float64(inputs)*1000) / 1000
		idx.Jurisdictions = append(idx.Jurisdictions, s)
	}
	rank(idx.Jurisdictions, w)
	return idx
}

// The parts of compute that read the weights perturb draws, which
// reweigh shares.

// deploymentsPart is exposure's deployments part from their total weight.
func deploymentsPart(weight float64, w *Weights) float64 {
	return 1 - math.Exp(-weight/w.Exposure.Saturation)
}

// aigsShare is exposure's AIGS part: the share of the known indicators
// (known) that are true (n); nil when none is known.
func aigsShare(n, known int) *float64 {
	if known == 0 {
		return nil
	}
	v := float64(n) / float64(known)
	return &v
}

// exposure is the exposure component from its parts.
func exposure(deployments float64, aigs *float64, w *Weights) *float64 {
	return weightedMean([]part{{&deployments, w.Exposure.Parts.Deployments}, {aigs, w.Exposure.Parts.AIGS}})
}

// safeguardGap is the safeguards component: one less the weighted mean of
// the safeguards' values, each weighted by w; nil when none is known.
func safeguardGap(sgs []SafeguardScore, w *Weights) *float64 {
	parts := make([]part, len(sgs))
	for i, sg := range sgs {
		parts[i] = part{sg.Value, w.Safeguards.Weights[sg.Kind]}
	}
	m := weightedMean(parts)
	if m == nil {
		return nil
	}
	v := 1 - *m
	return &v
}

// reweigh scores again under w a score compute made under weights that
// differ from w only where perturb changes them, keeping what rank reads:
// the score, its coverage and its exposure.
func reweigh(s Score, w *Weights) Score {
	n := 0
	for _, v := range s.AIGS {
		if v {
			n++
		}
	}
	exp := exposure(deploymentsPart(s.DeploymentWeight, w), aigsShare(n, len(s.AIGS)), w)
	return Score{Code: s.Code, Coverage: s.Coverage, Components: map[string]Component{"exposure": {Value: exp}},
		Score: combine(w, exp, safeguardGap(s.Safeguards, w), s.Components["context"].Value)}
}

// combine makes the score, 0-100 to one decimal, from the components' values
// (nil when unknown). Under CombineExposureWeighted it is exposure times the
// weighted mean of the safeguard gap and the context: nil when both are
// unknown, 0 when exposure is. Under CombineMean it is the weighted mean of
// the three.
func combine(w *Weights, exposure, safeguardGap, context *float64) *float64 {
	var m *float64
	switch w.Combine {
	case CombineExposureWeighted:
		if g := weightedMean([]part{{safeguardGap, w.Components.Safeguards}, {context, w.Components.Context}}); g != nil && exposure != nil {
			v := *exposure * *g
			m = &v
		}
	default:
		m = weightedMean([]part{{exposure, w.Components.Exposure}, {safeguardGap, w.Components.Safeguards}, {context, w.Components.Context}})
	}
	if m == nil {
		return nil
	}
	v := math.Round(*m*1000) / 10
	return &v
}

// scoreDeployment weighs a deployment. It reads only the deployment
// factors, so that its result holds under every weighting Compute accepts.
func scoreDeployment(d DeploymentInput, f *deploymentFactors) DeploymentScore {
	units := int64(-1)
	if d.Cameras != nil {
		units = scaleUnits(d.Cameras, f.CamerasFull)
	}
	return scoreUnits(d, f, units)
}

// scoreUnits is scoreDeployment with the deployment's scale given in
// registry.ScaleUnit, -1 when its number of cameras is unknown, as the
// store keeps it (registry.DeploymentClass.Scale); d.Cameras is not read.
func scoreUnits(d DeploymentInput, f *deploymentFactors, units int64) DeploymentScore {
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
	// Scales are whole registry.ScaleUnit, as the totals sum them.
	if units >= 0 {
		ds.Scale = float64(units) / registry.ScaleUnit
	} else {
		ds.Scale = float64(unitsOf(f.ScaleUnknown)) / registry.ScaleUnit
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

// Why a score is shown but not ranked (Score.Unranked).
const (
	// UnrankedCoverage: the score rests on less than min_coverage of its
	// inputs.
	UnrankedCoverage = "coverage"
	// UnrankedNoExposure: under CombineExposureWeighted, the register records
	// no surveillance there (exposure 0), so the score is 0 by construction
	// and cannot tell a narrow gap from an unreported one.
	UnrankedNoExposure = "no_exposure"
)

// rank sorts by score, widest gap first, and numbers them; equal scores
// share a rank (1, 2, 2, 4). A score is shown but not ranked when it rests
// on less than min_coverage of its inputs or, under
// CombineExposureWeighted, when its exposure is 0.
func rank(ss []Score, w *Weights) {
	for i := range ss {
		s := &ss[i]
		switch e := s.Components["exposure"].Value; {
		case s.Score == nil:
		case s.Coverage < w.MinCoverage:
			s.Unranked = UnrankedCoverage
		case w.Combine == CombineExposureWeighted && (e == nil || *e == 0):
			s.Unranked = UnrankedNoExposure
		}
	}
	ranked := func(s Score) *float64 {
		if s.Unranked != "" {
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
