package store

import (
	"strconv"
	"strings"

	"oversight/registry"
)

// tierCodec writes tier spans in the table's integers: a framework and a
// tier together as one small code, a day as YYYYMMDD. Codes follow the
// projector's lists, so they hold for one projector version, which the
// whole table is written with. At 20,000 synthetic deployments the
// projection took 89 MB with text columns and a second copy of its key.
type tierCodec struct {
	registry.TierProjector
	fws     []string // TierFrameworks, asked once
	fwIdx   map[string]int
	tiers   []string // TierNames, asked once
	tierIdx map[string]int
	// days holds, by framework, the days its spans may begin or end on,
	// in order: its first day in force, its TierChanges, and the day
	// after its last (dayNum).
	days map[string][]int
}

// tierCodeWidth is how many tier codes each framework's block holds.
const tierCodeWidth = 32

func newTierCodec(p registry.TierProjector) *tierCodec {
	if p == nil {
		return nil
	}
	c := &tierCodec{TierProjector: p, fws: p.TierFrameworks(), fwIdx: map[string]int{}, tiers: p.TierNames(), tierIdx: map[string]int{}}
	c.days = make(map[string][]int, len(c.fws))
	for i, fw := range c.fws {
		c.fwIdx[fw] = i
		b, _ := p.TierBounds(fw)
		days := []int{dayNum(b.From)}
		for _, d := range p.TierChanges(fw) {
			days = append(days, dayNum(d))
		}
		c.days[fw] = append(days, dayNum(b.Until))
	}
	for i, t := range c.tiers[:min(len(c.tiers), tierCodeWidth)] {
		c.tierIdx[t] = i
	}
	return c
}

// code is the code of a tier under a framework.
func (c *tierCodec) code(fw, tier string) (int, bool) {
	i, ok := c.fwIdx[fw]
	j, ok2 := c.tierIdx[tier]
	return i*tierCodeWidth + j, ok && ok2
}

// decode is the framework and tier of a code.
func (c *tierCodec) decode(code int) (fw, tier string, ok bool) {
	i, j, ok := c.split(code)
	if !ok {
		return "", "", false
	}
	return c.fws[i], c.tiers[j], true
}

// split is the framework and tier of a code as indexes of fws and tiers.
func (c *tierCodec) split(code int) (fw, tier int, ok bool) {
	i, j := code/tierCodeWidth, code%tierCodeWidth
	if code < 0 || i >= len(c.fws) || j >= len(c.tiers) {
		return 0, 0, false
	}
	return i, j, true
}

// spans are the stored spans of a deployment's TierSpans, in their order:
// those of a framework and tier with no code are left out.
func (c *tierCodec) spans(ts []registry.TierSpan) []span {
	out := make([]span, 0, len(ts))
	for _, sp := range ts {
		if code, ok := c.code(sp.Framework, sp.Tier); ok {
			out = append(out, span{code, dayNum(sp.From), dayNum(sp.Until)})
		}
	}
	return out
}

// spansOn lists the (from, until) days of every span of framework fw that
// may hold on day (dayNum): a span begins on one of its days up to day
// and ends on one after it.
func (c *tierCodec) spansOn(fw string, day int) [][2]int {
	days := c.days[fw]
	var out [][2]int
	for _, from := range days {
		if from > day {
			break
		}
		for _, until := range days {
			if until > day {
				out = append(out, [2]int{from, until})
			}
		}
	}
	return out
}

// dayNum is a YYYY-MM-DD day as the number YYYYMMDD, which orders the same.
func dayNum(day string) int {
	n, _ := strconv.Atoi(strings.ReplaceAll(day, "-", ""))
	return n
}
