package registry

import (
	"strings"
	"unicode"
)

// This file holds the types the register's readers and writers share: how
// a list is asked for and paged, whatever the database behind it.

// MaxLimit is the largest page a list returns.
const MaxLimit = 1000

// MatchScan is how many deployments one page of a list with a Match test
// reads at most.
const MatchScan = 10000

// Page is one page of a list and the cursor of the next, empty at the end.
type Page[T any] struct {
	Items []T
	Next  string
}

// Stored is a record as the register stores it: its id and its state,
// the canonical JSON of its Go struct (Canonical), not decoded. An answer
// that sends records as they are need not decode and encode them again.
type Stored struct {
	ID    string
	State []byte
}

// DeploymentFilter selects deployments. Zero fields do not filter.
type DeploymentFilter struct {
	Jurisdictions []string // ISO alpha-2 codes
	Subregion     string   // Subregions: the jurisdictions the register places in it
	Vendors       []string // vendor ids, any of them in any role
	VendorHQ      string   // headquarters country of any vendor
	Capability    string
	Purpose       string // one of Purposes
	Status        string
	Certainty     string
	YearFrom      int // earliest dated event in [YearFrom, YearTo]
	YearTo        int
	Q             string   // full-text query: every word must match
	IDs           []string // only these deployments, when not nil (an empty list matches none)
	Tier          *TierFilter
	// Match, when set, keeps only the deployments it accepts: a test the
	// database cannot run, such as a deployment's tier under a framework.
	// Deployments then reads past Limit rows, but at most MatchScan a
	// page, so that no request walks the whole register: a page may hold
	// fewer than Limit items, or none, and still have a next one.
	Match  func(*Deployment) (bool, error)
	Cursor string
	Limit  int
}

// SearchWords splits free text into the words a full-text query must all
// match. Punctuation is dropped, so user input cannot reach a search
// engine's query syntax.
func SearchWords(q string) []string {
	return strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Facets counts, for each search filter, the deployments each of its values
// would select together with the other filters in force: the counts a
// search page shows beside its choices. A filter's own value is left out
// of its counts, so that its other values show what choosing them gives.
type Facets struct {
	Jurisdiction map[string]int `json:"jurisdiction"`
	Technology   map[string]int `json:"technology"`
	Status       map[string]int `json:"status"`
	Vendor       map[string]int `json:"vendor"`
	Purpose      map[string]int `json:"purpose"`
}

// EntityID names an entity.
type EntityID struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// SourceUse is one source as cited by the register: its URL and the
// records that cite it.
type SourceUse struct {
	URL       string     `json:"url"`
	Title     string     `json:"title,omitempty"`
	Publisher string     `json:"publisher,omitempty"`
	Published string     `json:"published,omitempty"`
	CitedBy   []EntityID `json:"cited_by"`
}
