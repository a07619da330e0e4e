package site

import (
	"net/http"
	"slices"

	"oversight/api"
	"oversight/contrib"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/rules"
)

// An apiVocab is a vocabulary the API answers and filters in codes: its
// name in labels/en.json, which holds the words the pages show for each
// code, its codes in their order, and where the API uses it (fields of
// its answers, and query parameters written "name=").
type apiVocab struct {
	Name   string
	Codes  []string
	Fields []string
}

// apiVocabs are the vocabularies the API page maps to the pages' words.
func apiVocabs() []apiVocab {
	enum := func(e registry.Enum, fields ...string) apiVocab { return apiVocab{e.Name, e.Values, fields} }
	return []apiVocab{
		{"tier", params.TierNames(), []string{"tiers", "results[].tier", "tier=FRAMEWORK:TIER"}},
		{"applicability", append(slices.Clone(rules.Applicabilities), rules.NotEncodedApplicability), []string{"results[].applicability"}},
		enum(registry.Capabilities, "system.capabilities", "technology="),
		enum(registry.Purposes, "system.purposes", "purpose="),
		enum(registry.Statuses, "status.value", "status="),
		enum(registry.Certainties, "certainty", "certainty="),
		enum(registry.Subregions, "subregion", "subregion="),
		enum(registry.VendorRoles, "vendors[].role"),
		{"framework kind", rules.Kinds, []string{"kind"}},
		{"framework status", rules.Statuses, []string{"status"}},
		enum(contrib.KindEnum, "kind"),
		enum(contrib.StateEnum, "state", "state="),
	}
}

// An apiRow is an endpoint as the page lists it: with a link where a
// reader's browser can open it as it is.
type apiRow struct {
	api.Endpoint
	Link string
}

// apiPage is a page about the API for people: its endpoints, read from
// its OpenAPI description, and the words the pages use for the codes it
// answers in. The description itself stays at /openapi.json.
func (s *Site) apiPage(w http.ResponseWriter, r *http.Request) {
	if err := params.Read(r.URL.Query()).Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	var groups [][]apiRow
	for _, e := range api.Endpoints() {
		row := apiRow{Endpoint: e}
		if e.Open {
			row.Link = e.Path
		}
		if n := len(groups); n > 0 && groups[n-1][0].Tag == e.Tag {
			groups[n-1] = append(groups[n-1], row)
		} else {
			groups = append(groups, []apiRow{row})
		}
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	s.render(w, r, http.StatusOK, "api", map[string]any{"Title": "The API", "Groups": groups, "Vocabs": apiVocabs()})
}
