package analysis

import (
	"context"
	"slices"
	"strconv"

	"oversight/registry"
)

// Undated is the column of deployments with no dated event.
const Undated = "undated"

// TrendTable counts the selected deployments per year, by subregion and by
// technology. A deployment's year is that of its earliest dated event
// (registry.Deployment.Year); undated deployments are counted under
// Undated, never dropped. A deployment with several capabilities counts
// once in each of their rows, so the technology rows can add up to more
// than Totals; one with none stated counts in row UnknownValue.
type TrendTable struct {
	Query        NetworkQuery `json:"query"`
	Years        []string     `json:"years"` // every year from the first to the last, then Undated
	BySubregion  []TrendRow   `json:"by_subregion"`
	ByTechnology []TrendRow   `json:"by_technology"`
	Totals       TrendRow     `json:"totals"` // every selected deployment once
}

// TrendRow is one row of a trend table; Cells line up with Years.
type TrendRow struct {
	Key   string      `json:"key"`
	Total int         `json:"total"`
	Cells []TrendCell `json:"cells"`
}

// TrendCell is one cell of a trend table with the first ListMax
// deployments behind it; N counts them all.
type TrendCell struct {
	Year             string   `json:"year"`
	N                int      `json:"n"`
	Deployments      []string `json:"deployments"`
	DeploymentsTotal int      `json:"deployments_total"` // equal to N
}

// Trends tabulates the deployments q selects per year. It keeps a count and
// the first ListMax ids per row and year, never every deployment, so its
// memory does not grow with the register. From a register that keeps
// counts (CountRegister) it sums them and reads only the ids it lists.
func Trends(ctx context.Context, reg NetworkRegister, q NetworkQuery) (*TrendTable, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	w, err := loadNetWorld(ctx, reg)
	if err != nil {
		return nil, err
	}
	if cr, ok := reg.(CountRegister); ok {
		return trendsCounted(ctx, cr, w, q)
	}
	return trendsWalked(ctx, reg, w, q)
}

// A trendTally is one row of a trend table by year, 0 for undated, until
// the range of years is known.
type trendTally map[int]*TrendCell

// trendsWalked tabulates by reading every deployment q selects.
func trendsWalked(ctx context.Context, reg NetworkRegister, w *netWorld, q NetworkQuery) (*TrendTable, error) {
	add := func(t trendTally, year int, id string) {
		c := t[year]
		if c == nil {
			c = &TrendCell{Deployments: []string{}}
			t[year] = c
		}
		c.Deployments = addCapped(c.Deployments, &c.N, id)
	}
	all, bySub, byTech := trendTally{}, map[string]trendTally{}, map[string]trendTally{}
	err := q.each(ctx, reg, w, func(d *registry.Deployment) error {
		year := d.Year()
		add(all, year, d.ID)
		sub := w.sub(d.Jurisdiction)
		if bySub[sub] == nil {
			bySub[sub] = trendTally{}
		}
		add(bySub[sub], year, d.ID)
		caps := d.System.Capabilities
		if len(caps) == 0 {
			caps = []string{UnknownValue}
		}
		for _, c := range caps {
			if byTech[c] == nil {
				byTech[c] = trendTally{}
			}
			add(byTech[c], year, d.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return trendTable(q, all, bySub, byTech), nil
}

// trendTable lays the tallies out as a table, every year from the first
// to the last that has a deployment, then Undated.
func trendTable(q NetworkQuery, all trendTally, bySub, byTech map[string]trendTally) *TrendTable {
	first, last := 0, 0
	for year := range all {
		if year != 0 {
			if first == 0 || year < first {
				first = year
			}
			last = max(last, year)
		}
	}
	t := &TrendTable{Query: q, Years: []string{}, BySubregion: []TrendRow{}, ByTechnology: []TrendRow{}}
	if first != 0 {
		for y := first; y <= last; y++ {
			t.Years = append(t.Years, strconv.Itoa(y))
		}
	}
	t.Years = append(t.Years, Undated)
	year := func(col int) int {
		if col == len(t.Years)-1 {
			return 0
		}
		return first + col
	}
	row := func(key string, tl trendTally) TrendRow {
		r := TrendRow{Key: key, Cells: make([]TrendCell, len(t.Years))}
		for i, y := range t.Years {
			c := TrendCell{Year: y, Deployments: []string{}}
			if tc := tl[year(i)]; tc != nil {
				c.N, c.Deployments = tc.N, tc.Deployments
			}
			c.DeploymentsTotal = c.N
			r.Cells[i] = c
			r.Total += c.N
		}
		return r
	}
	t.Totals = row("total", all)
	for _, sub := range append(slices.Clone(registry.Subregions.Values), UnknownValue) {
		if tl, ok := bySub[sub]; ok {
			t.BySubregion = append(t.BySubregion, row(sub, tl))
		}
	}
	for _, c := range append(slices.Clone(registry.Capabilities.Values), UnknownValue) {
		if tl, ok := byTech[c]; ok {
			t.ByTechnology = append(t.ByTechnology, row(c, tl))
		}
	}
	return t
}
