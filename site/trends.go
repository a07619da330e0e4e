package site

import (
	"context"
	"html/template"
	"net/http"

	"oversight/analysis"
)

// trends is the trends page: the deployments the filter selects per year,
// by subregion and by technology, as charts with their tables, each count
// linking to the search for it where the search can select exactly it.
func (s *Site) trends(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	f, err := s.readNetFilter(r, rd)
	if err != nil {
		return err
	}
	v, err := memoize(s, ctx, rd, f.memoName("trends"), func(ctx context.Context, rd Reader) (*analysis.TrendTable, error) {
		return analysis.Trends(ctx, rd, f.Q)
	})
	if err != nil {
		return err
	}
	t := v.Val
	form, err := s.netForm(ctx, rd, "/trends", f)
	if err != nil {
		return err
	}
	years := yearList(t.Years)
	totals := trendRows([]analysis.TrendRow{t.Totals}, func(string) string { return "All deployments" },
		func(_, year string) string { return f.cellSearch(year, "", "") })[0]
	legend := []legendItem{}
	for _, row := range t.BySubregion {
		legend = append(legend, legendItem{subregionColours[row.Key], subregionWords(row.Key)})
	}
	data := map[string]any{
		"Title": "Trends", "T": t, "Form": form,
		"Years":  stackedYears(t),
		"Legend": legend,
		"Panels": techPanels(t),
		"BySub": trendTable{Caption: "Deployments by year and subregion", Head: "Subregion", Years: years, Totals: totals,
			Rows: trendRows(t.BySubregion, subregionWords, func(key, year string) string { return f.cellSearch(year, "subregion", key) })},
		"ByTech": trendTable{Caption: "Deployments by year and technology", Head: "Technology", Years: years, Totals: totals,
			Rows: trendRows(t.ByTechnology, techWords, func(key, year string) string { return f.cellSearch(year, "technology", key) })},
		"API":        template.URL("/api/v1/trends" + f.with()),
		"Network":    template.URL("/network" + f.with()),
		"YearsWords": years,
	}
	stale(w, data, v)
	s.render(w, r, http.StatusOK, "trends", data)
	return nil
}

// trendTable is a trend table as the page shows it: a row per subregion
// or technology, a column per year, and the totals.
type trendTable struct {
	Caption, Head string
	Years         []string
	Rows          []trendRow
	Totals        trendRow
}

// trendRow is a row of a trend table as the page shows it.
type trendRow struct {
	Key   string // the subregion or technology code, for tests and scripts
	Name  string
	Total int
	Cells []trendCell
}

// trendCell is a count, and the search that lists its deployments ("" when
// the search cannot select exactly them).
type trendCell struct {
	Year   string
	N      int
	Search template.URL
}

func trendRows(rows []analysis.TrendRow, name func(string) string, search func(key, year string) string) []trendRow {
	out := make([]trendRow, len(rows))
	for i, r := range rows {
		out[i] = trendRow{Key: r.Key, Name: name(r.Key), Total: r.Total, Cells: make([]trendCell, len(r.Cells))}
		for j, c := range r.Cells {
			out[i].Cells[j] = trendCell{Year: c.Year, N: c.N}
			if c.N > 0 {
				out[i].Cells[j].Search = template.URL(search(r.Key, c.Year))
			}
		}
	}
	return out
}

// cellSearch returns the search for the deployments of one year, and of
// one subregion or technology (param, key), under the filter; "" where the
// search cannot select exactly those: undated deployments (it has no
// filter for them), an unknown subregion or technology, and a technology
// other than one the filter already requires (a search takes one).
func (f netFilter) cellSearch(year, param, key string) string {
	if year == analysis.Undated || key == analysis.UnknownValue {
		return ""
	}
	if param == "technology" && f.Q.Capability != "" && f.Q.Capability != key {
		return ""
	}
	pairs := []string{"year_from", year, "year_to", year}
	if param != "" {
		pairs = append(pairs, param, key)
	}
	return "/search" + f.with(pairs...)
}

// yearList names the columns of the trend tables.
func yearList(years []string) []string {
	out := make([]string, len(years))
	for i, y := range years {
		out[i] = yearWords(y)
	}
	return out
}
