package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"oversight/registry"
	"oversight/rules"
)

// derivation names the code that turns a record into facts (DeriveFacts,
// FactsFor) and facts into spans. Change it whenever that code changes
// what it gives, so that stores project every deployment again.
const derivation = "tiers/4"

// TierSpans returns a deployment's tier under every framework whose tiers
// can be computed ahead, from facts, its fact document in the register,
// or else from its record (never from a curated document the classifier
// was made with: the register's facts are the projection's input), one span per interval of days on which the tier
// holds (registry.TierProjector), within the days the framework is in
// force. Each framework is evaluated once on the first of those days and
// once on each change day after it; neighbouring intervals with the same
// tier are joined. Documents that agree on every fact the frameworks
// read share their spans (tierMemo).
func (c *Classifier) TierSpans(d *registry.Deployment, facts *registry.FactDoc) []registry.TierSpan {
	var f *rules.Facts
	var doc map[string]any
	if facts != nil && facts.Facts() != nil {
		f = facts.Facts()
		doc = f.Doc()
	} else {
		doc = DeriveFacts(d)
	}
	key, ok := c.schema.Key(doc, c.tierReads())
	if ok {
		if spans, hit := c.tierMemo.get(key); hit {
			return spans
		}
	}
	if f == nil {
		f = c.schema.DerivedFacts(doc) // as c.derived, from the document already made
	}
	spans := c.tierSpans(f)
	if ok {
		c.tierMemo.put(key, spans)
	}
	return spans
}

// tierSpans classifies f on the first day of each framework with tiers
// and on each of its change days, as TierSpans says.
func (c *Classifier) tierSpans(f *rules.Facts) []registry.TierSpan {
	out := make([]registry.TierSpan, 0, len(c.frameworks))
	for _, fw := range c.frameworks {
		b, ok := c.TierBounds(fw.ID)
		if !ok {
			continue
		}
		days, _ := fw.Changes()
		from := b.From
		start, _ := time.Parse(time.DateOnly, from)
		tier := fw.TierAt(f, start)
		for _, day := range days {
			at := day.Format(time.DateOnly)
			if at <= from || at >= b.Until {
				continue
			}
			t := fw.TierAt(f, day)
			if t == tier {
				continue
			}
			out = append(out, registry.TierSpan{Framework: fw.ID, Tier: string(tier), From: from, Until: at})
			from, tier = at, t
		}
		out = append(out, registry.TierSpan{Framework: fw.ID, Tier: string(tier), From: from, Until: b.Until})
	}
	return out
}

// TierBounds gives the days a framework is in force; outside them its
// tier is not applicable (rules.Framework.Evaluate).
func (c *Classifier) TierBounds(framework string) (registry.TierBounds, bool) {
	fw, ok := c.byID[framework]
	if !ok {
		return registry.TierBounds{}, false
	}
	if _, ok := fw.Changes(); !ok {
		return registry.TierBounds{}, false
	}
	b := registry.TierBounds{From: registry.FirstDay, Until: registry.LastDay, Outside: string(rules.NotApplicable)}
	if fw.EffectiveFrom != "" {
		b.From = fw.EffectiveFrom
	}
	if fw.EffectiveTo != "" {
		b.Until = fw.EffectiveTo
	}
	return b, true
}

// TierChanges lists the change days of a framework within its bounds,
// the only days besides them on which TierSpans begins or ends a span.
func (c *Classifier) TierChanges(framework string) []string {
	b, ok := c.TierBounds(framework)
	if !ok {
		return nil
	}
	days, _ := c.byID[framework].Changes()
	var out []string
	for _, day := range days {
		if at := day.Format(time.DateOnly); at > b.From && at < b.Until {
			out = append(out, at)
		}
	}
	return out
}

// TierFrameworks lists the frameworks whose tiers TierSpans gives.
func (c *Classifier) TierFrameworks() []string {
	var out []string
	for _, fw := range c.frameworks {
		if _, ok := c.TierBounds(fw.ID); ok {
			out = append(out, fw.ID)
		}
	}
	return out
}

// TierNames lists every tier a result may take, most severe first.
func (c *Classifier) TierNames() []string {
	out := make([]string, len(rules.AllTiers))
	for i, t := range rules.AllTiers {
		out[i] = string(t)
	}
	return out
}

// TierVersion is a digest of everything TierSpans and DeploymentClass
// depend on besides the deployment and its facts: the derivation, the fact
// schema, the built-in weights' cameras_full, every
// framework as loaded and every curated fact document the classifier was
// made with (none, for one that reads a register's).
func (c *Classifier) TierVersion() string {
	c.versionOnce.Do(func() {
		h := sha256.New()
		enc := json.NewEncoder(h)
		enc.Encode(derivation)
		enc.Encode(rules.SchemaID)
		enc.Encode(builtinCamerasFull()) // of the classes' scales
		for _, fw := range c.frameworks {
			enc.Encode(fw)
		}
		for _, id := range slices.Sorted(maps.Keys(c.curated)) {
			enc.Encode(id)
			enc.Encode(c.curated[id].Doc())
		}
		c.version = hex.EncodeToString(h.Sum(nil))
	})
	return c.version
}

var _ registry.TierProjector = (*Classifier)(nil)
