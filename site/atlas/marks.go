package atlas

import (
	"cmp"
	"fmt"
	"math"
	"strings"
)

// A Mark is a point drawn over the map, such as a deployment or a cluster
// of them. Marks are drawn last, in the order given, above every shape.
type Mark struct {
	X, Y float64 // centre, in viewBox units (see Project)
	R    float64 // radius, in viewBox units
	Fill string  // defaults to DefaultFill
	// Ring, when it has entries, draws a ring around a white disc instead
	// of a filled disc: each entry a share of the circumference in its
	// own colour, clockwise from the top, as a cluster's composition.
	Ring  []Share
	Text  string // drawn at the centre (a cluster's count); hidden from assistive technology, which reads Label
	Href  string // link target; empty draws the mark without a link
	Label string // text of the mark's <title> and the link's aria-label; required
	Class string // extra class names, beside "mark"
}

// A Share is a part of a Mark's ring.
type Share struct {
	Fill  string
	Count int // shares are drawn in proportion to their counts
}

// checkMark says what is wrong with a mark, or "".
func checkMark(m Mark, width, height float64) string {
	switch {
	case !(m.X >= 0 && m.X <= width && m.Y >= 0 && m.Y <= height):
		return fmt.Sprintf("centre %g,%g is outside the map (0 0 %g %g)", m.X, m.Y, width, height)
	case !(m.R > 0 && m.R <= width):
		return fmt.Sprintf("radius %g is not a positive size within the map", m.R)
	case m.Label == "":
		return "no label"
	}
	for _, s := range m.Ring {
		if s.Count < 0 {
			return "a ring share has a negative count"
		}
	}
	return ""
}

// writeMark writes one mark: an optional <a>, a <g class="mark ...">, the
// disc with its <title>, the ring and the text.
func writeMark(b *strings.Builder, m Mark) {
	if m.Href != "" {
		b.WriteString(`<a href="` + esc(m.Href) + `" aria-label="` + esc(m.Label) + `">`)
	}
	class := strings.TrimSpace("mark " + m.Class)
	cx, cy := num(round2(m.X)), num(round2(m.Y))
	fmt.Fprintf(b, `<g class="%s">`, esc(class))
	fill := cmp.Or(m.Fill, DefaultFill)
	total := 0
	for _, s := range m.Ring {
		total += s.Count
	}
	if total > 0 {
		fill = "#fff"
	}
	fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="#222" stroke-width="0.8"><title>%s</title></circle>`,
		cx, cy, num(round2(m.R)), esc(fill), esc(m.Label))
	if total > 0 {
		// Each share is a dash of a circle's stroke: pathLength makes the
		// circumference 100, so dash lengths are percentages.
		r, width := round2(m.R*0.72), round2(m.R*0.42)
		done := 0.0
		for _, s := range m.Ring {
			if s.Count == 0 {
				continue
			}
			pct := 100 * float64(s.Count) / float64(total)
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="%s" fill="none" stroke="%s" stroke-width="%s" pathLength="100" stroke-dasharray="%s 100" stroke-dashoffset="%s" transform="rotate(-90 %s %s)"/>`,
				cx, cy, num(r), esc(cmp.Or(s.Fill, DefaultFill)), num(width), num(round2(pct)), num(round2(-done)+0), cx, cy)
			done += pct
		}
	}
	if m.Text != "" {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" dominant-baseline="central" aria-hidden="true">%s</text>`, cx, cy, esc(m.Text))
	}
	b.WriteString("</g>")
	if m.Href != "" {
		b.WriteString("</a>")
	}
}

// spread moves apart the centres of circles nearer each other than gap,
// each pair along the line joining them by half the shortfall, in a fixed
// order, so that the result is the same on every run. It returns the
// centres, moved or not.
func spread(cs [][2]float64, gap float64) [][2]float64 {
	out := append([][2]float64(nil), cs...)
	for range 8 { // a handful of passes settles the few small states
		moved := false
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				dx, dy := out[j][0]-out[i][0], out[j][1]-out[i][1]
				d := math.Hypot(dx, dy)
				if d >= gap {
					continue
				}
				if d == 0 {
					dx, dy, d = 1, 0, 1 // coincident: part them east-west
				}
				push := (gap-d)/2 + 0.01 // and a little: the centres are rounded
				ux, uy := dx/d, dy/d
				out[i] = [2]float64{round2(out[i][0] - ux*push), round2(out[i][1] - uy*push)}
				out[j] = [2]float64{round2(out[j][0] + ux*push), round2(out[j][1] + uy*push)}
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	return out
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
