package api

import (
	"testing"

	"oversight/data"
)

// TestSearchFindsPurposes: a search finds a deployment by a word of its
// purposes. A newcomer searching "retail" did not find Kmart's face
// recognition, recorded for retail loss prevention, whose text does not
// say retail otherwise.
func TestSearchFindsPurposes(t *testing.T) {
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := serveSet(t, set, nil)
	var p page
	getJSON(t, srv, "/api/v1/deployments?q=retail&limit=100", &p)
	for _, d := range p.Items {
		if d.ID == "au-kmart-store-face-recognition" {
			return
		}
	}
	t.Errorf("q=retail: %d deployments, none of them Kmart's (purposes: retail loss prevention)", len(p.Items))
}
