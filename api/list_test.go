package api

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"testing"

	"oversight/internal/fixture"
	"oversight/registry"
	"oversight/rules"
)

// TestListItemsAreRecordsWithTiers: a list sends each deployment's stored
// state with its tiers added, and that is the same JSON as the record
// encoded with its tiers beside it (the list before it sent states as
// they are), characters that JSON may escape included; the cursor goes on
// from the last item.
func TestListItemsAreRecordsWithTiers(t *testing.T) {
	set := fixture.Set(12)
	set.Deployments[3].Title = `Cameras & "lamps" <north>`
	db := openSet(t, set)
	srv, s := serveRegister(t, db, snapshots(db), nil)
	for _, path := range []string{"/api/v1/deployments?limit=5", "/api/v1/deployments?limit=5&cursor=" + cursorOf(set.Deployments[1].ID)} {
		resp, body := get(t, srv, path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		var got struct {
			Items []json.RawMessage `json:"items"`
			Next  string            `json:"next"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
		if len(got.Items) != 5 || got.Next == "" {
			t.Fatalf("GET %s: %d items, next %q", path, len(got.Items), got.Next)
		}
		for i, raw := range got.Items {
			var d registry.Deployment
			if err := json.Unmarshal(raw, &d); err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(struct {
				*registry.Deployment
				Tiers map[string]rules.Tier `json:"tiers"`
			}{&d, s.Classifier.TiersOf(&d, s.today())})
			if err != nil {
				t.Fatal(err)
			}
			var a, b any
			if err := json.Unmarshal(raw, &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &b); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("GET %s, item %d:\n got %s\nwant %s", path, i, raw, want)
			}
			if i == len(got.Items)-1 && got.Next != cursorOf(d.ID) {
				t.Errorf("GET %s: next %q, want the cursor of the last item %s", path, got.Next, d.ID)
			}
		}
	}
}

func cursorOf(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }
