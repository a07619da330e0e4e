package site

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"oversight/analysis"
)

// Colours of the scale, from narrow to wide gap (ColorBrewer PuOr-like
// oranges, chosen for contrast with the grey of no data).
var scale = []string{"#fee6ce", "#fdae6b", "#f16913", "#d94801", "#8c2d04"}

const noData = "#d9d9d9"

func scoreColour(score float64) string {
	i := int(score / 20)
	return scale[min(max(i, 0), len(scale)-1)]
}

type legendItem struct{ Colour, Label string }

func legend() []legendItem {
	var out []legendItem
	for i, c := range scale {
		out = append(out, legendItem{c, fmt.Sprintf("%d–%d", i*20, i*20+20)})
	}
	return append(out, legendItem{noData, "no score"})
}

// rankText says where a score ranks, or why it does not.
func rankText(s analysis.Score) string {
	switch {
	case s.Rank > 0:
		return fmt.Sprintf("rank %d", s.Rank)
	case s.Unranked == analysis.UnrankedNoExposure:
		return "not ranked (the register records no surveillance here, so there is no gap to measure yet)"
	}
	return "not ranked (too few inputs known)"
}

// thinGap says, for a score whose gap factors rest on fewer than half of
// their inputs, what the score can and cannot show: unknown safeguards are
// left out of the mean, so one recorded law in place makes the safeguard
// gap 0 (Macao's score of 0.0 rests on one of seven safeguards and no
// regime). Empty when the gap factors are mostly known or there is no score.
func thinGap(s analysis.Score) string {
	sg, ctx := s.Components["safeguards"], s.Components["context"]
	if s.Score == nil || 2*(sg.Known+ctx.Known) >= sg.Inputs+ctx.Inputs {
		return ""
	}
	regime := ""
	if ctx.Known == 0 {
		regime = ", and the regime is unknown"
	}
	text := fmt.Sprintf("The gap rests on %d of %d safeguards%s: unknown safeguards are left out of the mean, so the score says how the recorded ones stand, not how the others do.",
		sg.Known, sg.Inputs, regime)
	if sg.Value != nil && *sg.Value == 0 {
		text += " Every safeguard recorded here is in place, which makes the safeguard gap 0; that is not evidence of a narrow gap."
	}
	return text
}

// formulaText says how the components make the score, for the method the
// index was computed with.
func formulaText(combine string) string {
	if combine == analysis.CombineExposureWeighted {
		return "The score is 100 × exposure × the weighted mean of the safeguard gap and the regime context: weak safeguards widen the gap only as far as there is surveillance for them to govern."
	}
	return "The score is 100 × the weighted mean of exposure, the safeguard gap and the regime context."
}

// seriesChart draws a jurisdiction's score by year as an SVG line; the page
// gives the same numbers in a table. With no score in any year it says so
// instead of drawing empty axes.
func seriesChart(points []analysis.Point) template.HTML {
	const w, h, pad = 560, 180, 30
	if !slices.ContainsFunc(points, func(p analysis.Point) bool { return p.Score != nil }) {
		// Axes with nothing on them read as a chart that failed to load.
		return template.HTML(`<p class="no-scores">No scores: in no year does the register know enough here to compute one, so there is nothing to draw (the table below gives each year).</p>`)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="series-title"><title id="series-title">Gap score by year, %d to %d</title>`, w, h, points[0].Year, points[len(points)-1].Year)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, pad, h-pad, w-10, h-pad)
	for _, v := range []int{0, 50, 100} {
		y := float64(h-pad) - float64(v)/100*float64(h-2*pad)
		fmt.Fprintf(&b, `<text x="2" y="%.0f" class="tick">%d</text><line x1="%d" y1="%.0f" x2="%d" y2="%.0f" class="grid"/>`, y+4, v, pad, y, w-10, y)
	}
	step := float64(w-pad-20) / math.Max(1, float64(len(points)-1))
	var path []string
	for i, p := range points {
		x := float64(pad) + float64(i)*step
		if i%2 == 0 || i == len(points)-1 {
			fmt.Fprintf(&b, `<text x="%.0f" y="%d" class="tick" text-anchor="middle">%d</text>`, x, h-10, p.Year)
		}
		if p.Score == nil {
			continue
		}
		y := float64(h-pad) - *p.Score/100*float64(h-2*pad)
		path = append(path, fmt.Sprintf("%.1f,%.1f", x, y))
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3"><title>%d: %.1f</title></circle>`, x, y, p.Year, *p.Score)
	}
	if len(path) > 1 {
		fmt.Fprintf(&b, `<polyline points="%s" class="line"/>`, strings.Join(path, " "))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

var funcs = template.FuncMap{
	"score": func(v *float64) string {
		if v == nil {
			return "unknown"
		}
		return fmt.Sprintf("%.1f", *v)
	},
	"frac": func(v *float64) string {
		if v == nil {
			return "unknown"
		}
		return fmt.Sprintf("%.2f", *v)
	},
	"pct": func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) },
	"bar": func(v *float64) string { // width in % for a component bar
		if v == nil {
			return "0"
		}
		return fmt.Sprintf("%.0f", *v*100)
	},
	"tierClass":   func(t any) string { return "tier-" + strings.ReplaceAll(fmt.Sprint(t), "_", "-") },
	"words":       func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"label":       label,
	"href":        entityHref,
	"labels":      labelList,
	"date":        longDate,
	"day":         day,
	"money":       money,
	"usd":         usdMillions,
	"usdF":        func(v float64) string { return usdMillions(&v) },
	"country":     countryName,
	"binds":       bindsWords,
	"claimValue":  claimValue,
	"sourceName":  sourceName,
	"claimSource": claimSource,
	"langName":    langName,
	"decidedBy":   decidedBy,
	"deciding":    decidingArticles,
	"coming":      comingOf,
	"factsRead":   factsRead,
	"factName":    factName,
	"submitField": submitField,
	"cites":       cites,
	"changeURL":   changeURL,
	"fieldAdvice": submitAdvice,
	"join":        strings.Join,
	"has":         slices.Contains[[]string],
	"inc":         func(i int) int { return i + 1 },
	"dec":         func(i int) int { return i - 1 },
	"add":         func(a, b float64) float64 { return a + b },
	"declField":   declarationField,
	"json": func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	},
	// The vendor network and trends pages' words for what the analysis
	// marks unknown.
	"hqWords":    hqWords,
	"techWords":  techWords,
	"rolesWords": rolesWords,

	"plural": func(n int, one, many string) string { // "1 group", "2 groups"
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	},
	"rankText":    rankText,
	"thinGap":     thinGap,
	"formulaText": formulaText,
	"count": func(v *int64) string { // a whole number, with commas between thousands
		if v == nil {
			return "0"
		}
		return grouped(float64(*v))
	},
	"derefF": func(v *float64) float64 {
		if v == nil {
			return 0
		}
		return *v
	},
	"component": func(name string) string {
		return map[string]string{"exposure": "exposure", "safeguards": "safeguard gap", "context": "regime context"}[name]
	},
}
