// Command gen builds site/atlas/apac.json, the map asset that package atlas
// embeds, from world-atlas's countries-50m.json (Natural Earth 1:50m admin-0
// boundaries as TopoJSON). It uses only the standard library.
//
// Usage (scripts/atlas.sh does this):
//
//	go run ./site/atlas/gen -in node_modules/world-atlas/countries-50m.json -out site/atlas/apac.json
//
// Steps: decode the quantized, delta-encoded arcs; project each arc with an
// equirectangular projection (standard parallel 20°N) into a 1000-unit-wide
// viewBox covering lon 40°E..190°E (170°W) and lat 48°S..56°N; simplify each
// arc with Douglas–Peucker at 0.5 units (arcs are shared, so neighbours stay
// gap-free); assemble rings, moving a ring that lies wholly west of Greenwich
// by +360° so that Pacific parts near ±180° sit east of the rest; clip to the
// viewBox; drop rings too small to see; write paths in tenths of a unit.
package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The map frame.
const (
	lonMin, lonMax = 40.0, 190.0 // degrees east; 190 is 170°W after the +360° shift
	latMin, latMax = -48.0, 56.0
	stdParallel    = 20.0 // degrees north: x is scaled by cos(stdParallel)
	width          = 1000.0
	tolerance      = 0.5  // Douglas–Peucker tolerance, in viewBox units
	margin         = 2.0  // clip this far outside the viewBox, so clipped edges' strokes are not seen
	minContext     = 0.5  // drop context rings smaller than this (square units)
	minRegister    = 0.05 // drop register rings smaller than this, but keep each jurisdiction's largest
)

var (
	kx     = width / ((lonMax - lonMin) * math.Cos(stdParallel*math.Pi/180)) // units per degree of latitude
	height = math.Round((latMax - latMin) * kx)
)

// register maps ISO 3166-1 numeric codes (world-atlas feature ids) to the
// register's alpha-2 codes and display names.
var register = map[string][2]string{
	"004": {"AF", "Afghanistan"}, "036": {"AU", "Australia"}, "050": {"BD", "Bangladesh"},
	"096": {"BN", "Brunei"}, "064": {"BT", "Bhutan"}, "156": {"CN", "China"},
	"242": {"FJ", "Fiji"}, "344": {"HK", "Hong Kong"}, "360": {"ID", "Indonesia"},
	"356": {"IN", "India"}, "392": {"JP", "Japan"}, "417": {"KG", "Kyrgyzstan"},
	"116": {"KH", "Cambodia"}, "408": {"KP", "North Korea"}, "410": {"KR", "South Korea"},
	"398": {"KZ", "Kazakhstan"}, "418": {"LA", "Laos"}, "144": {"LK", "Sri Lanka"},
	"104": {"MM", "Myanmar"}, "496": {"MN", "Mongolia"}, "446": {"MO", "Macao"},
	"462": {"MV", "Maldives"}, "458": {"MY", "Malaysia"}, "524": {"NP", "Nepal"},
	"554": {"NZ", "New Zealand"}, "598": {"PG", "Papua New Guinea"}, "608": {"PH", "Philippines"},
	"586": {"PK", "Pakistan"}, "090": {"SB", "Solomon Islands"}, "702": {"SG", "Singapore"},
	"764": {"TH", "Thailand"}, "762": {"TJ", "Tajikistan"}, "626": {"TL", "Timor-Leste"},
	"795": {"TM", "Turkmenistan"}, "158": {"TW", "Taiwan"}, "860": {"UZ", "Uzbekistan"},
	"704": {"VN", "Vietnam"}, "548": {"VU", "Vanuatu"},
}

// symbols gives, in lon/lat, where package atlas draws the circle for a
// jurisdiction too small to see (feature field "s"; others use the centroid
// "c"). Hong Kong's and Macao's are moved offshore, apart, so that the two
// circles do not overlap. A register jurisdiction with no shape in the input
// at all becomes a feature with no path, placed here, and must be listed.
var symbols = map[string]struct{ lon, lat float64 }{
	"HK": {114.7, 22.0},  // Hong Kong: 0.5° south-east of Victoria Harbour
	"MO": {113.3, 21.9},  // Macao: 0.3° south-west of the peninsula
	"SG": {103.82, 1.35}, // Singapore island
	"MV": {73.5, 3.2},    // Maldives: middle of the atoll chain
}

