// Package registry holds Oversight's domain types: jurisdictions and their
// safeguards, deployments of AI surveillance, vendors and financiers, legal
// instruments, dataset claims and the revisions that record every change.
// It also holds the closed vocabularies and the validation that every record
// passes before it is stored. It does no I/O.
//
// Facts carry their sources: a record lists the pages that support it under
// sources, each with a key, and every sourced fact names the keys that
// support it. Unknown is a value: a nil pointer, an empty string or an
// absent list means "not stated by any source read", never "no".
package registry

// A Source is a page or dataset a reader can open to check a fact.
type Source struct {
	Key       string `json:"key"`                 // referenced by the record's facts
	URL       string `json:"url"`                 // http or https
	Title     string `json:"title,omitempty"`     // as the page gives it
	Publisher string `json:"publisher,omitempty"` // outlet, agency or dataset owner
	Published Date   `json:"published,omitzero"`  // when the page was published
	Accessed  Date   `json:"accessed,omitzero"`   // when it was read for the register
	Excerpt   string `json:"excerpt,omitempty"`   // a short passage that supports the facts
	// Language is the BCP 47 tag of the page's language, where the
	// excerpt is quoted from it; Translated says the excerpt is an English
	// translation of the quote, not the page's own words.
	Language   string `json:"language,omitempty"`
	Translated bool   `json:"translated,omitempty"`
	// Original is the quote in the page's own language, when the excerpt
	// is its English rendering; TranslatedBy says who rendered it.
	Original     string `json:"original,omitempty"`
	TranslatedBy string `json:"translated_by,omitempty"`
	SHA256       string `json:"sha256,omitempty"` // hash of what was read, where kept
}

// Place is where a deployment is. Coordinates locate the named place at the
// stated level (a city's centre for level city), not a camera.
type Place struct {
	Name        string   `json:"name,omitempty"`
	Subdivision string   `json:"subdivision,omitempty"` // province or state, as named by sources
	Level       string   `json:"level,omitempty"`       // PlaceLevels
	Lat         *float64 `json:"lat,omitempty"`
	Lon         *float64 `json:"lon,omitempty"`
}

// Operator is who runs a deployment.
type Operator struct {
	Name    string   `json:"name,omitempty"`
	Kind    string   `json:"kind,omitempty"` // OperatorKinds
	Sources []string `json:"sources,omitempty"`
}

// System describes what a deployment can do and what it is for.
type System struct {
	Capabilities []string `json:"capabilities,omitempty"` // Capabilities
	Purposes     []string `json:"purposes,omitempty"`     // Purposes
	Description  string   `json:"description,omitempty"`
	Sources      []string `json:"sources,omitempty"`
}

// IsZero reports whether an operator states nothing, so that omitzero
// leaves out one with empty lists too: it would be written as {}, which
// reads back as the zero value, and the canonical bytes would change.
func (o Operator) IsZero() bool { return o.Name == "" && o.Kind == "" && len(o.Sources) == 0 }

// IsZero reports whether a system description states nothing (see
// Operator.IsZero).
func (s System) IsZero() bool {
	return len(s.Capabilities) == 0 && len(s.Purposes) == 0 && s.Description == "" && len(s.Sources) == 0
}

// VendorRole links a deployment to an organisation in the vendor catalogue.
type VendorRole struct {
	Vendor  string   `json:"vendor"` // Vendor.ID
	Role    string   `json:"role"`   // VendorRoles
	Note    string   `json:"note,omitempty"`
	Sources []string `json:"sources"`
}

// Scale is how large a deployment is.
type Scale struct {
	Cameras       *int64   `json:"cameras,omitempty"`
	PeopleCovered *int64   `json:"people_covered,omitempty"`
	Note          string   `json:"note,omitempty"`
	Sources       []string `json:"sources,omitempty"`
}

// IsZero reports whether a scale states nothing (see Operator.IsZero).
func (s Scale) IsZero() bool {
	return s.Cameras == nil && s.PeopleCovered == nil && s.Note == "" && len(s.Sources) == 0
}

// DatedEvent is a dated step in a deployment's life.
type DatedEvent struct {
	Event   string   `json:"event"` // DateEvents
	Date    Date     `json:"date"`
	Note    string   `json:"note,omitempty"`
	Sources []string `json:"sources"`
}

// Status is a deployment's state as of a date.
type Status struct {
	Value   string   `json:"value"` // Statuses
	AsOf    Date     `json:"as_of,omitzero"`
	Note    string   `json:"note,omitempty"`
	Sources []string `json:"sources,omitempty"`
}

// Financing is one reported flow of money into a deployment. Where sources
// disagree on an amount, each value is its own entry with its own source.
type Financing struct {
	Lender        string   `json:"lender,omitempty"` // Vendor.ID of the financier
	Instrument    string   `json:"instrument"`       // FinancingInstruments
	Amount        *float64 `json:"amount,omitempty"`
	Currency      string   `json:"currency,omitempty"` // ISO 4217
	Year          int      `json:"year,omitempty"`
	AmountUSD2021 *float64 `json:"amount_usd_2021,omitempty"` // constant 2021 USD, where a dataset gives it
	AidDataID     int      `json:"aiddata_id,omitempty"`      // AidData GCDF record id
	Note          string   `json:"note,omitempty"`
	Sources       []string `json:"sources"`
}

