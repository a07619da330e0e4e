package atlas

import (
	"bytes"
	"encoding/xml"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestProject: points land where the generator put the symbols it
// projected (feature "s", rounded to tenths), the frame's corners land on
// the viewBox's, west longitudes are taken east of 180°, and a point
// outside the frame has no place.
func TestProject(t *testing.T) {
	for _, p := range []struct {
		code     string
		lon, lat float64
	}{{"HK", 114.7, 22.0}, {"MO", 113.3, 21.9}, {"SG", 103.82, 1.35}, {"MV", 73.5, 3.2}} {
		var want [2]float64
		for _, f := range load().Features {
			if f.Code == p.code && f.S != nil {
				want = *f.S
			}
		}
		x, y, ok := Project(p.lon, p.lat)
		if !ok || math.Abs(x-want[0]) > 0.051 || math.Abs(y-want[1]) > 0.051 {
			t.Errorf("%s: Project(%g, %g) = %g, %g, %v; the asset has %v", p.code, p.lon, p.lat, x, y, ok, want)
		}
	}
	w, h := Size()
	if x, y, ok := Project(40, 56); !ok || x != 0 || y != 0 {
		t.Errorf("north-west corner: %g, %g, %v", x, y, ok)
	}
	if x, y, ok := Project(190, -47.9); !ok || math.Abs(x-w) > 1e-9 || y > h || h-y > 1 {
		t.Errorf("south-east corner: %g, %g, %v (map %g×%g)", x, y, ok, w, h)
	}
	east, _, ok1 := Project(185, -15)
	west, _, ok2 := Project(-175, -15) // Tonga's side of the antimeridian
	if !ok1 || !ok2 || east != west {
		t.Errorf("175°W at %g (%v), 185°E at %g (%v)", west, ok2, east, ok1)
	}
	for _, p := range [][2]float64{{30, 10}, {100, 60}, {100, -50}, {-160, 0}, {math.NaN(), 0}, {100, math.Inf(1)}} {
		if x, y, ok := Project(p[0], p[1]); ok {
			t.Errorf("Project(%g, %g) = %g, %g: a point outside the frame was placed", p[0], p[1], x, y)
		}
	}
}

type markDoc struct {
	Role   string `xml:"role,attr"`
	Groups []struct {
		Class string `xml:"class,attr"`
		Links []struct {
			Href  string `xml:"href,attr"`
			Label string `xml:"aria-label,attr"`
			G     struct {
				Class   string `xml:"class,attr"`
				Circles []struct {
					R      string `xml:"r,attr"`
					Fill   string `xml:"fill,attr"`
					Stroke string `xml:"stroke,attr"`
					Dash   string `xml:"stroke-dasharray,attr"`
					Offset string `xml:"stroke-dashoffset,attr"`
					Title  string `xml:"title"`
				} `xml:"circle"`
				Text struct {
					Hidden string `xml:"aria-hidden,attr"`
					Body   string `xml:",chardata"`
				} `xml:"text"`
			} `xml:"g"`
		} `xml:"a"`
	} `xml:"g"`
}

func TestRenderMarks(t *testing.T) {
	x, y, _ := Project(100.5, 13.75) // Bangkok
	marks := []Mark{
		{X: x, Y: y, R: 7, Fill: "#b2182b", Href: "/deployments/a", Label: "A <one> & only", Class: "single"},
		{X: x + 40, Y: y, R: 14, Text: "3", Href: "/search?jurisdiction=TH,LA", Label: "3 deployments",
			Ring: []Share{{"#111111", 2}, {"#222222", 0}, {"#333333", 1}}},
	}
	var buf bytes.Buffer
	if err := Render(&buf, map[string]Region{"TH": {}}, Options{SmallArea: -1, Marks: marks}); err != nil {
		t.Fatal(err)
	}
	var doc markDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	// Only the marks link: the map is a group, and the marks come last.
	last := doc.Groups[len(doc.Groups)-1]
	if doc.Role != "group" || last.Class != "marks" || len(last.Links) != 2 {
		t.Fatalf("role %q, last group %q with %d links", doc.Role, last.Class, len(last.Links))
	}
	one, three := last.Links[0], last.Links[1]
	if one.Href != "/deployments/a" || one.Label != "A <one> & only" || one.G.Class != "mark single" ||
		len(one.G.Circles) != 1 || one.G.Circles[0].Fill != "#b2182b" || one.G.Circles[0].Title != "A <one> & only" || one.G.Text.Body != "" {
		t.Errorf("single mark: %+v", one)
	}
	c := three.G.Circles
	if three.Href != "/search?jurisdiction=TH,LA" || len(c) != 3 || c[0].Fill != "#fff" || three.G.Text.Body != "3" || three.G.Text.Hidden != "true" {
		t.Fatalf("cluster mark: %+v", three)
	}
	// Two thirds, then a third starting where it ends; the empty share is
	// not drawn.
	if c[1].Stroke != "#111111" || c[1].Dash != "66.67 100" || c[1].Offset != "0" ||
		c[2].Stroke != "#333333" || c[2].Dash != "33.33 100" || c[2].Offset != "-66.67" {
		t.Errorf("ring: %+v", c[1:])
	}

	for name, m := range map[string]Mark{
		"outside":  {X: -1, Y: 10, R: 3, Label: "x"},
		"nan":      {X: math.NaN(), Y: 10, R: 3, Label: "x"},
		"radius":   {X: 10, Y: 10, R: 0, Label: "x"},
		"no label": {X: 10, Y: 10, R: 3},
		"negative": {X: 10, Y: 10, R: 3, Label: "x", Ring: []Share{{"red", -1}}},
	} {
		var buf bytes.Buffer
		err := Render(&buf, nil, Options{Marks: []Mark{marks[0], m}})
		if err == nil || buf.Len() != 0 || !strings.Contains(err.Error(), "mark 1") {
			t.Errorf("%s: err %v, wrote %d bytes", name, err, buf.Len())
		}
	}
}

var circleRE = regexp.MustCompile(`<circle class="small-state" data-code="(\w+)"[^>]* cx="([\d.]+)" cy="([\d.]+)"`)

// TestSmallStatesApart: no two small states' circles are nearer than
// CircleGap, so that circles enlarged for touch stay apart; the ones moved
// (Hong Kong and Macao) get a leader line, the others stay at their point.
func TestSmallStatesApart(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, all(), Options{}); err != nil {
		t.Fatal(err)
	}
	at := map[string][2]float64{}
	for _, m := range circleRE.FindAllStringSubmatch(buf.String(), -1) {
		x, _ := strconv.ParseFloat(m[2], 64)
		y, _ := strconv.ParseFloat(m[3], 64)
		at[m[1]] = [2]float64{x, y}
	}
	if len(at) != 5 {
		t.Fatalf("circles: %v", at)
	}
	for a, p := range at {
		for b, q := range at {
			if a < b && math.Hypot(p[0]-q[0], p[1]-q[1]) < CircleGap {
				t.Errorf("%s and %s are %.2f apart, want at least %d", a, b, math.Hypot(p[0]-q[0], p[1]-q[1]), CircleGap)
			}
		}
	}
	if n := strings.Count(buf.String(), `class="leader"`); n != 2 {
		t.Errorf("%d leader lines, want 2 (Hong Kong, Macao)", n)
	}
	if at["SG"] != [2]float64{425.5, 387.7} {
		t.Errorf("Singapore moved to %v", at["SG"])
	}
}

func TestSpread(t *testing.T) {
	got := spread([][2]float64{{10, 10}, {10, 10}, {100, 100}}, 20)
	if d := math.Hypot(got[0][0]-got[1][0], got[0][1]-got[1][1]); d < 20 || got[2] != [2]float64{100, 100} {
		t.Errorf("spread: %v (the first two %.2f apart)", got, d)
	}
}
