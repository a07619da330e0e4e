package site

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"oversight/analysis"
	"oversight/internal/cached"
	"oversight/internal/memo"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/rules"
)

// scenario shows what a framework would change for the deployments of
// the jurisdictions or regional body chosen: stricter, looser, undecided
// or no binding law today, per country.
func (s *Site) scenario(w http.ResponseWriter, r *http.Request, rd Reader) error {
	// A list of countries comes as one parameter a country (a select of
	// several), or as one comma-separated.
	q := r.URL.Query()
	if js := q["jurisdiction"]; len(js) > 1 {
		q.Set("jurisdiction", strings.Join(js, ","))
	}
	p := params.Read(q, "framework", "cursor", "jurisdiction", "region")
	id := p.Get("framework")
	juris := p.Jurisdictions("jurisdiction")
	region := p.Enum("region", registry.Memberships)
	ctx := r.Context()
	all, err := rd.List(ctx, "jurisdiction", "", "", registry.MaxLimit)
	if err != nil {
		return err
	}
	var js []*registry.Jurisdiction
	jnames := map[string]string{}
	for _, e := range all.Items {
		j := e.(*registry.Jurisdiction)
		js = append(js, j)
		jnames[j.Code] = j.Name
	}
	// A law not encoded whose commencement is unknown is named so, not as
	// one that binds today.
	notYet := map[string]bool{}
	for _, fw := range s.cls.Unencoded() {
		notYet[fw.ID] = !inForce(fw, s.today())
	}
	// People look for a country by its name: Indonesia comes after India;
	// the ones chosen come first.
	slices.SortFunc(js, func(a, b *registry.Jurisdiction) int { return strings.Compare(a.Name, b.Name) })
	data := map[string]any{"Title": "What would a framework change?", "Frameworks": s.cls.Frameworks(), "Selected": id,
		"Jurisdictions": chosenFirst(js, juris, func(j *registry.Jurisdiction) string { return j.Code }), "Chosen": juris, "Region": region, "Regions": registry.Memberships.Values, "FW": s.shortTitles(), "JNames": jnames, "NotYet": notYet}
	var fw *rules.Framework
	if id != "" {
		fw = p.Framework(s.cls, "from the list")
	}
	cursor := p.Cursor()
	if _, err := s.known(ctx, rd, p, registry.DeploymentFilter{Jurisdictions: juris}); err != nil {
		return err
	}
	err = p.Err()
	// A regional body stands for its members, as the register records them.
	if region != "" && err == nil {
		for _, j := range js {
			if memberOf(j, region) && !slices.Contains(juris, j.Code) {
				juris = append(juris, j.Code)
			}
		}
		if len(juris) == 0 {
			err = registry.InvalidField("query.region", "the register records no member of "+label("membership", region))
		}
	}
	data["Errs"] = map[string]string{}
	if refused := refusalOf(err, refusalScenarios); refused != nil {
		data["Refused"], data["Errs"] = refused, refused.Fields
		s.render(w, r, http.StatusBadRequest, "scenario", data)
		return nil
	} else if err != nil {
		return err
	}
	slices.Sort(juris)
	if fw != nil {
		// The counts cover every deployment the choice selects; the table
		// shows one page of them, ListMax long, with a link to the next.
		key, err := memo.KeyOf(ctx, rd, s.Now())
		if err != nil {
			return err
		}
		sv, err := cached.Scenario(ctx, s.Memo, key, s.opener(), rd, s.cls, fw, juris, s.today(), analysis.ItemPage{Cursor: cursor})
		if err != nil {
			return err
		}
		sc := sv.Val
		stale(w, data, sv)
		// The rows by country name; the cached scenario is shared, so
		// sort a copy.
		byName := slices.Clone(sc.ByJurisdiction)
		slices.SortStableFunc(byName, func(a, b analysis.Jurisdiction) int {
			return strings.Compare(cmp.Or(jnames[a.Code], a.Code), cmp.Or(jnames[b.Code], b.Code))
		})
		chosen := slices.Clone(sc.Jurisdictions)
		slices.SortStableFunc(chosen, func(a, b string) int { return strings.Compare(cmp.Or(jnames[a], a), cmp.Or(jnames[b], b)) })
		data["S"], data["F"], data["Bars"], data["ByName"], data["ChosenNames"] = sc, fw, scenarioBars(byName), byName, chosen
		if sc.Next != "" {
			nq := url.Values{"framework": {id}, "cursor": {sc.Next}}
			if len(juris) > 0 {
				nq.Set("jurisdiction", strings.Join(juris, ","))
			}
			data["Next"] = "/scenarios?" + nq.Encode()
		}
	}
	s.render(w, r, http.StatusOK, "scenario", data)
	return nil
}

// A scenarioBar is a jurisdiction's row of the scenario chart: each kind of
// change as a share of its deployments, in percent, for a stacked bar.
type scenarioBar struct {
	analysis.Jurisdiction
	Same                                 int
	StricterPct, LooserPct, UndecidedPct float64
	NoLawPct, NotEncodedPct, SamePct     float64
}

func scenarioBars(rows []analysis.Jurisdiction) []scenarioBar {
	out := make([]scenarioBar, len(rows))
	for i, j := range rows {
		b := scenarioBar{Jurisdiction: j, Same: j.Deployments - j.Stricter - j.Looser - j.Undecided - j.NoLaw - j.NotEncoded}
		if n := float64(j.Deployments); n > 0 {
			b.StricterPct, b.LooserPct, b.UndecidedPct = 100*float64(j.Stricter)/n, 100*float64(j.Looser)/n, 100*float64(j.Undecided)/n
			b.NoLawPct, b.NotEncodedPct, b.SamePct = 100*float64(j.NoLaw)/n, 100*float64(j.NotEncoded)/n, 100*float64(b.Same)/n
		}
		out[i] = b
	}
	return out
}
