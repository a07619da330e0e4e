package api

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
)

// TestTierMapAsMap: a tierMap encodes to the very bytes encoding/json
// makes of the same map, escapes included.
func TestTierMapAsMap(t *testing.T) {
	for _, m := range []map[string]string{
		nil,
		{},
		{"eu-ai-act": "prohibited_unless_conditions_met", "apac-baseline": "high_risk", "kr-ai-basic-act": "indeterminate"},
		{"a<b": "x&y", "é": "\"quoted\"\n", "": "tab\there", "z": "\u2028"},
	} {
		want, err := json.Marshal(struct {
			Tiers map[string]string `json:"tiers"`
		}{m})
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(struct {
			Tiers tierMap `json:"tiers"`
		}{m})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%v:\n got %s\nwant %s", m, got, want)
		}
		// With its keys given, and with those of another map.
		for _, keys := range [][]string{slices.Sorted(maps.Keys(m)), {"apac-baseline", "eu-ai-act", "zz"}, {"a"}} {
			b := tierMap(m).appendJSON([]byte(`{"tiers":`), keys)
			if got := string(b) + "}"; got != string(want) {
				t.Errorf("%v with keys %v:\n got %s\nwant %s", m, keys, got, want)
			}
		}
	}
}
