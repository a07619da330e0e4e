package site

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"oversight/registry"
	"oversight/rules"
	"oversight/site/atlas"
)

// The home page's map shows the governance gap by jurisdiction (map=gap,
// the default) or the deployments as points (map=deployments), coloured by
// their tier under the EU AI Act benchmark or by technology (colour=).
var (
	mapModes   = registry.Enum{Name: "map", Values: []string{"gap", "deployments"}}
	colourings = registry.Enum{Name: "colouring of the map", Values: []string{"tier", "technology"}}
)

// A mapKey is one colour of the deployments map's legend.
type mapKey struct {
	Value        string   `json:"value"`
	Label        string   `json:"label"`
	Colour       string   `json:"colour"`
	Capabilities []string `json:"capabilities"` // technology groups only
}

// mapKeys are the legends of each colouring, in order (mapkeys.json).
//
//go:embed mapkeys.json
var mapKeysJSON []byte

// mapKeys returns the legends of mapkeys.json by colouring, read on first
// use rather than when any command starts.
var mapKeys = sync.OnceValue(func() map[string][]mapKey {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(mapKeysJSON, &m); err != nil {
		panic("site/mapkeys.json: " + err.Error())
	}
	out := map[string][]mapKey{}
	for _, c := range colourings.Values {
		var keys []mapKey
		if err := json.Unmarshal(m[c], &keys); err != nil || len(keys) == 0 {
			panic(fmt.Sprintf("site/mapkeys.json: %s: no keys (%v)", c, err))
		}
		for i := range keys {
			if c == "tier" {
				keys[i].Label = label("tier", keys[i].Value)
			}
		}
		out[c] = keys
	}
	return out
})

// technologyOf returns the technology group of a deployment's
// capabilities: the first group in mapkeys.json that holds any of them.
func technologyOf(caps []string) string {
	keys := mapKeys()["technology"]
	for _, k := range keys {
		for _, c := range caps {
			if slices.Contains(k.Capabilities, c) {
				return k.Value
			}
		}
	}
	return keys[len(keys)-1].Value // not recorded
}

// A mapPoint is a deployment placed on the map.
type mapPoint struct {
	ID, Title, Place, Jurisdiction string
	Tier                           rules.Tier // under the EU AI Act benchmark
	Coming                         *coming    // what a rule not yet in force makes Tier; for the table's rows only
	Technology                     string     // a technology group of mapkeys.json
	X, Y                           float64    // viewBox units
}

// coming is what a rule not yet in force will make a tier, and from when
// (rules.Result.Raising); AtLeast where today's tier is undecided. The
// template "coming-tier" (_tier.html) writes it.
type coming struct {
	From    string // YYYY-MM-DD
	Tier    rules.Tier
	AtLeast bool
}

// comingOf is what a rule not yet in force will make r's tier, or nil
// where none raises it.
func comingOf(r rules.Result) *coming {
	c := r.Raising()
	if c == nil {
		return nil
	}
	return &coming{From: c.EffectiveFrom(), Tier: c.Tier, AtLeast: r.Tier == rules.Indeterminate}
}

// A deploymentMap is what the deployments map shows, for one state of the
// register: the deployments it places, their groups, and the counts of
// those it cannot place. Total = len(Points) + NoPlace + Outside.
type deploymentMap struct {
	Points  []mapPoint // by jurisdiction name, then title
	Groups  []cluster  // indexes into Points
	Total   int        // deployments in the register
	NoPlace int        // without coordinates: never placed at a guess
	Outside int        // with coordinates outside the map's frame
}

// Marks' sizes, in viewBox units. Groups' centres are atlas.CircleGap
// (36 units) apart, so that no two marks overlap. On a phone the
// stylesheet draws the map at least 45rem wide and every mark with a
// radius of 17.5 units: 25 CSS px across, above the 24 px of WCAG 2.2's
// target size (2.5.8).
const (
	pointRadius = 7
	groupRadius = atlas.CircleGap/2 - 0.5
)

// euFramework is the framework the map's tiers are read under.
const euFramework = "eu-ai-act"

