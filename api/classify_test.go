package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"oversight/analysis"
	"oversight/internal/testcls"
)

func post(t *testing.T, url, body string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/yaml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp, []byte(b.String())
}

type result struct {
	Framework, Applicability, Tier string
	Rules                          []struct {
		ID, Citation, Status string
		Facts                map[string]any
	}
	Missing []string
}

func TestClassifyEndpoint(t *testing.T) {
	srv, _ := newServer(t, 5)
	doc := `schema: observatory.facts/v0
deployment: {jurisdiction: KR}
operator: {type: police, is_law_enforcement_authority: true, is_public_body: true}
system: {capabilities: [remote_biometric_identification]}
identification: {mode: identification, remote: true, timing: real_time}
setting: {spaces: [street_square], publicly_accessible: true, intimate_private_space: false}
purposes: [protest_public_order, criminal_investigation]
`
	resp, b := post(t, srv.URL+"/api/v1/classify?as_of=2026-11-24", doc)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var c struct {
		AsOf    string `json:"as_of"`
		Results []result
	}
	json.Unmarshal(b, &c)
	byID := map[string]result{}
	for _, r := range c.Results {
		byID[r.Framework] = r
	}
	if eu := byID["eu-ai-act"]; eu.Tier != "prohibited" || eu.Rules[0].Citation != "Art. 5(1)(h)" || eu.Rules[0].Facts["identification.timing"] != "real_time" {
		t.Errorf("eu-ai-act: %+v", eu)
	}
	if kr := byID["kr-ai-basic-act"]; kr.Applicability != "applies" || kr.Tier != "high_risk" {
		t.Errorf("kr-ai-basic-act: %+v", kr)
	}

	resp, b = post(t, srv.URL+"/api/v1/classify", strings.Replace(doc, "real_time", "live", 1))
	var p struct {
		Errors []fieldError
	}
	json.Unmarshal(b, &p)
	if resp.StatusCode != 422 || len(p.Errors) != 1 || p.Errors[0].Location != "body/identification/timing" || !strings.Contains(p.Errors[0].Message, "'real_time'") {
		t.Errorf("bad value: %d %s", resp.StatusCode, b)
	}
	resp, b = post(t, srv.URL+"/api/v1/classify?framework=eu-ai-akt", doc)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "query.framework") {
		t.Errorf("unknown framework: %d %s", resp.StatusCode, b)
	}
}

func TestDeploymentClassificationAndTierFilter(t *testing.T) {
	srv, _ := newServer(t, 30)
	cls := testcls.New(t, nil)
	var list struct {
		Items []struct {
			ID, Jurisdiction string
			Tiers            map[string]string
		}
	}
	getJSON(t, srv, "/api/v1/deployments?limit=1000", &list)
	if len(list.Items) != 30 {
		t.Fatalf("%d deployments", len(list.Items))
	}
	counts := map[string]int{}
	for _, d := range list.Items {
		var c struct {
			Deployment, Facts string
			Results           []result
		}
		getJSON(t, srv, "/api/v1/deployments/"+d.ID+"/classification", &c)
		if c.Deployment != d.ID || c.Facts != "derived" || len(c.Results) != len(d.Tiers) {
			t.Fatalf("%s: %+v", d.ID, c)
		}
		for _, r := range c.Results {
			if d.Tiers[r.Framework] != r.Tier {
				t.Errorf("%s: list says %s under %s, classification %s", d.ID, d.Tiers[r.Framework], r.Framework, r.Tier)
			}
		}
		counts[d.Tiers["eu-ai-act"]]++
	}
	for tier, n := range counts {
		var f struct{ Items []struct{ ID string } }
		getJSON(t, srv, "/api/v1/deployments?limit=1000&tier=eu-ai-act:"+tier, &f)
		if len(f.Items) != n {
			t.Errorf("tier=eu-ai-act:%s: %d deployments, want %d", tier, len(f.Items), n)
		}
	}
	// Under a national law, the filter lists only the deployments of the
	// jurisdictions it binds (params.Reach), not every country's read by
	// it as a yardstick.
	tested := 0
	for _, fw := range cls.Frameworks() {
		if fw.ID == "eu-ai-act" || len(fw.Binds) != 1 {
			continue
		}
		in, out := map[string]int{}, map[string]int{}
		for _, d := range list.Items {
			if d.Jurisdiction == fw.Binds[0] {
				in[d.Tiers[fw.ID]]++
			} else {
				out[d.Tiers[fw.ID]]++
			}
		}
		for tier, n := range in {
			if out[tier] == 0 {
				continue
			}
			tested++
			var f struct {
				Items []struct{ Jurisdiction string }
			}
			getJSON(t, srv, "/api/v1/deployments?limit=1000&tier="+fw.ID+":"+tier, &f)
			if len(f.Items) != n {
				t.Errorf("tier=%s:%s: %d deployments, want %s's %d (and not %d elsewhere)", fw.ID, tier, len(f.Items), fw.Binds[0], n, out[tier])
			}
		}
	}
	if tested == 0 {
		t.Error("no national law's tier held both where it binds and elsewhere: nothing tested")
	}
	resp, b := get(t, srv, "/api/v1/deployments?tier=eu-ai-act:banned")
	if resp.StatusCode != 400 || !strings.Contains(string(b), "prohibited_unless_conditions_met") {
		t.Errorf("bad tier: %d %s", resp.StatusCode, b)
	}
	resp, _ = get(t, srv, "/api/v1/deployments/"+list.Items[0].ID+"/classification?as_of=24-11-2026")
	if resp.StatusCode != 400 {
		t.Errorf("bad date: %d", resp.StatusCode)
	}

	// The CSV export adds a tier column per framework, filtered like the list.
	var tier string
	for k := range counts {
		tier = k
	}
	resp, b = get(t, srv, "/api/v1/export?format=csv&tier=eu-ai-act:"+tier)
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode, err)
	}
	col := slices.Index(rows[0], "tier:eu-ai-act")
	if col < 0 || len(rows)-1 != counts[tier] {
		t.Fatalf("export: column %d, %d rows, want %d", col, len(rows)-1, counts[tier])
	}
	for _, r := range rows[1:] {
		if r[col] != tier {
			t.Errorf("row %s: tier %s", r[0], r[col])
		}
	}
}

