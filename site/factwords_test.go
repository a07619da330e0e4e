package site

import (
	"slices"
	"strings"
	"testing"

	"oversight/registry"
)

// TestFactsRead: the facts a rule read are shown in words, each value as
// the questionnaire offers it, with no schema path or underscore left.
func TestFactsRead(t *testing.T) {
	got := factsRead(map[string]any{
		"operator.is_public_body": true,
		"system.capabilities":     []any{"remote_biometric_identification"},
		"purposes":                []string{},
		"identification.mode":     "verification",
	})
	want := []string{
		"a public body: yes",
		"kind of identification: It checks that a person is who they claim to be (one-to-one)",
		"purposes: none",
		"what it can do: face or other biometric identification at a distance",
	}
	if !slices.Equal(got, want) {
		t.Errorf("factsRead:\n got %q\nwant %q", got, want)
	}
	// A value no question offers is written as it is, without underscores.
	if w := factWords("no.such_path", "some_value"); w != "some value" {
		t.Errorf("a value no question offers: %q", w)
	}
	if w := factWords("scale.cameras", 1900.0); w != "1900" {
		t.Errorf("a number: %q", w)
	}
	for _, s := range got {
		if strings.Contains(s, "_") {
			t.Errorf("%q keeps an underscore", s)
		}
	}
}

// TestValueWordsAreLabels: the words for a flag, an empty list and a value
// with no vocabulary come from the label file, as every other page word
// does, so that a translation changes them too.
func TestValueWordsAreLabels(t *testing.T) {
	saved := labels["value"]
	defer func() { labels["value"] = saved }()
	labels["value"] = map[string]string{valueTrue: "ja", valueFalse: "nein", valueEmpty: "keine", valueNull: "unbekannt", valueUnreadable: "unlesbar"}
	for _, c := range []struct {
		got, want string
	}{
		{factWords("operator.is_public_body", true), "ja"},
		{factWords("operator.is_public_body", false), "nein"},
		{factWords("purposes", []string{}), "keine"},
		{claimValue(&registry.Claim{Value: true}), "ja"},
		{claimValue(&registry.Claim{Value: []any{}}), "keine"},
		{claimValue(&registry.Claim{Value: nil}), "unbekannt"},
		{claimValue(&registry.Claim{Value: []any{1.0}}), "unlesbar"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q from site/labels", c.got, c.want)
		}
	}
}
