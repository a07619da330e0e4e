package site

import "testing"

// TestSubmitField: an error on a proposal names the form's field in its
// words and links to its input, the row's number counted from 1; a path
// the form has no field for is left as it is.
func TestSubmitField(t *testing.T) {
	for path, want := range map[string]formField{
		"message":                    {"message", "Your explanation", ""},
		"evidence":                   {"evidence0.url", "Evidence", ""},
		"evidence[1].published":      {"evidence1.published", "Source 2, published", ""},
		"record.vendors[0].vendor":   {"vendor0.id", "Vendor 1", ""},
		"record.certainty":           {"certainty", "How sure are the sources?", ""},
		"record.system.capabilities": {"capabilities", "Capabilities", ""},
		"record.system.purposes[2]":  {"purposes", "Purposes", ""},
		"record.place.lat":           {},
	} {
		if got := submitField(path); got.ID != want.ID || got.Words != want.Words {
			t.Errorf("%s: %+v, want %+v", path, got, want)
		}
	}
}
