package site

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html/template"
	"net/http"

	"oversight/analysis"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/site/atlas"
)

// change is a line of the register's latest changes.
type change struct {
	Seq               int64
	Kind, ID, Op      string
	Name              string // the record's title or name, when its state gives one
	Author, Reason    string
	Time, Href, Proof string
}

func (s *Site) home(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	p := params.Read(r.URL.Query(), "map", "colour", "member")
	mode := cmp.Or(p.Enum("map", mapModes), "gap")
	member := p.Enum("member", registry.Memberships)
	colour := p.Enum("colour", colourings)
	if colour != "" && mode != "deployments" {
		p.Badf("colour", nil, "colours the deployments map: give it with map=deployments")
	}
	colour = cmp.Or(colour, "tier")
	if err := p.Err(); err != nil {
		return err
	}
	rv, err := s.indexReport(ctx, rd)
	if err != nil {
		return err
	}
	rep := rv.Val
	type homeData struct {
		Map    template.HTML
		Counts map[string]int
		PRC    analysis.SupplierCount
	}
	hv, err := memoize(s, ctx, rd, "home", func(ctx context.Context, rd Reader) (homeData, error) {
		var h homeData
		m, err := gapMap(rep.Index.Jurisdictions, nil, "")
		if err != nil {
			return h, err
		}
		h.Map, h.Counts = m, map[string]int{}
		for _, k := range []string{"deployment", "jurisdiction", "vendor", "instrument"} {
			n, err := rd.Count(ctx, k)
			if err != nil {
				return h, err
			}
			h.Counts[k] = n
		}
		// Summed from the register's counts: no second walk after the
		// index's.
		h.PRC, err = analysis.CountSuppliers(ctx, rd, analysis.NetworkQuery{}, "CN")
		return h, err
	})
	if err != nil {
		return err
	}
	h := hv.Val
	changes, err := latest(ctx, rd, 10)
	if err != nil {
		return err
	}
	members, err := membersOf(ctx, rd, member)
	if err != nil {
		return err
	}
	data := map[string]any{
		"Title": "AI surveillance in the Asia-Pacific", "Map": h.Map, "Disputed": atlas.DisputedNote,
		"Index": rep.Index, "Rows": indexRows(rep.Index.Jurisdictions, members), "Member": member, "Bodies": registry.Memberships.Values, "Counts": h.Counts, "Frameworks": len(s.cls.Frameworks()), "PRC": h.PRC,
		"Changes": changes, "Legend": legend(), "Mode": mode, "Colour": colour,
	}
	stale(w, data, rv)
	stale(w, data, hv)
	if member != "" && mode == "gap" {
		// The map shows the table's selection: the others drawn muted.
		mv, err := memoize(s, ctx, rd, "home-map\x00"+member, func(ctx context.Context, rd Reader) (template.HTML, error) {
			return gapMap(rep.Index.Jurisdictions, members, member)
		})
		if err != nil {
			return err
		}
		stale(w, data, mv)
		data["Map"] = mv.Val
		data["Legend"] = append(legend(), legendItem{notMember, "not a member of " + label("membership", member)})
	}
	if mode == "deployments" {
		dv, err := memoize(s, ctx, rd, "deployment-map", s.buildDeploymentMap)
		if err != nil {
			return err
		}
		stale(w, data, dv)
		if err := s.deploymentsMap(data, rep.Index.Jurisdictions, dv.Val, colour); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "home", data)
	return nil
}

// notMember is the fill of a jurisdiction outside the regional body the
// page shows the members of: paler than the grey of no score.
const notMember = "#f3f3f3"

// gapMap draws the governance gap by jurisdiction. With members (of body),
// the others are drawn muted, their gap left out, so that the map shows
// what the index table below it shows.
func gapMap(scores []analysis.Score, members map[string]bool, body string) (template.HTML, error) {
	regions := map[string]atlas.Region{}
	for _, j := range scores {
		text := j.Name + ": no score"
		fill := noData
		switch {
		case members != nil && !members[j.Code]:
			text = j.Name + ": not a member of " + label("membership", body)
			fill = notMember
		case j.Score != nil && j.Unranked == analysis.UnrankedNoExposure:
			text = fmt.Sprintf("%s: not scored on the map, no surveillance recorded", j.Name)
		case j.Score != nil && j.Rank == 0:
			text = fmt.Sprintf("%s: not scored on the map, %.0f%% of its inputs known", j.Name, j.Coverage*100)
		case j.Score != nil:
			text = fmt.Sprintf("%s: gap %.1f of 100, %s", j.Name, *j.Score, rankText(j))
			fill = scoreColour(*j.Score)
		}
		regions[j.Code] = atlas.Region{Code: j.Code, Name: j.Name, Fill: fill, Href: "/countries/" + j.Code, Label: text}
	}
	var m bytes.Buffer
	err := atlas.Render(&m, regions, atlas.Options{Title: "Governance gap by jurisdiction",
		Desc: "Choropleth of the governance-gap index, 0 (narrow) to 100 (wide); the table below gives the same figures.", SmallArea: 40})
	return template.HTML(m.String()), err
}

