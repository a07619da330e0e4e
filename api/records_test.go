package api

import (
	"net/url"
	"slices"
	"testing"
)

// A record lists its first recordDeployments deployments and links to the
// list of the rest: following the link, and the list's own cursors, pages
// through exactly the deployments the whole record lists, in its order.
func TestRecordDeploymentsBounded(t *testing.T) {
	srv, _ := newServer(t, 6)
	type record struct {
		Deployments     []deploymentRef
		DeploymentsNext string `json:"deployments_next"`
	}
	for _, path := range []string{"/api/v1/vendors/vendor-b", "/api/v1/jurisdictions/PK"} {
		var whole record
		getJSON(t, srv, path, &whole)
		if whole.DeploymentsNext != "" || len(whole.Deployments) < 2 {
			t.Fatalf("%s, %d a record: %d deployments, next %q; want all, 2 or more, and no next", path, recordDeployments, len(whole.Deployments), whole.DeploymentsNext)
		}
		var want []string
		for _, d := range whole.Deployments {
			want = append(want, d.ID)
		}
		func() {
			defer func(n int) { recordDeployments = n }(recordDeployments)
			recordDeployments = 1
			var first record
			getJSON(t, srv, path, &first)
			if len(first.Deployments) != 1 || first.Deployments[0].ID != want[0] || first.DeploymentsNext == "" {
				t.Fatalf("%s, 1 a record: %+v; want the first of %v and a link to the rest", path, first, want)
			}
			got := []string{first.Deployments[0].ID}
			for next := first.DeploymentsNext; next != ""; {
				var p page
				getJSON(t, srv, next, &p)
				for _, d := range p.Items {
					got = append(got, d.ID)
				}
				next = ""
				if p.Next != "" {
					u, err := url.Parse(first.DeploymentsNext)
					if err != nil {
						t.Fatal(err)
					}
					q := u.Query()
					q.Set("cursor", p.Next)
					next = u.Path + "?" + q.Encode()
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s paged: %v; whole: %v", path, got, want)
			}
		}()
	}
}
