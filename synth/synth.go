// Package synth makes synthetic registers for load tests and benchmarks:
// deployments modelled on the built-in ones, so that their mix of
// jurisdictions, capabilities, purposes, vendors, dates and statuses is
// realistic, but every one marked synthetic in its id, title, summary and
// sources, which point at example.org. They are never real data.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"oversight/registry"
)

// Prefix starts the id of every synthetic deployment.
const Prefix = "synthetic-"

// IsSynthetic reports whether a deployment id is one synth made.
func IsSynthetic(id string) bool { return strings.HasPrefix(id, Prefix) }

// Batch returns synthetic deployments number from to to-1, modelled on the
// deployments of base and drawn with the seed, so that the same seed and
// numbers always give the same records. Their jurisdictions and vendors are
// base's, which the register must hold.
func Batch(base *registry.Set, seed uint64, from, to int) []*registry.Deployment {
	out := make([]*registry.Deployment, 0, to-from)
	for i := from; i < to; i++ {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		t := base.Deployments[rng.IntN(len(base.Deployments))]
		out = append(out, deployment(i, t, rng))
	}
	return out
}

// Reference returns base's jurisdictions, vendors and instruments, which synthetic
// deployments refer to.
func Reference(base *registry.Set) *registry.Set {
	return &registry.Set{Jurisdictions: base.Jurisdictions, Vendors: base.Vendors, Instruments: base.Instruments}
}

var source = []registry.Source{{Key: "synthetic", URL: "https://example.org/synthetic", Title: "Synthetic record, not a real deployment",
	Accessed: registry.Date{Year: 2026, Month: 11, Day: 24}}}

func deployment(i int, t *registry.Deployment, rng *rand.Rand) *registry.Deployment {
	cite := []string{"synthetic"}
	d := &registry.Deployment{
		ID:           fmt.Sprintf("%s%08d", Prefix, i),
		Title:        fmt.Sprintf("Synthetic deployment %d (%s)", i, strings.Join(t.System.Capabilities, ", ")),
		Jurisdiction: t.Jurisdiction,
		Summary:      "A synthetic record for load tests, modelled on " + t.ID + "; not a real deployment.",
		Operator:     registry.Operator{Name: "Synthetic operator", Kind: t.Operator.Kind, Sources: cite},
		System:       registry.System{Capabilities: t.System.Capabilities, Purposes: t.System.Purposes, Sources: cite},
		Status:       registry.Status{Value: t.Status.Value},
		Certainty:    t.Certainty,
		Sources:      source,
	}
	if d.Status.Value != "unknown" {
		d.Status.Sources = cite
	}
	if d.Operator.Kind == "" {
		d.Operator.Kind = "unknown"
	}
	if t.Place.Lat != nil && t.Place.Lon != nil {
		lat, lon := *t.Place.Lat+rng.Float64()-0.5, *t.Place.Lon+rng.Float64()-0.5
		d.Place = registry.Place{Name: "Synthetic place", Level: t.Place.Level, Lat: &lat, Lon: &lon}
	}
	for _, v := range t.Vendors {
		d.Vendors = append(d.Vendors, registry.VendorRole{Vendor: v.Vendor, Role: v.Role, Sources: cite})
	}
	if t.Scale.Cameras != nil {
		c := int64(float64(*t.Scale.Cameras) * (0.5 + rng.Float64()))
		d.Scale = registry.Scale{Cameras: &c, Sources: cite}
	}
	if y := t.Year(); y != 0 {
		d.Dates = []registry.DatedEvent{{Event: "live", Date: registry.Date{Year: min(2026, y+rng.IntN(5)-2)}, Sources: cite}}
	}
	return d
}
