package registry

import (
	"slices"
	"strings"
)

// An Enum is a closed list of allowed values for one field. All of the
// register's enumerations are declared in this file, so that the data files,
// the API documentation and the validation errors agree on one spelling.
type Enum struct {
	Name   string
	Values []string
}

// Has reports whether v is one of the enumeration's values.
func (e Enum) Has(v string) bool { return slices.Contains(e.Values, v) }

// String lists the allowed values, for error messages.
func (e Enum) String() string { return strings.Join(e.Values, ", ") }

// SelfDeclared is the certainty of a record that rests on its operator's
// declaration alone.
const SelfDeclared = "self_declared"

var (
	// Subregions of the Asia-Pacific as the register groups them.
	Subregions = Enum{"subregion", []string{
		"east_asia", "southeast_asia", "south_asia", "central_asia", "oceania",
	}}

	// Memberships are the regional and plurilateral bodies a jurisdiction
	// belongs to or has signed. bri is "member of the Belt and Road
	// Initiative" as a cited dataset records it.
	Memberships = Enum{"membership", []string{
		"asean", "apec", "quad", "sco", "saarc", "pif", "bri", "coe_ai_convention",
	}}

	// RegimeTypes follow V-Dem's Regimes of the World classification.
	RegimeTypes = Enum{"regime type", []string{
		"closed_autocracy", "electoral_autocracy", "electoral_democracy", "liberal_democracy",
	}}

	// SafeguardKinds are the rows of a jurisdiction's safeguards profile.
	// Every kind but court_ruling appears exactly once per jurisdiction,
	// with status unknown where no source was read.
	SafeguardKinds = Enum{"safeguard kind", []string{
		"data_protection_law", "independent_authority", "biometric_rules", "ai_law",
		"police_frt_judicial_authorisation", "moratorium_or_ban", "public_register",
		"court_ruling",
	}}

	// SafeguardStatuses: yes, no, partial, or unknown (no source read).
	SafeguardStatuses = Enum{"safeguard status", []string{"yes", "partial", "no", "unknown"}}

	// Statuses of a deployment, as in the fact schema observatory.facts/v0.
	Statuses = Enum{"status", []string{
		"planned", "pilot", "active", "suspended", "discontinued", "unknown",
	}}

	// Certainties grade how well a deployment is supported: documented (an
	// official or primary record, or several independent reports), reported
	// (a single press or secondary report), unconfirmed, or self_declared
	// (its operator's own declaration and nothing else, see Declaration).
	Certainties = Enum{"certainty", []string{"documented", "reported", "unconfirmed", SelfDeclared}}

	// OperatorKinds follow operator.type of the fact schema.
	OperatorKinds = Enum{"operator kind", []string{
		"police", "other_law_enforcement", "intelligence_security", "military",
		"border_migration", "prison", "municipality", "other_public_authority",
		"public_transport_operator", "private_on_behalf_of_public", "private_company",
		"education_institution", "employer", "unknown",
	}}

	// VendorRoles are what an organisation did for a deployment.
	VendorRoles = Enum{"vendor role", []string{
		"prime", "equipment", "software", "integrator", "financier", "operator_support",
		"donor", "unknown",
	}}

	// Capabilities are what a deployed system can do. The names of the fact
	// schema are used where it has one; cctv, command_centre, drones and
	// body_worn_cameras describe the platform the analytics run on.
	Capabilities = Enum{"capability", []string{
		"cctv", "command_centre", "body_worn_cameras", "drones", "face_detection",
		"face_verification_1to1", "remote_biometric_identification", "biometric_categorisation",
		"emotion_recognition", "gait_recognition", "voice_identification", "iris_recognition",
		"person_reidentification_nonbiometric", "lpr_anpr", "behaviour_anomaly_detection",
		"crowd_analytics", "object_detection", "place_based_predictive_policing",
		"individual_risk_assessment", "social_scoring", "facial_database_construction",
		"traffic_enforcement", "social_media_monitoring",
	}}

	// Purposes follow the purposes list of the fact schema.
	Purposes = Enum{"purpose", []string{
		"victim_search", "missing_person_search", "imminent_threat_to_life", "terrorist_threat",
		"serious_crime_suspect", "convicted_person_search", "general_crime_prevention",
		"criminal_investigation", "protest_public_order", "crowd_management", "traffic_enforcement",
		"border_control", "migration_asylum", "national_security", "defence",
		"retail_loss_prevention", "fraud_prevention", "access_control", "attendance", "marketing",
		"public_health", "benefits_eligibility", "smart_city_general", "discriminatory_targeting",
		"research_development_training",
	}}

	// DateEvents name what a dated fact of a deployment marks.
	DateEvents = Enum{"date event", []string{
		"conceived", "announced", "tendered", "contracted", "financed", "installed", "live",
		"expanded", "suspended", "ended", "reported",
	}}

	// FinancingInstruments say how money reached a deployment.
	FinancingInstruments = Enum{"financing instrument", []string{
		"concessional_loan", "preferential_buyers_credit", "buyers_credit", "commercial_loan",
		"grant", "donation", "state_budget", "investor_financed", "public_private_partnership",
		"unknown",
	}}

	// PlaceLevels say how precise a place, and its coordinates, are.
	PlaceLevels = Enum{"place level", []string{"point", "site", "city", "area", "national"}}

	// Ownerships of a vendor or financier.
	Ownerships = Enum{"ownership", []string{"state_owned", "state_linked", "private", "unknown"}}

	// OrganisationTypes separate suppliers from financiers and state bodies
	// in the vendor catalogue.
	OrganisationTypes = Enum{"organisation type", []string{
		"company", "state_bank", "government_body", "investment_fund", "unknown",
	}}

	// InstrumentTypes classify laws and other instruments.
	InstrumentTypes = Enum{"instrument type", []string{
		"law", "regulation", "guideline", "strategy", "treaty", "policy", "code", "bill",
	}}

	// InstrumentStatuses track an instrument's life.
	InstrumentStatuses = Enum{"instrument status", []string{
		"draft", "adopted", "in_force", "partly_in_force", "suspended", "repealed", "unknown",
	}}

	// Kinds are the entity kinds that the log records.
	Kinds = Enum{"kind", []string{"jurisdiction", "vendor", "instrument", "deployment", "claim", "reply", "facts"}}

	// Ops are what a revision does to an entity.
	Ops = Enum{"op", []string{"create", "update", "retract", "redact"}}
)
