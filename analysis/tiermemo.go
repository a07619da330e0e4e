package analysis

import (
	"slices"
	"sync"

	"oversight/registry"
)

// tierMemoMax bounds the spans a classifier keeps: about 2.5 KB each.
const tierMemoMax = 4096

// tierMemo keeps TierSpans' results by the values of the facts the
// projected frameworks read (rules.Facts.Key over their Reads). Many
// deployments agree on those few facts (every synthetic one of a kind,
// and real ones of one operator, technology and country), and the spans
// are a function of them alone, so each set of values is classified once
// rather than once a deployment. Full, it starts again empty: a register
// whose deployments all differ pays one map look-up each.
type tierMemo struct {
	readsOnce sync.Once
	reads     []string // every leaf a framework with tiers reads, in path order

	mu    sync.Mutex
	spans map[string][]registry.TierSpan
}

// tierReads lists the leaves the tiers of c's frameworks depend on.
func (c *Classifier) tierReads() []string {
	m := &c.tierMemo
	m.readsOnce.Do(func() {
		for _, fw := range c.frameworks {
			if _, ok := c.TierBounds(fw.ID); ok {
				m.reads = append(m.reads, fw.Reads()...)
			}
		}
		slices.Sort(m.reads)
		m.reads = slices.Compact(m.reads)
	})
	return m.reads
}

// get returns a copy of the spans kept for key.
func (m *tierMemo) get(key string) ([]registry.TierSpan, bool) {
	m.mu.Lock()
	s, ok := m.spans[key]
	m.mu.Unlock()
	return slices.Clone(s), ok
}

// put keeps a copy of spans for key.
func (m *tierMemo) put(key string, spans []registry.TierSpan) {
	s := slices.Clone(spans)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.spans == nil || len(m.spans) >= tierMemoMax {
		m.spans = make(map[string][]registry.TierSpan)
	}
	m.spans[key] = s
}