// pointRows bounds the rows of the deployments map's table; the search
// lists the rest.
const pointRows = 500

// A pointRow is a line of the table beside the deployments map.
type pointRow struct {
	mapPoint
	Country, Tier, Technology string
}

// deploymentsMap adds the deployments map, its legend, counts and table
// to the home page's data.
func (s *Site) deploymentsMap(data map[string]any, js []analysis.Score, dm deploymentMap, colour string) error {
	regions := map[string]atlas.Region{}
	for _, j := range js {
		regions[j.Code] = atlas.Region{Code: j.Code, Name: j.Name, Fill: registerFill}
	}
	what := map[string]string{"tier": "its tier under the EU AI Act, applied as a benchmark", "technology": "the most intrusive technology recorded"}[colour]
	var m bytes.Buffer
	err := atlas.Render(&m, regions, atlas.Options{Title: "Deployments by " + map[string]string{"tier": "EU AI Act tier", "technology": "technology"}[colour],
		Desc:      "Each deployment with coordinates, at its place, coloured by " + what + "; nearby ones are grouped, with their count. The table below lists the same deployments.",
		SmallArea: -1, Marks: dm.marks(colour)})
	if err != nil {
		return err
	}
	singles, grouped, groups := 0, 0, 0
	for _, g := range dm.Groups {
		if len(g.Members) == 1 {
			singles++
		} else {
			grouped, groups = grouped+len(g.Members), groups+1
		}
	}
	var rows []pointRow
	for _, p := range dm.Points[:min(len(dm.Points), pointRows)] {
		rows = append(rows, pointRow{p, countryName(p.Jurisdiction), keyOf(p, "tier").Label, keyOf(p, "technology").Label})
	}
	data["Map"], data["Keys"], data["Rows"] = template.HTML(m.String()), dm.legendOf(colour), rows
	data["Placed"], data["Singles"], data["Grouped"], data["Groups"] = len(dm.Points), singles, grouped, groups
	data["NoPlace"], data["Outside"], data["Shown"] = dm.NoPlace, dm.Outside, dm.Total
	return nil
}

// registerFill is the register's jurisdictions under the deployments, a
// shade apart from the countries outside it.
const registerFill = "#cdd5dc"

// latest lists the newest revisions of the log.
func latest(ctx context.Context, rd Reader, n int) ([]change, error) {
	size, err := rd.Size(ctx)
	if err != nil {
		return nil, err
	}
	var out []change
	for seq := size - 1; seq >= 0 && seq >= size-int64(n); seq-- {
		rev, _, err := rd.Revision(ctx, seq)
		if err != nil {
			return nil, err
		}
		c := change{Seq: rev.Seq, Kind: rev.Kind, ID: rev.ID, Name: recordName(rev.State), Op: rev.Op, Author: rev.Author, Reason: rev.Reason,
			Time: rev.Time.Format("2006-01-02 15:04 UTC"), Href: entityHref(rev.Kind, rev.ID), Proof: fmt.Sprintf("/api/v1/log/revisions/%d", rev.Seq)}
		if c.Href == "" {
			c.Href = c.Proof
		}
		out = append(out, c)
	}
	return out, nil
}

// entityHref is where a record is read: its page, or for kinds without one
// its API document; "" for a kind neither serves (replies show on their
// deployment's page).
func entityHref(kind, id string) string {
	switch kind {
	case "deployment":
		return "/deployments/" + id
	case "facts": // a deployment's, shown with its classification
		return "/deployments/" + id + "#classification"
	case "jurisdiction":
		return "/countries/" + id
	case "vendor":
		return "/vendors/" + id
	case "instrument", "claim":
		return "/api/v1/" + kind + "s/" + id
	}
	return ""
}
