package registry

// A deployment's tier under a framework is a classification of its facts,
// which changes only when the deployment, its facts or the framework change,
// or on a day a rule comes into or goes out of force. The store keeps it as
// a projection, one row per interval of days, so that lists read tiers and
// filter on them by index instead of classifying every row they touch.

// FirstDay and LastDay bound the days a TierSpan covers: From is FirstDay
// for a span open to the past, Until is LastDay for one open to the future.
// Days are written YYYY-MM-DD, so they compare as strings.
const (
	FirstDay = "0001-01-01"
	LastDay  = "9999-12-31"
)

// TierSpan is a deployment's tier under one framework on the days in
// [From, Until).
type TierSpan struct {
	Framework string
	Tier      string
	From      string
	Until     string
}

// TierProjector classifies a deployment for the store's tier projection.
type TierProjector interface {
	// TierSpans returns a deployment's tier under every framework over
	// every day: for each framework, spans that cover FirstDay to LastDay
	// without gap or overlap. ok is false for a framework whose tiers
	// cannot be computed ahead (a rule reads the day itself); that
	// framework is left out of the spans.
	TierSpans(d *Deployment) []TierSpan
	// TierVersion names everything the spans depend on besides the
	// deployment (frameworks, curated facts, the derivation's code): the
	// store projects every deployment again when it changes.
	TierVersion() string
	// Projected says whether a framework's tiers are in the spans.
	Projected(framework string) bool
}

// TierFilter selects the deployments whose tier under Framework on Day
// (YYYY-MM-DD) is one of Tiers.
type TierFilter struct {
	Framework string
	Tiers     []string
	Day       string
}