// buildDeploymentMap places every deployment that has coordinates and
// groups those that would overlap. Tiers are read from the tier
// projection where it holds them, as the search does, and classified here
// otherwise.
func (s *Site) buildDeploymentMap(ctx context.Context, rd Reader) (deploymentMap, error) {
	var dm deploymentMap
	var deps []*registry.Deployment
	err := rd.EachDeployment(ctx, registry.DeploymentFilter{}, func(d *registry.Deployment) error {
		dm.Total++
		if d.Place.Lat == nil || d.Place.Lon == nil {
			dm.NoPlace++
			return nil
		}
		x, y, ok := atlas.Project(*d.Place.Lon, *d.Place.Lat)
		if !ok {
			dm.Outside++
			return nil
		}
		deps = append(deps, d)
		dm.Points = append(dm.Points, mapPoint{ID: d.ID, Title: d.Title, Place: d.Place.Name, Jurisdiction: d.Jurisdiction,
			Technology: technologyOf(d.System.Capabilities), X: x, Y: y})
		return nil
	})
	if err != nil {
		return dm, err
	}
	if eu, ok := s.cls.Framework(euFramework); ok && len(deps) > 0 {
		ids := make([]string, len(deps))
		for i, d := range deps {
			ids[i] = d.ID
		}
		stored, _, err := rd.TiersOn(ctx, ids, s.today().Format(time.DateOnly))
		if err != nil {
			return dm, err
		}
		for i, d := range deps {
			if t, ok := stored[d.ID][eu.ID]; ok {
				dm.Points[i].Tier = rules.Tier(t)
			} else {
				dm.Points[i].Tier = s.cls.TierOf(d, eu, s.today())
			}
		}
	}
	names := map[string]string{}
	for _, p := range dm.Points {
		names[p.Jurisdiction] = countryName(p.Jurisdiction)
	}
	slices.SortFunc(dm.Points, func(a, b mapPoint) int {
		if c := strings.Compare(names[a.Jurisdiction], names[b.Jurisdiction]); c != 0 {
			return c
		}
		if c := strings.Compare(a.Title, b.Title); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	// The table beside the map says, as the deployment's page does, what a
	// rule not yet in force will make a tier: "minimal risk" alone would
	// read as the Act's last word. Only its rows are classified in full.
	if eu, ok := s.cls.Framework(euFramework); ok {
		byID := make(map[string]*registry.Deployment, len(deps))
		for _, d := range deps {
			byID[d.ID] = d
		}
		for i := range dm.Points[:min(len(dm.Points), pointRows)] {
			dm.Points[i].Coming = comingOf(s.cls.Deployment(byID[dm.Points[i].ID], []*rules.Framework{eu}, s.today()).Results[0])
		}
	}
	pos := make([][2]float64, len(dm.Points))
	for i, p := range dm.Points {
		pos[i] = [2]float64{p.X, p.Y}
	}
	dm.Groups = clusterPoints(pos, atlas.CircleGap)
	return dm, nil
}

// keyOf returns the legend entry a point is coloured by.
func keyOf(p mapPoint, colour string) mapKey {
	v := p.Technology
	if colour == "tier" {
		v = string(p.Tier)
	}
	for _, k := range mapKeys()[colour] {
		if k.Value == v {
			return k
		}
	}
	return mapKey{Value: v, Label: "not classified", Colour: atlas.DefaultFill} // no EU framework loaded
}

// A legendEntry is a colour of the legend with how many placed
// deployments have it.
type legendEntry struct {
	mapKey
	Count int
}

// legendOf counts the placed deployments by colour, in the legend's order.
func (dm deploymentMap) legendOf(colour string) []legendEntry {
	n := map[string]int{}
	for _, p := range dm.Points {
		n[keyOf(p, colour).Value]++
	}
	var out []legendEntry
	for _, k := range mapKeys()[colour] {
		out = append(out, legendEntry{k, n[k.Value]})
	}
	return out
}

// marks draws the groups: a lone deployment as a disc in its colour,
// linked to its page; a group as a ring of its colours' shares around its
// count, linked to the search for its jurisdictions.
func (dm deploymentMap) marks(colour string) []atlas.Mark {
	var out []atlas.Mark
	for _, g := range dm.Groups {
		if len(g.Members) == 1 {
			p := dm.Points[g.Members[0]]
			k := keyOf(p, colour)
			out = append(out, atlas.Mark{X: g.X, Y: g.Y, R: pointRadius, Fill: k.Colour, Href: "/deployments/" + p.ID, Class: "point",
				Label: fmt.Sprintf("%s, %s (%s): %s", p.Title, placeOf(p), countryName(p.Jurisdiction), k.Label)})
			continue
		}
		count := map[string]int{}
		var codes, places []string
		for _, i := range g.Members {
			p := dm.Points[i]
			count[keyOf(p, colour).Value]++
			if !slices.Contains(codes, p.Jurisdiction) {
				codes = append(codes, p.Jurisdiction)
			}
			if pl := placeOf(p); !slices.Contains(places, pl) {
				places = append(places, pl)
			}
		}
		slices.Sort(codes)
		var ring []atlas.Share
		var parts []string
		for _, k := range mapKeys()[colour] {
			if n := count[k.Value]; n > 0 {
				ring = append(ring, atlas.Share{Fill: k.Colour, Count: n})
				parts = append(parts, fmt.Sprintf("%d %s", n, k.Label))
			}
		}
		countries := make([]string, len(codes))
		for i, c := range codes {
			countries[i] = countryName(c)
		}
		if len(places) > 3 {
			places = append(places[:3], fmt.Sprintf("%d more places", len(places)-3))
		}
		out = append(out, atlas.Mark{X: g.X, Y: g.Y, R: groupRadius, Ring: ring, Text: fmt.Sprint(len(g.Members)),
			Href: "/search?" + url.Values{"jurisdiction": {strings.Join(codes, ",")}}.Encode(), Class: "group",
			Label: fmt.Sprintf("%d deployments at %s (%s): %s. Opens the search for %s.", len(g.Members), strings.Join(places, ", "),
				strings.Join(countries, ", "), strings.Join(parts, ", "), strings.Join(countries, " and "))})
	}
	return out
}

// placeOf names where a point is: its place, or its jurisdiction.
func placeOf(p mapPoint) string {
	if p.Place != "" {
		return p.Place
	}
	return countryName(p.Jurisdiction)
}
