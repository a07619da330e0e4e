package site

import (
	"cmp"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"

	"oversight/analysis"
)

// The vendor network and trend charts: SVG drawn here, with no script and
// no inline style (the pages allow neither), each with role="img", a
// <title> and a <desc>, and a table on the page that gives the same
// figures. A mark's own <title> shows its figure on hover.

// hqColours colour the headquarters countries with the most vendors; each
// is dark enough for white figures on it (contrast at least 4.5:1).
var hqColours = []string{"#b2182b", "#2166ac", "#1b7837", "#762a83", "#8c510a", "#01665e", "#c51b7d"}

const (
	elsewhereColour = "#595959" // a headquarters past the palette
	unknownHQColour = "#ffffff" // drawn with an outline and dark figures
)

// palette maps headquarters countries to colours.
type palette struct {
	colours map[string]string
	order   []string // the countries of the palette, most vendors first
	other   bool     // some vendor is headquartered past the palette
	unknown bool     // some vendor's headquarters is unknown
}

// hqPalette gives a colour to each of the headquarters with the most rows,
// as many as hqColours holds; the rest share one.
func hqPalette(rows []analysis.VendorRow) *palette {
	count := map[string]int{}
	p := &palette{colours: map[string]string{}}
	for _, r := range rows {
		if r.Headquarters == analysis.UnknownValue {
			p.unknown = true
			continue
		}
		count[r.Headquarters]++
	}
	var hqs []string
	for c := range count {
		hqs = append(hqs, c)
	}
	slices.SortFunc(hqs, func(a, b string) int { return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b)) })
	for i, c := range hqs {
		if i < len(hqColours) {
			p.colours[c] = hqColours[i]
			p.order = append(p.order, c)
		} else {
			p.other = true
		}
	}
	return p
}

// colour returns a headquarters' colour.
func (p *palette) colour(hq string) string {
	if hq == analysis.UnknownValue {
		return unknownHQColour
	}
	return cmp.Or(p.colours[hq], elsewhereColour)
}

// legend lists the palette's colours in words.
func (p *palette) legend() []legendItem {
	var out []legendItem
	for _, c := range p.order {
		out = append(out, legendItem{p.colours[c], countryName(c)})
	}
	if p.other {
		out = append(out, legendItem{elsewhereColour, "another country"})
	}
	if p.unknown {
		out = append(out, legendItem{unknownHQColour, "unknown"})
	}
	return out
}

// esc escapes text for SVG.
func esc(s string) string { return html.EscapeString(s) }