type topology struct {
	Arcs      [][][2]float64 `json:"arcs"`
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string          `json:"type"`
				ID         string          `json:"id"`
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

// Feature and Asset are the output; package atlas reads the same fields.
type Feature struct {
	Code string      `json:"code"`
	Name string      `json:"name"`
	D    string      `json:"d,omitempty"`
	C    [2]float64  `json:"c"`
	S    *[2]float64 `json:"s,omitempty"`
	Area float64     `json:"area"`
}

type Asset struct {
	Source     string     `json:"source"`
	Licence    string     `json:"licence"`
	Projection string     `json:"projection"`
	Frame      Frame      `json:"frame"`
	Width      float64    `json:"width"`
	Height     float64    `json:"height"`
	Missing    []string   `json:"missing"`
	Features   []*Feature `json:"features"`
}

// Frame is the projection's parameters, written into the asset so that
// package atlas places points (lon/lat) exactly where this program put the
// boundaries.
type Frame struct {
	LonMin      float64 `json:"lon_min"`
	LonMax      float64 `json:"lon_max"`
	LatMin      float64 `json:"lat_min"`
	LatMax      float64 `json:"lat_max"`
	StdParallel float64 `json:"std_parallel"`
}

type pt struct{ x, y float64 }

func project(lon, lat float64) pt {
	return pt{(lon - lonMin) * kx * math.Cos(stdParallel*math.Pi/180), (latMax - lat) * kx}
}

func main() {
	in := flag.String("in", "countries-50m.json", "world-atlas countries-50m.json")
	out := flag.String("out", "site/atlas/apac.json", "output asset")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*in, *out); err != nil {
		log.Fatal("atlas gen: ", err)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var topo topology
	if err := json.Unmarshal(raw, &topo); err != nil {
		return err
	}
	version := "unknown"
	if pj, err := os.ReadFile(filepath.Join(filepath.Dir(in), "package.json")); err == nil {
		var p struct{ Version string }
		if json.Unmarshal(pj, &p) == nil && p.Version != "" {
			version = p.Version
		}
	}

	// Decode and project every arc, keeping a full and a simplified copy.
	full := make([][]pt, len(topo.Arcs))
	simple := make([][]pt, len(topo.Arcs))
	t := topo.Transform
	for i, arc := range topo.Arcs {
		var qx, qy float64
		for _, d := range arc {
			qx, qy = qx+d[0], qy+d[1]
			full[i] = append(full[i], project(qx*t.Scale[0]+t.Translate[0], qy*t.Scale[1]+t.Translate[1]))
		}
		simple[i] = simplify(full[i], tolerance)
	}

	shift := project(360, 0).x - project(0, 0).x
	west := project(0, 0).x
	ring := func(arcs [][]pt, idx []int) []pt {
		var r []pt
		for _, a := range idx {
			var seg []pt
			if a >= 0 {
				seg = arcs[a]
			} else {
				seg = slices.Clone(arcs[^a])
				slices.Reverse(seg)
			}
			if len(r) > 0 {
				seg = seg[1:]
			}
			r = append(r, seg...)
		}
		if len(r) > 0 && slices.MaxFunc(r, func(a, b pt) int { return cmp.Compare(a.x, b.x) }).x < west {
			for i := range r {
				r[i].x += shift
			}
		}
		return clip(r, -margin, -margin, width+margin, height+margin)
	}

	type poly = [][]pt // exterior ring first, then holes
	byCode := map[string]*Feature{}
	polys := map[*Feature][]poly{}
	var feats []*Feature
	for _, g := range topo.Objects.Countries.Geometries {
		var idx [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return err
			}
			idx = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &idx); err != nil {
				return err
			}
		default:
			continue
		}
		reg, isReg := register[g.ID]
		minArea := minContext
		if isReg {
			minArea = minRegister
		}
		var ps []poly
		var biggest []pt // the largest exterior ring, unsimplified, in case all are dropped
		for _, p := range idx {
			var rs poly
			for i, r := range p {
				if rr := ring(simple, r); len(rr) >= 3 && math.Abs(area(rr)) >= minArea {
					rs = append(rs, rr)
				} else if i == 0 {
					break // no exterior, no holes
				}
			}
			if len(rs) > 0 {
				ps = append(ps, rs)
			}
			if !isReg {
				continue
			}
			if rr := ring(full, p[0]); len(rr) >= 3 && (biggest == nil || math.Abs(area(rr)) > math.Abs(area(biggest))) {
				biggest = rr
			}
		}
		if isReg && len(ps) == 0 && biggest != nil {
			ps = []poly{{biggest}}
		}
		if len(ps) == 0 {
			continue
		}
		f := &Feature{Name: g.Properties.Name}
		if isReg {
			f.Code, f.Name = reg[0], reg[1]
			if prev := byCode[f.Code]; prev != nil { // e.g. Ashmore and Cartier Is. belong to AU
				polys[prev] = append(polys[prev], ps...)
				continue
			}
			byCode[f.Code] = f
		}
		polys[f] = ps
		feats = append(feats, f)
	}

	asset := Asset{
		Source: fmt.Sprintf("world-atlas %s countries-50m.json (https://github.com/topojson/world-atlas), "+
			"derived from Natural Earth 1:50m Cultural Vectors, Admin 0 – Countries (https://www.naturalearthdata.com)", version),
		Licence: "Natural Earth data: public domain. world-atlas: ISC licence, Copyright 2013-2019 Michael Bostock.",
		Projection: fmt.Sprintf("equirectangular, standard parallel %g°N; lon %g..%g (east of 180 = west longitudes + 360), lat %g..%g; "+
			"arcs simplified with Douglas–Peucker at %g units; coordinates in tenths", stdParallel, lonMin, lonMax, latMin, latMax, tolerance),
		Frame: Frame{lonMin, lonMax, latMin, latMax, stdParallel},
		Width: width, Height: height, Missing: []string{},
	}
	for _, f := range feats {
		var d strings.Builder
		var total, best float64
		for _, p := range polys[f] {
			for i, r := range p {
				a := math.Abs(area(r))
				if i == 0 {
					total += a
					if a > best {
						best, f.C = a, centroid(r)
					}
				} else {
					total -= a
				}
				writeRing(&d, r)
			}
		}
		f.D, f.Area = d.String(), round1(total)
		f.C = [2]float64{round1(f.C[0]), round1(f.C[1])}
	}
	for _, num := range slices.Sorted(maps.Keys(register)) {
		r := register[num]
		if byCode[r[0]] != nil {
			continue
		}
		if _, ok := symbols[r[0]]; !ok {
			return fmt.Errorf("%s (%s) has no shape in %s and no entry in the symbols table", r[0], r[1], in)
		}
		f := &Feature{Code: r[0], Name: r[1]}
		byCode[f.Code] = f
		feats = append(feats, f)
		asset.Missing = append(asset.Missing, r[0])
		log.Printf("atlas gen: %s has no shape in the input; placed as a point", r[0])
	}
	slices.Sort(asset.Missing)
	for code, p := range symbols {
		if f := byCode[code]; f != nil {
			s := project(p.lon, p.lat)
			f.S = &[2]float64{round1(s.x), round1(s.y)}
			if f.D == "" {
				f.C = *f.S
			}
		}
	}
	// Context first, then jurisdictions by code: a stable, diff-friendly order.
	slices.SortStableFunc(feats, func(a, b *Feature) int {
		if (a.Code == "") != (b.Code == "") {
			if a.Code == "" {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Code+a.Name, b.Code+b.Name)
	})
	asset.Features = feats

	var b strings.Builder
	b.WriteString("{\n")
	for _, kv := range [][2]any{{"source", asset.Source}, {"licence", asset.Licence}, {"projection", asset.Projection},
		{"frame", asset.Frame}, {"width", asset.Width}, {"height", asset.Height}, {"missing", asset.Missing}} {
		v, _ := json.Marshal(kv[1])
		fmt.Fprintf(&b, "%q: %s,\n", kv[0], v)
	}
	b.WriteString("\"features\": [\n")
	for i, f := range feats {
		v, err := json.Marshal(f)
		if err != nil {
			return err
		}
		b.Write(v)
		if i < len(feats)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]}\n")
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		return err
	}
	log.Printf("atlas gen: wrote %s: %d features, %d bytes, viewBox 0 0 %g %g", out, len(feats), b.Len(), width, height)
	return nil
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
