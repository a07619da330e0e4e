package atlas

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
)

var register = strings.Fields("AF AU BD BN BT CN FJ HK ID IN JP KG KH KP KR KZ LA LK MM MN MO MV MY NP NZ PG PH PK SB SG TH TJ TL TM TW UZ VN VU")

type svgDoc struct {
	Role   string `xml:"role,attr"`
	View   string `xml:"viewBox,attr"`
	Title  string `xml:"title"`
	Desc   string `xml:"desc"`
	Groups []struct {
		Class   string     `xml:"class,attr"`
		Paths   []pathEl   `xml:"path"`
		Circles []circleEl `xml:"circle"`
		Links   []struct {
			Href    string     `xml:"href,attr"`
			Label   string     `xml:"aria-label,attr"`
			Paths   []pathEl   `xml:"path"`
			Circles []circleEl `xml:"circle"`
		} `xml:"a"`
	} `xml:"g"`
}

type pathEl struct {
	Class string `xml:"class,attr"`
	Code  string `xml:"data-code,attr"`
	Fill  string `xml:"fill,attr"`
	D     string `xml:"d,attr"`
	Title string `xml:"title"`
}

type circleEl struct {
	Class string `xml:"class,attr"`
	Code  string `xml:"data-code,attr"`
	Title string `xml:"title"`
}

func render(t *testing.T, regions map[string]Region, opts Options) (svgDoc, int) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, regions, opts); err != nil {
		t.Fatal(err)
	}
	var doc svgDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("output is not XML: %v", err)
	}
	return doc, buf.Len()
}

func all() map[string]Region {
	rs := map[string]Region{}
	for i, c := range Codes() {
		rs[c] = Region{Code: c, Href: "/jurisdictions/" + c, Fill: fmt.Sprintf("#%06x", i*0x050301), Label: c + ": <3> deployments & more"}
	}
	return rs
}

func TestCodes(t *testing.T) {
	codes := Codes()
	if !slices.Equal(codes, slices.Sorted(slices.Values(register))) {
		t.Errorf("Codes() = %v, want the register's %v", codes, register)
	}
	shapes := 0
	for _, f := range load().Features {
		if f.Code != "" && f.D != "" {
			shapes++
		}
	}
	if shapes < 30 {
		t.Errorf("%d register jurisdictions have shapes, want at least 30", shapes)
	}
	if !strings.Contains(Source(), "world-atlas") || !strings.Contains(Source(), "Natural Earth") {
		t.Errorf("Source() = %q lacks provenance", Source())
	}
}

func TestRenderAll(t *testing.T) {
	rs := all()
	doc, size := render(t, rs, Options{Title: "Deployments", Desc: "Count per jurisdiction."})
	t.Logf("rendered %d jurisdictions: %d bytes", len(rs), size)
	if size >= 400<<10 {
		t.Errorf("rendered size %d bytes, want < 400 KB", size)
	}
	if doc.Role != "group" || doc.Title != "Deployments" || doc.Desc != "Count per jurisdiction." || doc.View != "0 0 1000 738" {
		t.Errorf("root: role %q, title %q, desc %q, viewBox %q", doc.Role, doc.Title, doc.Desc, doc.View)
	}
	seen := map[string]bool{}
	var circles []string
	for _, g := range doc.Groups {
		if g.Class == "context" {
			if len(g.Links) > 0 || len(g.Paths) < 20 {
				t.Errorf("context group: %d links, %d paths", len(g.Links), len(g.Paths))
			}
			continue
		}
		for _, a := range g.Links {
			if len(a.Paths) != 1 {
				t.Fatalf("link %s has %d paths", a.Href, len(a.Paths))
			}
			p := a.Paths[0]
			r, ok := rs[p.Code]
			if !ok || seen[p.Code] {
				t.Fatalf("unexpected or repeated link for %q", p.Code)
			}
			seen[p.Code] = true
			if a.Href != r.Href || p.Fill != r.Fill || p.Class != "jurisdiction" || p.D == "" {
				t.Errorf("%s: href %q fill %q class %q", p.Code, a.Href, p.Fill, p.Class)
			}
			if a.Label != r.Label || p.Title != r.Label {
				t.Errorf("%s: aria-label %q, title %q, want %q", p.Code, a.Label, p.Title, r.Label)
			}
			for _, c := range a.Circles {
				if c.Class != "small-state" || c.Code != p.Code {
					t.Errorf("%s: circle %+v", p.Code, c)
				}
				circles = append(circles, c.Code)
			}
		}
	}
	if len(seen) != len(rs) {
		t.Errorf("%d links for %d regions", len(seen), len(rs))
	}
	slices.Sort(circles)
	if want := []string{"BN", "HK", "MO", "MV", "SG"}; !slices.Equal(circles, want) {
		t.Errorf("small-state circles for %v, want %v", circles, want)
	}
}

func TestRenderSubset(t *testing.T) {
	doc, _ := render(t, map[string]Region{"JP": {Fill: "red"}, "SG": {Href: "/sg"}}, Options{SmallArea: -1})
	if doc.Role != "group" || doc.Title == "" || doc.Desc != DisputedNote {
		t.Errorf("defaults: role %q title %q desc %q", doc.Role, doc.Title, doc.Desc)
	}
	g := doc.Groups[1]
	if len(g.Links) != 1 || g.Links[0].Href != "/sg" || g.Links[0].Label != "Singapore" || len(g.Links[0].Circles) != 0 {
		t.Errorf("links: %+v", g.Links)
	}
	if len(g.Paths) != 1 || g.Paths[0].Code != "JP" || g.Paths[0].Fill != "red" || g.Paths[0].Title != "Japan" {
		t.Errorf("unlinked paths: %+v", g.Paths)
	}
	// Register jurisdictions not passed are context.
	if !slices.ContainsFunc(doc.Groups[0].Paths, func(p pathEl) bool { return p.Code == "CN" }) {
		t.Error("CN not drawn as context")
	}

	doc, _ = render(t, nil, Options{})
	if doc.Role != "img" || len(doc.Groups[1].Links)+len(doc.Groups[1].Paths) != 0 {
		t.Errorf("no regions: role %q, %+v", doc.Role, doc.Groups[1])
	}
}

// A jurisdiction with no shape in the asset is drawn as a circle alone.
func TestRenderShapeless(t *testing.T) {
	i := slices.IndexFunc(load().Features, func(f *feature) bool { return f.Code == "MO" })
	mo := load().Features[i]
	saved := *mo
	mo.D, mo.Area = "", 0
	defer func() { *mo = saved }()
	doc, _ := render(t, map[string]Region{"MO": {Href: "/mo"}}, Options{SmallArea: -1})
	a := doc.Groups[1].Links
	if len(a) != 1 || len(a[0].Paths) != 0 || len(a[0].Circles) != 1 || a[0].Circles[0].Code != "MO" {
		t.Errorf("shapeless MO: %+v", a)
	}
}

func TestRenderRejects(t *testing.T) {
	for name, rs := range map[string]map[string]Region{
		"unknown":  {"JP": {}, "XX": {}, "RU": {}},
		"mismatch": {"JP": {Code: "KR"}},
	} {
		var buf bytes.Buffer
		err := Render(&buf, rs, Options{})
		if err == nil || buf.Len() != 0 {
			t.Errorf("%s: err %v, wrote %d bytes", name, err, buf.Len())
		}
		if name == "unknown" && !strings.Contains(fmt.Sprint(err), "RU, XX") {
			t.Errorf("error %q does not name the codes", err)
		}
	}
}
