// Package atlas draws a server-side SVG choropleth map of the Asia-Pacific
// from an embedded, offline asset (apac.json: Natural Earth 1:50m boundaries
// via world-atlas, projected and simplified by ./gen; see README.md).
package atlas

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// DisputedNote is a neutral note to show beside the map.
const DisputedNote = "Boundaries are Natural Earth's as published in world-atlas and imply no position " +
	"on disputed territories, such as Kashmir, Aksai Chin, Taiwan or the South China Sea."

// DefaultSmallArea is the SmallArea used when Options.SmallArea is zero:
// in square viewBox units, it covers Macao, the Maldives, Singapore, Hong
// Kong and Brunei.
const DefaultSmallArea = 25

// Default colours.
const (
	DefaultFill = "#9aa5b1" // a jurisdiction whose Region has no Fill
	ContextFill = "#e4e4e4" // countries outside the register, and register jurisdictions not passed
)

// Region is how one register jurisdiction is drawn.
type Region struct {
	Code  string // ISO 3166-1 alpha-2; if set, must equal the key it is passed under
	Name  string // accessible name of the link; defaults to the asset's name
	Fill  string // fill colour (any SVG paint); defaults to DefaultFill
	Href  string // link target; empty draws the shape without a link
	Label string // text of the shape's <title> and the link's aria-label; defaults to Name
}

// Options are the map's accessible title and description and the small-state
// threshold.
type Options struct {
	Title string // defaults to "Map of the Asia-Pacific"
	Desc  string // defaults to DisputedNote
	// SmallArea: a passed jurisdiction whose projected area (square viewBox
	// units, the viewBox being about 1000 wide) is below this, or which has
	// no shape, is also drawn as a circle so that it can be seen and
	// clicked. Zero means DefaultSmallArea; a negative value draws circles
	// only for jurisdictions with no shape.
	SmallArea float64
	// Marks are drawn over the map, in order, after every shape.
	Marks []Mark
}

// CircleRadius is the radius of a small state's circle, in viewBox units.
const CircleRadius = 4

// CircleGap is the least distance, in viewBox units, between the centres of
// two small states' circles: circles nearer than this (Hong Kong's and
// Macao's) are moved apart along the line joining them, each by half the
// shortfall, and a leader line joins each moved circle to where it was. A
// page that enlarges the circles for touch (to a radius of up to
// CircleGap/2) keeps them apart, so each stays a target of its own.
const CircleGap = 36

type feature struct {
	Code string      `json:"code"`
	Name string      `json:"name"`
	D    string      `json:"d"`
	C    [2]float64  `json:"c"`
	S    *[2]float64 `json:"s"`
	Area float64     `json:"area"`
}

// frame is the projection the generator drew the boundaries with.
type frame struct {
	LonMin      float64 `json:"lon_min"`
	LonMax      float64 `json:"lon_max"`
	LatMin      float64 `json:"lat_min"`
	LatMax      float64 `json:"lat_max"`
	StdParallel float64 `json:"std_parallel"`
}

type asset struct {
	Source   string     `json:"source"`
	Frame    frame      `json:"frame"`
	Width    float64    `json:"width"`
	Height   float64    `json:"height"`
	Features []*feature `json:"features"`
}

//go:embed apac.json
var apacJSON []byte

var load = sync.OnceValue(func() *asset {
	var a asset
	if err := json.Unmarshal(apacJSON, &a); err != nil {
		panic("atlas: embedded apac.json: " + err.Error())
	}
	return &a
})

// Codes returns the sorted alpha-2 codes of the register jurisdictions in the
// asset: the keys Render accepts.
func Codes() []string {
	var cs []string
	for _, f := range load().Features {
		if f.Code != "" {
			cs = append(cs, f.Code)
		}
	}
	slices.Sort(cs)
	return cs
}

// Source returns the asset's provenance, for an attribution line.
func Source() string { return load().Source }

