package registry_test

import (
	"strings"
	"testing"

	"oversight/registry"
)

// TestOriginValidate checks that an imported record's origin names its
// dataset, licence, the page granting it, the credit and the row, and that
// each missing or malformed part is reported at its field.
func TestOriginValidate(t *testing.T) {
	good := func() *registry.Origin {
		return &registry.Origin{
			Dataset: "aiddata-gcdf-3", Title: "AidData's Global Chinese Development Finance Dataset, Version 3.0",
			Licence: "ODC-By-1.0", LicenceURL: "https://opendatacommons.org/licenses/by/1-0/",
			LicenceFrom: "https://github.com/aiddata/gcdf-geospatial-data/blob/main/LICENSE.md",
			Attribution: "AidData. 2023. Global Chinese Development Finance Dataset, Version 3.0.",
			Row:         "63248", RowURL: "https://china.aiddata.org/projects/63248",
		}
	}
	d := validDeployment()
	d.Origin = good()
	if err := d.Validate(); err != nil {
		t.Fatalf("a good origin is refused: %v", err)
	}
	for _, tc := range []struct {
		edit func(o *registry.Origin)
		want string
	}{
		{func(o *registry.Origin) { o.Dataset = "AidData 3" }, "origin.dataset: \"AidData 3\" is not a slug"},
		{func(o *registry.Origin) { o.Licence = "" }, "origin.licence: is required"},
		{func(o *registry.Origin) { o.LicenceURL = "opendatacommons.org" }, "origin.licence_url: \"opendatacommons.org\" is not an http or https URL"},
		{func(o *registry.Origin) { o.LicenceFrom = "" }, "origin.licence_from: is required"},
		{func(o *registry.Origin) { o.Attribution = " " }, "origin.attribution: is required"},
		{func(o *registry.Origin) { o.Row = "" }, "origin.row: is required"},
		{func(o *registry.Origin) { o.RowURL = "javascript:alert(1)" }, "origin.row_url"},
		{func(o *registry.Origin) { o.Attribution = strings.Repeat("a", 2001) }, "origin.attribution: at most 2000 characters"},
	} {
		d := validDeployment()
		d.Origin = good()
		tc.edit(d.Origin)
		err := d.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want it to say %q", err, tc.want)
		}
	}
}
