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

// TrendCell is one cell of a trend table with the deployments behind it.
type TrendCell struct {
	Year        string   `json:"year"`
	N           int      `json:"n"`
	Deployments []string `json:"deployments"`
}

// Trends tabulates the deployments q selects per year.
func Trends(ctx context.Context, reg NetworkRegister, q NetworkQuery) (*TrendTable, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	w, err := loadNetWorld(ctx, reg)
	if err != nil {
		return nil, err
	}
	type entry struct {
		year int
		id   string
	}
	bySub, byTech := map[string][]entry{}, map[string][]entry{}
	var all []entry
	first, last := 0, 0
	err = q.each(ctx, reg, w, func(d *registry.Deployment) error {
		e := entry{d.Year(), d.ID}
		if e.year != 0 {
			if first == 0 || e.year < first {
				first = e.year
			}
			last = max(last, e.year)
		}
		all = append(all, e)
		sub := w.sub(d.Jurisdiction)
		bySub[sub] = append(bySub[sub], e)
		caps := d.System.Capabilities
		if len(caps) == 0 {
			caps = []string{UnknownValue}
		}
		for _, c := range caps {
			byTech[c] = append(byTech[c], e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t := &TrendTable{Query: q, Years: []string{}, BySubregion: []TrendRow{}, ByTechnology: []TrendRow{}}
	if first != 0 {
		for y := first; y <= last; y++ {
			t.Years = append(t.Years, strconv.Itoa(y))
		}
	}
	t.Years = append(t.Years, Undated)
	col := func(year int) int {
		if year == 0 {
			return len(t.Years) - 1
		}
		return year - first
	}
	row := func(key string, es []entry) TrendRow {
		r := TrendRow{Key: key, Total: len(es), Cells: make([]TrendCell, len(t.Years))}
		for i, y := range t.Years {
			r.Cells[i] = TrendCell{Year: y, Deployments: []string{}}
		}
		for _, e := range es {
			c := &r.Cells[col(e.year)]
			c.N++
			c.Deployments = append(c.Deployments, e.id)
		}
		return r
	}
	t.Totals = row("total", all)
	for _, sub := range append(slices.Clone(registry.Subregions.Values), UnknownValue) {
		if es, ok := bySub[sub]; ok {
			t.BySubregion = append(t.BySubregion, row(sub, es))
		}
	}
	for _, c := range append(slices.Clone(registry.Capabilities.Values), UnknownValue) {
		if es, ok := byTech[c]; ok {
			t.ByTechnology = append(t.ByTechnology, row(c, es))
		}
	}
	return t, nil
}