func TestFrameworksAndScenarios(t *testing.T) {
	srv, _ := newServer(t, 12)
	var fws struct {
		Items []struct {
			ID         string
			Rules      int
			Link       string
			Encoded    bool
			NotEncoded *struct{ Reasons []string } `json:"not_encoded"`
		}
	}
	getJSON(t, srv, "/api/v1/frameworks", &fws)
	if len(fws.Items) < 15 {
		t.Fatalf("%d frameworks", len(fws.Items))
	}
	unencoded := 0
	for _, f := range fws.Items {
		var full struct {
			ID         string
			Sources    []struct{ URL string }
			Rules      []struct{ ID, When string }
			NotEncoded *struct{ Reasons []string } `json:"not_encoded"`
		}
		getJSON(t, srv, f.Link, &full)
		if full.ID != f.ID || len(full.Rules) != f.Rules || len(full.Sources) == 0 {
			t.Errorf("%s: %d rules, %d sources", f.ID, len(full.Rules), len(full.Sources))
		}
		switch {
		case f.Encoded && (f.NotEncoded != nil || len(full.Rules) == 0 || full.Rules[0].When == ""):
			t.Errorf("%s: encoded, yet no rules or a not_encoded", f.ID)
		case !f.Encoded:
			unencoded++
			// A law not encoded says why, lists no rules and classifies nothing.
			if f.NotEncoded == nil || len(f.NotEncoded.Reasons) == 0 || full.NotEncoded == nil || f.Rules != 0 {
				t.Errorf("%s: not encoded, yet says no reason or has %d rules", f.ID, f.Rules)
			}
			resp, b := get(t, srv, "/api/v1/scenarios?framework="+f.ID)
			if resp.StatusCode != 400 || !strings.Contains(string(b), "is not encoded") {
				t.Errorf("%s: a scenario under a law not encoded: %d %s", f.ID, resp.StatusCode, b)
			}
		}
	}
	if unencoded == 0 {
		t.Error("no framework in the list is marked not encoded")
	}
	if resp, _ := get(t, srv, "/api/v1/frameworks/nope"); resp.StatusCode != 404 {
		t.Errorf("unknown framework: %d", resp.StatusCode)
	}
	var sc struct {
		Deployments, Changed, Stricter, Looser, Undecided int
		NoLaw                                             int `json:"no_law"`
		Items                                             []struct{ Change string }
		ByJurisdiction                                    []struct{ Code string } `json:"by_jurisdiction"`
	}
	getJSON(t, srv, "/api/v1/scenarios?framework=apac-baseline", &sc)
	if sc.Deployments != 12 || len(sc.Items) != 12 || sc.Changed != sc.Stricter+sc.Looser || len(sc.ByJurisdiction) == 0 {
		t.Errorf("scenario: %+v", sc)
	}
	n := 0
	for _, it := range sc.Items {
		if it.Change != "same" {
			n++
		}
	}
	// A jurisdiction no framework binds has no current law to be stricter
	// than: its deployments count apart.
	if n != sc.Changed+sc.Undecided+sc.NoLaw {
		t.Errorf("items changed %d, summary %d + %d undecided + %d without law", n, sc.Changed, sc.Undecided, sc.NoLaw)
	}
	if resp, _ := get(t, srv, "/api/v1/scenarios"); resp.StatusCode != 400 {
		t.Errorf("no framework: %d", resp.StatusCode)
	}
	resp, b := get(t, srv, "/api/v1/schema/facts")
	if resp.StatusCode != 200 || !strings.Contains(string(b), "observatory.facts/v0") {
		t.Errorf("schema: %d", resp.StatusCode)
	}
}

