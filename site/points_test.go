package site

import (
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/rules"
)

// TestMapKeys: every capability is in exactly one technology group, every
// tier has a colour, and no colouring gives two keys one colour.
func TestMapKeys(t *testing.T) {
	in := map[string][]string{}
	for _, k := range mapKeys()["technology"] {
		for _, c := range k.Capabilities {
			in[c] = append(in[c], k.Value)
		}
	}
	for _, c := range registry.Capabilities.Values {
		if len(in[c]) != 1 {
			t.Errorf("capability %s is in groups %v, want exactly one", c, in[c])
		}
	}
	for c := range in {
		if !registry.Capabilities.Has(c) {
			t.Errorf("mapkeys.json names %q, which is no capability", c)
		}
	}
	if last := mapKeys()["technology"][len(mapKeys()["technology"])-1]; len(last.Capabilities) != 0 || technologyOf(nil) != last.Value {
		t.Errorf("the last technology group, %+v, is not the one for deployments with none recorded", last)
	}
	var tiers []string
	for _, k := range mapKeys()["tier"] {
		tiers = append(tiers, k.Value)
	}
	if want := []string{}; !slices.Equal(tiers, append(want, tierStrings()...)) {
		t.Errorf("tier keys %v, want the scale %v", tiers, tierStrings())
	}
	for c, keys := range mapKeys() {
		seen := map[string]string{}
		for _, k := range keys {
			if k.Label == "" || !regexp.MustCompile(`^#[0-9a-f]{6}$`).MatchString(k.Colour) {
				t.Errorf("%s %s: label %q, colour %q", c, k.Value, k.Label, k.Colour)
			}
			if o, ok := seen[k.Colour]; ok {
				t.Errorf("%s: %s and %s share colour %s", c, o, k.Value, k.Colour)
			}
			seen[k.Colour] = k.Value
		}
	}
	// The most intrusive group wins.
	if g := technologyOf([]string{"cctv", "lpr_anpr", "remote_biometric_identification"}); g != "identification" {
		t.Errorf("technologyOf(cctv, lpr, identification) = %s", g)
	}
}

func tierStrings() []string {
	var out []string
	for _, t := range rules.AllTiers {
		out = append(out, string(t))
	}
	return out
}

// TestClusterPoints: every point is in exactly one group, no two groups'
// centres are nearer than the gap, points far apart stay apart, and the
// result is the same on every run.
func TestClusterPoints(t *testing.T) {
	const gap = 36
	rng := rand.New(rand.NewPCG(1, 2))
	var pts [][2]float64
	for range 2000 {
		// Dense in one corner, sparse elsewhere.
		if rng.IntN(2) == 0 {
			pts = append(pts, [2]float64{400 + rng.Float64()*60, 300 + rng.Float64()*60})
		} else {
			pts = append(pts, [2]float64{rng.Float64() * 1000, rng.Float64() * 738})
		}
	}
	gs := clusterPoints(pts, gap)
	seen := make([]int, len(pts))
	for _, g := range gs {
		var sx, sy float64
		for _, i := range g.Members {
			seen[i]++
			sx, sy = sx+pts[i][0], sy+pts[i][1]
		}
		n := float64(len(g.Members))
		if math.Abs(sx/n-g.X) > 1e-6 || math.Abs(sy/n-g.Y) > 1e-6 {
			t.Fatalf("group at %g,%g is not at its members' mean %g,%g", g.X, g.Y, sx/n, sy/n)
		}
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("point %d is in %d groups", i, n)
		}
	}
	for i, a := range gs {
		for _, b := range gs[i+1:] {
			if d := math.Hypot(a.X-b.X, a.Y-b.Y); d < gap {
				t.Fatalf("groups at %.1f,%.1f and %.1f,%.1f are %.2f apart, want at least %d", a.X, a.Y, b.X, b.Y, d, gap)
			}
		}
	}
	if again := clusterPoints(pts, gap); !slices.EqualFunc(gs, again, func(a, b cluster) bool {
		return a.X == b.X && a.Y == b.Y && slices.Equal(a.Members, b.Members)
	}) {
		t.Error("a second run grouped the points differently")
	}
	// Two points 10 apart are one group; a third 100 away is alone.
	small := clusterPoints([][2]float64{{100, 100}, {110, 100}, {210, 100}}, gap)
	if len(small) != 2 || !slices.Equal(small[0].Members, []int{0, 1}) || !slices.Equal(small[1].Members, []int{2}) || small[0].X != 105 {
		t.Errorf("three points: %+v", small)
	}
	if clusterPoints(nil, gap) != nil {
		t.Error("no points, some groups")
	}
}

// homeSite serves a register of nine deployments: five in Manila, one in
// Islamabad, two without coordinates and one outside the map's frame.
func homeSite(t testing.TB) (*Site, *registry.Set) {
	t.Helper()
	set := fixture.Set(9)
	at := func(lat, lon float64) registry.Place {
		return registry.Place{Name: "Somewhere", Level: "city", Lat: &lat, Lon: &lon}
	}
	for i, d := range set.Deployments {
		switch {
		case i < 5:
			d.Jurisdiction, d.Place = "PH", at(14.6+float64(i)/100, 121.0)
			d.Place.Name = "Manila"
		case i == 5:
			d.Jurisdiction, d.Place = "PK", at(33.7, 73.0)
			d.Place.Name = "Islamabad"
		case i < 8:
			d.Place = registry.Place{Name: "No coordinates"}
		default:
			d.Place = at(10, 10) // west Africa: outside the map
		}
	}
	s, _ := siteOf(t, set)
	return s, set
}

