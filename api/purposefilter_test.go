package api

import (
	"encoding/json"
	"slices"
	"testing"

	"oversight/data"
	"oversight/internal/testreg"
	"oversight/registry"
	"oversight/store"
)

// TestPurposeFilter: ?purpose= lists the deployments recorded for that
// purpose, and only them: retail loss prevention lists Kmart's face
// recognition, and with a country, only that country's; an unknown purpose
// is refused naming the parameter. On SQLite, and on PostgreSQL when
// $OBS_TEST_POSTGRES names one.
func TestPurposeFilter(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("sqlite", func(t *testing.T) { purposeFilter(t, set, openSet(t, set)) })
	t.Run("postgres", func(t *testing.T) { purposeFilter(t, set, testreg.OpenPostgres(t, "apipurpose", set)) })
}

func purposeFilter(t *testing.T, set *registry.Set, db *store.DB) {
	srv, _ := serveRegister(t, db, snapshots(db), nil)
	for _, c := range []struct {
		query string
		want  func(*registry.Deployment) bool
		must  string // a deployment it lists
	}{
		{"purpose=retail_loss_prevention", func(d *registry.Deployment) bool {
			return slices.Contains(d.System.Purposes, "retail_loss_prevention")
		}, "au-kmart-store-face-recognition"},
		{"purpose=retail_loss_prevention&jurisdiction=NZ", func(d *registry.Deployment) bool {
			return d.Jurisdiction == "NZ" && slices.Contains(d.System.Purposes, "retail_loss_prevention")
		}, ""},
		{"purpose=border_control", func(d *registry.Deployment) bool { return slices.Contains(d.System.Purposes, "border_control") }, ""},
	} {
		var p page
		getJSON(t, srv, "/api/v1/deployments?limit=1000&"+c.query, &p)
		var got, want []string
		for _, d := range p.Items {
			got = append(got, d.ID)
		}
		for _, d := range set.Deployments {
			if c.want(d) {
				want = append(want, d.ID)
			}
		}
		slices.Sort(want)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", c.query, got, want)
		}
		if c.must != "" && !slices.Contains(got, c.must) {
			t.Errorf("%s does not list %s", c.query, c.must)
		}
	}
	for _, path := range []string{"/api/v1/deployments?purpose=no_such_purpose", "/api/v1/export?format=csv&purpose=no_such_purpose"} {
		resp, b := get(t, srv, path)
		var p struct{ Errors []struct{ Location string } }
		json.Unmarshal(b, &p)
		if resp.StatusCode != 400 || len(p.Errors) != 1 || p.Errors[0].Location != "query.purpose" {
			t.Errorf("GET %s: %d %.300s, want 400 naming query.purpose", path, resp.StatusCode, b)
		}
	}
}