// Render writes an <svg> element mapping regions, keyed by alpha-2 code.
// Every passed jurisdiction is filled and, if it has an Href, wrapped in one
// <a> with an aria-label; its <path> has class "jurisdiction", data-code and
// a <title>, and a small one also gets a <circle class="small-state"> in the
// same <a>. Other countries, and register jurisdictions not passed, are
// drawn in ContextFill without links. Larger jurisdictions are drawn first,
// so that smaller ones and their circles stay on top.
//
// A key that is not in Codes, or a Region.Code that differs from its key, is
// an error, reported before anything is written.
//
// Marks (Options.Marks) are drawn last, above the shapes, in a
// <g class="marks">; a mark outside the map or without a label is an
// error, reported before anything is written.
//
// The root has role="img" only when the map has no links; with links it
// has role="group", since role="img" would hide the links from assistive
// technology. Its <title> and <desc> give it its name and description.
func Render(w io.Writer, regions map[string]Region, opts Options) error {
	a := load()
	known := map[string]*feature{}
	for _, f := range a.Features {
		if f.Code != "" {
			known[f.Code] = f
		}
	}
	var bad []string
	links := false
	for i, m := range opts.Marks {
		if msg := checkMark(m, a.Width, a.Height); msg != "" {
			return fmt.Errorf("atlas: mark %d (%q): %s", i, m.Label, msg)
		}
		links = links || m.Href != ""
	}
	for k, r := range regions {
		if known[k] == nil || (r.Code != "" && r.Code != k) {
			bad = append(bad, k)
		}
		links = links || r.Href != ""
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return fmt.Errorf("atlas: unknown jurisdiction codes or mismatched Region.Code: %s", strings.Join(bad, ", "))
	}
	if opts.Title == "" {
		opts.Title = "Map of the Asia-Pacific"
	}
	if opts.Desc == "" {
		opts.Desc = DisputedNote
	}
	small := opts.SmallArea
	if small == 0 {
		small = DefaultSmallArea
	}
	role := "img"
	if links {
		role = "group"
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="atlas" viewBox="0 0 %s %s" role="%s">`,
		num(a.Width), num(a.Height), role)
	b.WriteString("<title>" + esc(opts.Title) + "</title><desc>" + esc(opts.Desc) + "</desc>")
	fmt.Fprintf(&b, `<g class="context" fill="%s" stroke="#fff" stroke-width="0.5">`, ContextFill)
	var drawn []*feature
	for _, f := range a.Features {
		if _, ok := regions[f.Code]; ok && f.Code != "" {
			drawn = append(drawn, f)
		} else if f.D != "" {
			b.WriteString(`<path d="` + f.D + `"`)
			if f.Code != "" {
				b.WriteString(` data-code="` + f.Code + `"`)
			}
			b.WriteString("/>")
		}
	}
	b.WriteString(`</g><g class="jurisdictions" stroke="#fff" stroke-width="0.5">`)
	slices.SortFunc(drawn, func(x, y *feature) int {
		return cmp.Or(cmp.Compare(y.Area, x.Area), strings.Compare(x.Code, y.Code))
	})
	// The small states' circles, moved apart where they are too near.
	var circled []*feature
	var centres [][2]float64
	for _, f := range drawn {
		if f.D == "" || f.Area < small {
			c := f.C
			if f.S != nil {
				c = *f.S
			}
			circled, centres = append(circled, f), append(centres, c)
		}
	}
	at := map[*feature][2][2]float64{} // where each circle was, and is drawn
	for i, c := range spread(centres, CircleGap) {
		at[circled[i]] = [2][2]float64{centres[i], c}
	}
	for _, f := range drawn {
		r := regions[f.Code]
		name := cmp.Or(r.Name, f.Name)
		label, fill := cmp.Or(r.Label, name), cmp.Or(r.Fill, DefaultFill)
		if r.Href != "" {
			b.WriteString(`<a href="` + esc(r.Href) + `" aria-label="` + esc(label) + `">`)
		}
		if f.D != "" {
			fmt.Fprintf(&b, `<path class="jurisdiction" data-code="%s" fill="%s" d="%s"><title>%s</title></path>`,
				f.Code, esc(fill), f.D, esc(label))
		}
		if pos, ok := at[f]; ok {
			was, c := pos[0], pos[1]
			if was != c {
				fmt.Fprintf(&b, `<line class="leader" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="0.6"/>`,
					num(was[0]), num(was[1]), num(c[0]), num(c[1]))
			}
			fmt.Fprintf(&b, `<circle class="small-state" data-code="%s" fill="%s" stroke="#333" cx="%s" cy="%s" r="%d"><title>%s</title></circle>`,
				f.Code, esc(fill), num(c[0]), num(c[1]), CircleRadius, esc(label))
		}
		if r.Href != "" {
			b.WriteString("</a>")
		}
	}
	b.WriteString("</g>")
	if len(opts.Marks) > 0 {
		b.WriteString(`<g class="marks">`)
		for _, m := range opts.Marks {
			writeMark(&b, m)
		}
		b.WriteString("</g>")
	}
	b.WriteString("</svg>")
	_, err := io.WriteString(w, b.String())
	return err
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // never fails on a strings.Builder
	return b.String()
}