var (
	pointMarkRE  = regexp.MustCompile(`<a href="([^"]+)" aria-label="([^"]+)"><g class="mark (point|group)"><circle [^>]*fill="(#[0-9a-f]+)"`)
	pointCountRE = regexp.MustCompile(`aria-hidden="true">(\d+)</text>`)
)

// TestHomeDeploymentsMap: the map places each deployment with
// coordinates once, as a point or in a group's count, and says how many
// it cannot place; points + groups' counts + those without coordinates +
// those outside the frame = the deployments in the register.
func TestHomeDeploymentsMap(t *testing.T) {
	s, set := homeSite(t)
	eu, _ := s.cls.Framework("eu-ai-act")
	for _, colour := range []string{"tier", "technology"} {
		code, body := get(t, s, "/?map=deployments&colour="+colour)
		if code != 200 {
			t.Fatalf("%s: %d\n%s", colour, code, body)
		}
		marks := pointMarkRE.FindAllStringSubmatch(body, -1)
		points, grouped := 0, 0
		for _, m := range marks {
			if m[3] == "point" {
				points++
				// Islamabad's deployment, linked, in its colour.
				d := set.Deployments[5]
				want := keyOf(mapPoint{Tier: s.cls.TierOf(d, eu, s.today()), Technology: technologyOf(d.System.Capabilities)}, colour)
				if m[1] != "/deployments/"+d.ID || m[4] != want.Colour || !strings.Contains(m[2], want.Label) || !strings.Contains(m[2], "Islamabad") {
					t.Errorf("%s: point %q", colour, m[:5])
				}
			} else if m[1] != "/search?jurisdiction=PH" || !strings.HasPrefix(m[2], "5 deployments at Manila") {
				t.Errorf("%s: group %q", colour, m[:3])
			}
		}
		for _, m := range pointCountRE.FindAllStringSubmatch(body, -1) {
			n, _ := strconv.Atoi(m[1])
			grouped += n
		}
		noPlace := regexp.MustCompile(`(\d+) deployments have no coordinates`).FindStringSubmatch(body)
		outside := regexp.MustCompile(`(\d+) deployments? ha(?:s|ve) coordinates outside the map`).FindStringSubmatch(body)
		if noPlace == nil || outside == nil {
			t.Fatalf("%s: the page does not count the deployments it cannot place", colour)
		}
		np, _ := strconv.Atoi(noPlace[1])
		out, _ := strconv.Atoi(outside[1])
		if points != 1 || grouped != 5 || np != 2 || out != 1 || points+grouped+np+out != len(set.Deployments) {
			t.Errorf("%s: %d points + %d in groups + %d without coordinates + %d outside, for %d deployments", colour, points, grouped, np, out, len(set.Deployments))
		}
		if rows := strings.Count(body, `<tr><td><a href="/deployments/`); rows != 6 {
			t.Errorf("%s: the table has %d rows for 6 deployments on the map", colour, rows)
		}
		if !strings.Contains(body, `href="/?map=deployments&amp;colour=`+colour+`" aria-current="page"`) {
			t.Errorf("%s: the toggle does not mark the map shown", colour)
		}
		// The legend names every colour, with its count.
		for _, k := range mapKeys()[colour] {
			if !strings.Contains(body, k.Colour+`"/></svg>`+k.Label) {
				t.Errorf("%s: the legend lacks %s", colour, k.Label)
			}
		}
	}
	code, body := get(t, s, "/")
	if code != 200 || strings.Contains(body, `class="marks"`) || !strings.Contains(body, `href="/?map=gap" aria-current="page"`) {
		t.Errorf("the default map: %d, marks or no current toggle", code)
	}
}

// TestHomeMapParams: a bad map or colour is the site's 400 page, naming
// the parameter.
func TestHomeMapParams(t *testing.T) {
	s, _ := homeSite(t)
	for path, want := range map[string]string{
		"/?map=points":                    "map: &#34;points&#34; is not a known map (allowed: gap, deployments)",
		"/?map=deployments&colour=red":    "colour: &#34;red&#34; is not a known colouring of the map (allowed: tier, technology)",
		"/?colour=tier":                   "colour: colours the deployments map: give it with map=deployments",
		"/?map=gap&colour=technology":     "colour: colours the deployments map",
		"/?map=deployments&zoom=2":        "zoom: unknown parameter",
		"/?map=deployments&map=gap":       "map: give it once",
		"/countries/?map=deployments&x=1": "x: unknown parameter",
	} {
		code, body := get(t, s, path)
		if code != 400 || !strings.Contains(body, want) {
			i := strings.Index(body, "cannot be shown")
			t.Errorf("%s: %d, want 400 saying %q; page says %.200s", path, code, want, body[max(i, 0):])
		}
	}
	for _, path := range []string{"/?map=gap", "/?map=deployments", "/countries/?map=deployments&colour=technology"} {
		if code, _ := get(t, s, path); code != 200 {
			t.Errorf("%s: %d", path, code)
		}
	}
}

// BenchmarkClusterPoints groups 100,000 points spread over the map, half
// of them in one dense corner: the work is bounded by the starting
// squares, not by the number of points.
func BenchmarkClusterPoints(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := make([][2]float64, 100_000)
	for i := range pts {
		if i%2 == 0 {
			pts[i] = [2]float64{400 + rng.Float64()*60, 300 + rng.Float64()*60}
		} else {
			pts[i] = [2]float64{rng.Float64() * 1000, rng.Float64() * 738}
		}
	}
	for b.Loop() {
		clusterPoints(pts, 36)
	}
}
