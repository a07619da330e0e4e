package analysis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"

	"oversight/registry"
	"oversight/rules"
)

// A deployment's class (registry.DeploymentClass) is the part of its facts
// that every framework reads, so that the index and scenarios classify each
// class once rather than each deployment (classindex.go, classscenario.go).
// The store writes it with the tiers, from the same facts.

// jurisdictionLeaf is read by every framework: it decides where it applies.
const jurisdictionLeaf = "deployment.jurisdiction"

// classReads lists the leaves a class holds: every leaf any of c's
// frameworks reads, projected or not, and the jurisdiction.
func (c *Classifier) classReads() []string {
	c.classOnce.Do(func() {
		c.classPaths = []string{jurisdictionLeaf}
		for _, fw := range c.frameworks {
			c.classPaths = append(c.classPaths, fw.Reads()...)
		}
		slices.Sort(c.classPaths)
		c.classPaths = slices.Compact(c.classPaths)
	})
	return c.classPaths
}

// DeploymentClass returns a deployment's class, from facts, its fact
// document in the register, or else from its record, as TierSpans reads
// them, and its scale under the built-in weights' cameras_full.
func (c *Classifier) DeploymentClass(d *registry.Deployment, facts *registry.FactDoc) registry.DeploymentClass {
	var doc map[string]any
	if facts != nil && facts.Facts() != nil {
		doc = facts.Facts().Doc()
	} else {
		doc = DeriveFacts(d)
	}
	sub := map[string]any{}
	for _, p := range c.classReads() {
		if v := rules.PathValue(doc, p); v != nil {
			rules.SetPathValue(sub, p, v)
		}
	}
	// encoding/json writes map keys sorted: one class, one text.
	b, err := json.Marshal(sub)
	if err != nil {
		panic(fmt.Sprintf("analysis: a fact document that does not encode: %v", err)) // documents hold JSON values only
	}
	return registry.DeploymentClass{Doc: b, Scale: scaleUnits(d.Scale.Cameras, builtinCamerasFull())}
}

// classFacts makes a class's document, as the store holds it, into facts
// to evaluate. The document comes from a table, not from this program, so
// it is checked as an outside one: at most maxClassDoc bytes, one JSON
// object holding only the leaves a class holds, each of its leaf's type
// (DerivedFacts does not check them).
func (c *Classifier) classFacts(doc []byte) (*rules.Facts, error) {
	if len(doc) > maxClassDoc {
		return nil, fmt.Errorf("fact class: %d bytes, over the limit of %d", len(doc), maxClassDoc)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("fact class %.60q: %w", doc, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("fact class %.60q: more than one JSON value", doc)
	}
	rules.NormaliseNumbers(m)
	n := 0
	for _, p := range c.classReads() {
		v := rules.PathValue(m, p)
		if v == nil {
			continue
		}
		n++
		l, ok := c.schema.Leaf(p)
		if !ok || !leafTyped(l.Kind, v) {
			return nil, fmt.Errorf("fact class %.60q: %s holds a value of another type than the schema's", doc, p)
		}
	}
	if leaves(m) != n {
		return nil, fmt.Errorf("fact class %.60q: it holds facts no framework reads", doc)
	}
	return c.schema.DerivedFacts(m), nil
}

// maxClassDoc bounds a class document: the built-in frameworks' classes
// take a few hundred bytes.
const maxClassDoc = 64 << 10

// leafTyped says whether v is a value a leaf of kind k holds once read.
func leafTyped(k rules.Kind, v any) bool {
	switch k {
	case rules.Bool:
		_, ok := v.(bool)
		return ok
	case rules.Int:
		_, ok := v.(int64)
		return ok
	case rules.String:
		_, ok := v.(string)
		return ok
	case rules.StringList:
		items, ok := v.([]any)
		for _, it := range items {
			if _, s := it.(string); !s {
				return false
			}
		}
		return ok
	}
	return false
}

// leaves counts the values of a document that are not objects.
func leaves(v any) int {
	m, ok := v.(map[string]any)
	if !ok {
		return 1
	}
	n := 0
	for _, e := range m {
		n += leaves(e)
	}
	return n
}

// scaleUnits is a deployment's scale, log10(1 + cameras) / log10(1 +
// full) and at most 1, in registry.ScaleUnit; -1 when cameras is unknown.
// The index weighs scales in these units, so that the store's sums of them
// and a walk's give the same totals.
func scaleUnits(cameras *int64, full float64) int64 {
	if cameras == nil {
		return -1
	}
	s := math.Min(1, math.Log10(1+float64(max(*cameras, 0)))/math.Log10(1+full))
	return int64(math.Round(s * registry.ScaleUnit))
}

// unitsOf is a scale in registry.ScaleUnit.
func unitsOf(s float64) int64 { return int64(math.Round(s * registry.ScaleUnit)) }

// builtinCamerasFull is cameras_full of the built-in weights, which the
// store's scales are written with; a weighting with another cannot use them.
var builtinCamerasFull = sync.OnceValue(func() float64 {
	w, err := DefaultWeights()
	if err != nil {
		panic(fmt.Sprintf("analysis: the built-in weights do not load: %v", err))
	}
	return w.Exposure.CamerasFull
})

var _ registry.ClassProjector = (*Classifier)(nil)