// clip shortens a label to n characters, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// vendorMatrix draws rows of a vendor table as a matrix: a row per vendor,
// a column per jurisdiction, and where the vendor appears a square in the
// colour of its headquarters with the number of deployments. Each mark
// has class "mark" and names its vendor and jurisdiction (data-vendor,
// data-jurisdiction), as the table's row does.
func vendorMatrix(t *analysis.VendorTable, rows []analysis.VendorRow, p *palette) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	const cell, labelW, headH, right = 26, 200, 118, 64
	w, h := labelW+len(t.Jurisdictions)*cell+right, headH+len(rows)*cell+4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="matrix-chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="matrix-title matrix-desc">`, w, h, w, h)
	fmt.Fprintf(&b, `<title id="matrix-title">Vendors and lenders by jurisdiction</title><desc id="matrix-desc">%d vendors and lenders (rows) in %d jurisdictions (columns); a square where the vendor appears, coloured by its headquarters, with the number of deployments. The table below gives the same figures.</desc>`,
		len(rows), len(t.Jurisdictions))
	for i, j := range t.Jurisdictions {
		x := labelW + i*cell + cell/2
		if i > 0 && t.Subregions[i] != t.Subregions[i-1] {
			fmt.Fprintf(&b, `<line class="group" x1="%d" y1="%d" x2="%d" y2="%d"/>`, labelW+i*cell, headH-4, labelW+i*cell, h)
		}
		fmt.Fprintf(&b, `<text class="col" transform="translate(%d %d) rotate(-60)">%s</text>`, x+4, headH-6, esc(clip(countryName(j), 22)))
	}
	for k, r := range rows {
		y := headH + k*cell
		if k%2 == 0 {
			fmt.Fprintf(&b, `<rect class="stripe" x="0" y="%d" width="%d" height="%d"/>`, y, w, cell)
		}
		colour := p.colour(r.Headquarters)
		fmt.Fprintf(&b, `<rect class="key" x="2" y="%d" width="10" height="10" fill="%s"/>`, y+8, colour)
		fmt.Fprintf(&b, `<text class="row" x="18" y="%d">%s<title>%s, %s</title></text>`, y+17, esc(clip(r.Name, 28)), esc(r.Name), esc(hqWords(r.Headquarters)))
		figure := "count on-dark" // white figures on the palette's dark colours
		if colour == unknownHQColour {
			figure = "count"
		}
		for i, n := range r.Cells {
			if n == 0 {
				continue
			}
			x := labelW + i*cell
			fmt.Fprintf(&b, `<g class="mark" data-vendor="%s" data-jurisdiction="%s"><title>%s in %s: %s</title>`, esc(r.Vendor), t.Jurisdictions[i],
				esc(r.Name), esc(countryName(t.Jurisdictions[i])), deploymentsWords(n))
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s"/>`, x+2, y+2, cell-4, cell-4, colour)
			fmt.Fprintf(&b, `<text class="%s" x="%d" y="%d">%d</text></g>`, figure, x+cell/2, y+cell/2+4, n)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// deploymentsWords says a number of deployments.
func deploymentsWords(n int) string {
	if n == 1 {
		return "1 deployment"
	}
	return fmt.Sprintf("%d deployments", n)
}

// subregionColours colour the subregions in the trend chart, unknown last.
var subregionColours = map[string]string{
	"east_asia": "#8c2d04", "southeast_asia": "#0b4f8a", "south_asia": "#1b7837", "central_asia": "#762a83", "oceania": "#8c6d00",
	analysis.UnknownValue: "#808080",
}

// subregionWords names a subregion, or says it is unknown.
func subregionWords(s string) string {
	if s == analysis.UnknownValue {
		return "subregion unknown"
	}
	return label("subregion", s)
}

// techWords names a technology, or says none is stated.
func techWords(c string) string {
	if c == analysis.UnknownValue {
		return "no technology stated"
	}
	return label("capability", c)
}

// yearWords names a column of a trend table.
func yearWords(y string) string {
	if y == analysis.Undated {
		return "undated"
	}
	return y
}

// stackedYears draws the deployments of each year as a bar stacked by
// subregion. Each segment has class "mark" and names its subregion and
// year (data-key, data-year), as the table's cells do.
func stackedYears(t *analysis.TrendTable) template.HTML {
	if t.Totals.Total == 0 {
		return ""
	}
	const colW, barW, left, top, plotH, bottom = 28, 20, 34, 10, 180, 46
	w, h := left+len(t.Years)*colW+8, top+plotH+bottom
	peak := 0
	for _, c := range t.Totals.Cells {
		peak = max(peak, c.N)
	}
	step := tickStep(peak)
	scale := float64(plotH) / float64(roundUp(peak, step))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="years-title years-desc">`, w, h, w, h)
	fmt.Fprintf(&b, `<title id="years-title">Deployments by year and subregion</title><desc id="years-desc">One bar a year, %s to %s, then the undated deployments; each bar stacked by subregion. The table below gives the same figures.</desc>`,
		yearWords(t.Years[0]), yearWords(t.Years[len(t.Years)-1]))
	for v := 0; v <= roundUp(peak, step); v += step {
		y := float64(top+plotH) - float64(v)*scale
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/><text class="tick" x="%d" y="%.1f" text-anchor="end">%d</text>`, left, y, w-4, y, left-4, y+4, v)
	}
	for i, year := range t.Years {
		x := left + i*colW + (colW-barW)/2
		base := float64(top + plotH)
		for _, r := range t.BySubregion {
			c := r.Cells[i]
			if c.N == 0 {
				continue
			}
			hgt := float64(c.N) * scale
			base -= hgt
			fmt.Fprintf(&b, `<rect class="mark" data-key="%s" data-year="%s" x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s, %s: %s</title></rect>`,
				r.Key, year, x, base, barW, hgt, subregionColours[r.Key], esc(subregionWords(r.Key)), yearWords(year), deploymentsWords(c.N))
		}
		fmt.Fprintf(&b, `<text class="tick" transform="translate(%d %d) rotate(-50)" text-anchor="end">%s</text>`, x+barW/2+4, top+plotH+12, yearWords(year))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// techPanel is one small multiple of the technology chart.
type techPanel struct {
	Key   string
	Total int
	SVG   template.HTML
}

// techPanels draws each technology's deployments by year as a small bar
// chart, every one on the same scale so that their heights compare. Each
// bar has class "mark" and names its technology and year.
func techPanels(t *analysis.TrendTable) []techPanel {
	peak := 0
	for _, r := range t.ByTechnology {
		for _, c := range r.Cells {
			peak = max(peak, c.N)
		}
	}
	if peak == 0 {
		return nil
	}
	const colW, plotH, base = 8, 48, 62
	w := len(t.Years)*colW + 2
	var out []techPanel
	for _, r := range t.ByTechnology {
		var b strings.Builder
		fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="panel" width="%d" height="%d" viewBox="0 0 %d %d" role="img"><title>%s: %s, by year</title>`,
			w, base+12, w, base+12, esc(techWords(r.Key)), deploymentsWords(r.Total))
		fmt.Fprintf(&b, `<line class="axis" x1="0" y1="%d" x2="%d" y2="%d"/>`, base, w, base)
		for i, c := range r.Cells {
			if c.N == 0 {
				continue
			}
			hgt := float64(c.N) / float64(peak) * plotH
			fmt.Fprintf(&b, `<rect class="mark" data-key="%s" data-year="%s" x="%d" y="%.1f" width="%d" height="%.1f"><title>%s: %s</title></rect>`,
				r.Key, c.Year, i*colW+1, float64(base)-hgt, colW-2, hgt, yearWords(c.Year), deploymentsWords(c.N))
		}
		fmt.Fprintf(&b, `<text class="tick" x="0" y="%d">%s</text><text class="tick" x="%d" y="%d" text-anchor="end">%s</text></svg>`,
			base+11, yearWords(t.Years[0]), w, base+11, yearWords(t.Years[len(t.Years)-1]))
		out = append(out, techPanel{Key: r.Key, Total: r.Total, SVG: template.HTML(b.String())})
	}
	return out
}

// tickStep is a step for an axis up to peak: 1, 2 or 5 times a power of
// ten, giving at most five ticks.
func tickStep(peak int) int {
	for step := 1; ; step *= 10 {
		for _, m := range []int{1, 2, 5} {
			if peak <= 5*m*step {
				return m * step
			}
		}
	}
}

// roundUp rounds n up to a multiple of step, at least one step.
func roundUp(n, step int) int { return max(step, (n+step-1)/step*step) }