func TestIndexEndpoint(t *testing.T) {
	srv, _ := newServer(t, 20)
	var rep struct {
		Index struct {
			Version       string
			Jurisdictions []struct {
				Code     string
				Score    *float64
				Rank     int
				Coverage float64
			}
		}
		Sensitivity struct {
			Draws         int
			Jurisdictions []struct{ Code string }
		}
		Series map[string][]struct{ Year int }
	}
	getJSON(t, srv, "/api/v1/index?as_of=2026-11-24", &rep)
	if rep.Index.Version == "" || len(rep.Index.Jurisdictions) != 3 || rep.Sensitivity.Draws != 1000 {
		t.Fatalf("%+v", rep.Index)
	}
	for _, j := range rep.Index.Jurisdictions {
		if j.Score == nil || *j.Score < 0 || *j.Score > 100 || j.Coverage <= 0 || j.Coverage > 1 {
			t.Errorf("%+v", j)
		}
		if s := rep.Series[j.Code]; len(s) != 15 || s[0].Year != 2012 {
			t.Errorf("%s series: %d points", j.Code, len(s))
		}
	}
	if resp, _ := get(t, srv, "/api/v1/index?weights=x"); resp.StatusCode != 400 {
		t.Errorf("unknown parameter: %d", resp.StatusCode)
	}
}

// TestScenarioPages checks that a scenario lists one page of deployments,
// analysis.ListMax by default, and that the pages add up to the counts.
func TestScenarioPages(t *testing.T) {
	const size = 2*analysis.ListMax + 50
	srv, _ := newServer(t, size)
	type scenario struct {
		Deployments, Stricter, Looser, Undecided int
		Items                                    []struct{ Deployment, Change string }
		ItemsTotal                               int    `json:"items_total"`
		Next                                     string `json:"next"`
	}
	var first scenario
	changes, seen := map[string]int{}, map[string]bool{}
	path := "/api/v1/scenarios?framework=apac-baseline"
	for pages := 1; ; pages++ {
		var sc scenario
		getJSON(t, srv, path, &sc)
		if pages == 1 {
			first = sc
			if len(sc.Items) != analysis.ListMax || sc.Next == "" {
				t.Errorf("first page: %d items, next %q", len(sc.Items), sc.Next)
			}
		}
		if sc.Deployments != size || sc.ItemsTotal != size || sc.Stricter != first.Stricter || sc.Undecided != first.Undecided {
			t.Errorf("page %d: %+v", pages, sc)
		}
		for _, it := range sc.Items {
			if seen[it.Deployment] {
				t.Errorf("%s listed twice", it.Deployment)
			}
			seen[it.Deployment] = true
			changes[it.Change]++
		}
		if sc.Next == "" {
			break
		}
		if pages == 5 {
			t.Fatal("no last page")
		}
		path = "/api/v1/scenarios?framework=apac-baseline&limit=120&cursor=" + sc.Next
	}
	if len(seen) != size || changes["stricter"] != first.Stricter || changes["looser"] != first.Looser || changes["undecided"] != first.Undecided {
		t.Errorf("pages list %d deployments, changes %v; counts %+v", len(seen), changes, first)
	}
	for _, q := range []string{"limit=0", "limit=1001", "cursor=%21%21"} {
		if resp, b := get(t, srv, "/api/v1/scenarios?framework=apac-baseline&"+q); resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", q, resp.StatusCode, b)
		}
	}
}
