package registry

// An Origin marks a record that was imported from a published dataset: the
// dataset and its release, the licence it is published under, the credit
// that licence asks for, and the dataset's own id (and page) of the row the
// record came from. It keeps the record marked by where it came from after
// it is edited, and gives the record's page the credit to show. A record
// written by hand has none.
type Origin struct {
	Dataset     string `json:"dataset"`             // slug, e.g. aiddata-gcdf-3
	Title       string `json:"title"`               // the dataset's name, as its publisher gives it
	Version     string `json:"version,omitempty"`   // the release, e.g. 3.0
	Published   Date   `json:"published,omitzero"`  // the release's date
	Publisher   string `json:"publisher,omitempty"` // who publishes it
	File        string `json:"file,omitempty"`      // the table the rows were read from
	Licence     string `json:"licence"`             // SPDX identifier, e.g. ODC-By-1.0
	LicenceURL  string `json:"licence_url"`         // the licence's text
	LicenceFrom string `json:"licence_from"`        // the dataset's own page that grants the licence
	Attribution string `json:"attribution"`         // the credit the licence asks for, shown with the record
	Row         string `json:"row"`                 // the dataset's id of the row
	RowURL      string `json:"row_url,omitempty"`   // the row's own page, where the dataset has one
}

// origin checks a record's origin: a dataset slug, its title, a licence
// with its text and the page that grants it, the credit, and the row id.
func (c *checker) origin(o *Origin) {
	if o == nil {
		return
	}
	c.slug("origin.dataset", o.Dataset)
	c.required("origin.title", o.Title)
	c.date("origin.published", o.Published)
	c.required("origin.licence", o.Licence)
	if c.required("origin.licence_url", o.LicenceURL) {
		c.url("origin.licence_url", o.LicenceURL)
	}
	if c.required("origin.licence_from", o.LicenceFrom) {
		c.url("origin.licence_from", o.LicenceFrom)
	}
	c.required("origin.attribution", o.Attribution)
	c.required("origin.row", o.Row)
	if o.RowURL != "" {
		c.url("origin.row_url", o.RowURL)
	}
}
