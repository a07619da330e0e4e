package analysis

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"oversight/registry"
	"oversight/rules"
)

//go:embed weights.yaml
var defaultWeights []byte

// The ways the components make the score (Weights.Combine).
const (
	// CombineExposureWeighted: the score is exposure times the weighted
	// mean of the safeguard gap and the regime context. Weak safeguards
	// leave a gap only as wide as the surveillance they fail to govern;
	// components.exposure is not read.
	CombineExposureWeighted = "exposure_weighted"
	// CombineMean: the score is the weighted mean of the three components
	// (version 1.0.0 of the method).
	CombineMean = "mean"
)

// Weights are the numbers of the method, read from a YAML file.
type Weights struct {
	Method      string  `yaml:"method" json:"method"`
	Version     string  `yaml:"version" json:"version"`
	MinCoverage float64 `yaml:"min_coverage" json:"min_coverage"` // scores on less are not ranked
	// Combine is how the components make the score: CombineExposureWeighted
	// or CombineMean. A file without it is read as CombineMean, the method
	// of version 1, so that older weight files give the figures they gave.
	Combine    string `yaml:"combine" json:"combine"`
	Components struct {
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
	switch w.Combine {
	case "":
		w.Combine = CombineMean
	case CombineMean, CombineExposureWeighted:
	default:
		bad("combine", "%q is not a way to combine (allowed: %s, %s)", w.Combine, CombineExposureWeighted, CombineMean)
	}
	unit("components.exposure", w.Components.Exposure)
	unit("components.safeguards", w.Components.Safeguards)
	unit("components.context", w.Components.Context)
	if w.Components.Exposure+w.Components.Safeguards+w.Components.Context == 0 {
		bad("components", "at least one component needs a weight")
	}
	if w.Combine == CombineExposureWeighted && w.Components.Safeguards+w.Components.Context == 0 {
		bad("components", "combine %s needs a weight for safeguards or context", CombineExposureWeighted)
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
