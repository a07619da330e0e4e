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
const derivation = "tiers/1"

// TierSpans returns a deployment's tier under every framework whose tiers
// can be computed ahead, one span per interval of days on which the tier
// holds (registry.TierProjector). Each framework is evaluated once before
// its first change day and once on each change day; neighbouring intervals
// with the same tier are joined.
func (c *Classifier) TierSpans(d *registry.Deployment) []registry.TierSpan {
	f, _ := c.FactsFor(d)
	out := make([]registry.TierSpan, 0, len(c.frameworks))
	for _, fw := range c.frameworks {
		days, ok := fw.Changes()
		if !ok {
			continue
		}
		from := registry.FirstDay
		tier := fw.Evaluate(f, time.Time{}).Tier
		for _, day := range days {
			t := fw.Evaluate(f, day).Tier
			if t == tier {
				continue
			}
			until := day.Format(time.DateOnly)
			out = append(out, registry.TierSpan{Framework: fw.ID, Tier: string(tier), From: from, Until: until})
			from, tier = until, t
		}
		out = append(out, registry.TierSpan{Framework: fw.ID, Tier: string(tier), From: from, Until: registry.LastDay})
	}
	return out
}

// Projected says whether a framework's tiers are in TierSpans.
func (c *Classifier) Projected(framework string) bool {
	fw, ok := c.byID[framework]
	if !ok {
		return false
	}
	_, ok = fw.Changes()
	return ok
}

// TierVersion is a digest of everything TierSpans depends on besides the
// deployment: the derivation, the fact schema, every framework as loaded
// and every curated fact document.
func (c *Classifier) TierVersion() string {
	c.versionOnce.Do(func() {
		h := sha256.New()
		enc := json.NewEncoder(h)
		enc.Encode(derivation)
		enc.Encode(rules.SchemaID)
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

// TiersFrom reads the tiers on one day out of spans, by framework.
func TiersFrom(spans []registry.TierSpan, day string) map[string]rules.Tier {
	out := map[string]rules.Tier{}
	for _, s := range spans {
		if s.From <= day && day < s.Until {
			out[s.Framework] = rules.Tier(s.Tier)
		}
	}
	return out
}

var _ registry.TierProjector = (*Classifier)(nil)