// A Deployment is one documented use of AI or camera surveillance by, or for,
// a public authority.
type Deployment struct {
	ID           string       `json:"id"` // stable slug
	Title        string       `json:"title"`
	Jurisdiction string       `json:"jurisdiction"` // Jurisdiction.Code
	Summary      string       `json:"summary,omitempty"`
	Place        Place        `json:"place,omitzero"`
	Operator     Operator     `json:"operator,omitzero"`
	System       System       `json:"system,omitzero"`
	Vendors      []VendorRole `json:"vendors,omitempty"`
	Scale        Scale        `json:"scale,omitzero"`
	Dates        []DatedEvent `json:"dates,omitempty"`
	Status       Status       `json:"status"`
	Financing    []Financing  `json:"financing,omitempty"`
	Certainty    string       `json:"certainty"` // Certainties
	Notes        string       `json:"notes,omitempty"`
	// Declaration is the operator's own statement about the system, when
	// it registered the system itself.
	Declaration *Declaration `json:"declaration,omitempty"`
	// Origin marks a record imported from a published dataset, with the
	// dataset's licence and credit; nil for a record written by hand.
	Origin  *Origin  `json:"origin,omitempty"`
	Sources []Source `json:"sources"`
}

// Year is the year of the earliest dated event, or 0 when none is dated.
func (d *Deployment) Year() int {
	y := 0
	for _, e := range d.Dates {
		if e.Date.Year != 0 && (y == 0 || e.Date.Year < y) {
			y = e.Date.Year
		}
	}
	return y
}

// Membership records that a jurisdiction belongs to a body.
type Membership struct {
	Body    string   `json:"body"` // Memberships
	Since   Date     `json:"since,omitzero"`
	Sources []string `json:"sources"`
}

// Regime is a jurisdiction's political regime as a cited dataset classifies it.
type Regime struct {
	Type    string   `json:"type"` // RegimeTypes
	Year    int      `json:"year"`
	Dataset string   `json:"dataset"` // who classified it, e.g. "V-Dem Regimes of the World (via AIGS 2022)"
	Sources []string `json:"sources"`
}

// Safeguard is one row of a jurisdiction's safeguards profile.
type Safeguard struct {
	Kind         string   `json:"kind"`   // SafeguardKinds
	Status       string   `json:"status"` // SafeguardStatuses
	Name         string   `json:"name,omitempty"`
	Instrument   string   `json:"instrument,omitempty"` // Instrument.ID, where the register has it
	Year         int      `json:"year,omitempty"`
	InForce      Date     `json:"in_force,omitzero"`
	CoversPolice *bool    `json:"covers_police,omitempty"`
	Note         string   `json:"note,omitempty"`
	Sources      []string `json:"sources,omitempty"`
}

// A Jurisdiction is a country or territory, keyed by its ISO 3166-1 alpha-2
// code (HK, MO and TW included).
type Jurisdiction struct {
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Region      string       `json:"region"` // always asia_pacific for now
	Subregion   string       `json:"subregion"`
	Memberships []Membership `json:"memberships,omitempty"`
	Regime      *Regime      `json:"regime,omitempty"`
	Safeguards  []Safeguard  `json:"safeguards"`
	Notes       string       `json:"notes,omitempty"`
	Sources     []Source     `json:"sources"`
}

// Listing records a vendor on a list such as an export-control entity list.
type Listing struct {
	List    string   `json:"list"`
	Date    Date     `json:"date,omitzero"`
	Note    string   `json:"note,omitempty"`
	Sources []string `json:"sources"`
}

// A Vendor is a company, bank or state body that supplies, integrates or
// finances surveillance systems.
type Vendor struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Aliases      []string  `json:"aliases,omitempty"`
	Type         string    `json:"type"`                   // OrganisationTypes
	Headquarters string    `json:"headquarters,omitempty"` // ISO alpha-2; empty when no source states it
	Ownership    string    `json:"ownership"`              // Ownerships
	Parent       string    `json:"parent,omitempty"`       // Vendor.ID or name
	FactSources  []string  `json:"fact_sources,omitempty"` // support headquarters, ownership and parent
	Listings     []Listing `json:"listings,omitempty"`
	Notes        string    `json:"notes,omitempty"`
	Sources      []Source  `json:"sources,omitempty"`
}

// An Instrument is a law, regulation, guideline, strategy or treaty.
type Instrument struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Jurisdiction string   `json:"jurisdiction"` // ISO alpha-2, or a body such as ASEAN
	Type         string   `json:"type"`         // InstrumentTypes
	Status       string   `json:"status"`       // InstrumentStatuses
	Adopted      Date     `json:"adopted,omitzero"`
	InForce      Date     `json:"in_force,omitzero"`
	Notes        string   `json:"notes,omitempty"`
	Sources      []Source `json:"sources"`
}

// A Claim is a country-level indicator taken from a published dataset.
type Claim struct {
	ID           string   `json:"id"`
	Jurisdiction string   `json:"jurisdiction"`
	Dataset      string   `json:"dataset"`   // e.g. aigs-2022
	Indicator    string   `json:"indicator"` // the dataset's column, in snake_case
	Value        any      `json:"value"`     // bool, number, string or list of strings
	Period       string   `json:"period,omitempty"`
	Note         string   `json:"note,omitempty"`
	Sources      []Source `json:"sources"`
}
