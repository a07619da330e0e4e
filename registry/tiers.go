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
	// TierSpans returns a deployment's tier under every projected
	// framework on the days the framework is in force: for each, spans
	// that cover its TierBounds From to Until without gap or overlap.
	// facts is the deployment's current fact document in the register,
	// nil when it has none.
	TierSpans(d *Deployment, facts *FactDoc) []TierSpan
	// TierVersion names everything the spans depend on besides the
	// deployment and its facts (frameworks, the derivation's code): the
	// store projects every deployment again when it changes.
	TierVersion() string
	// TierBounds gives the days a framework is in force, outside which
	// every deployment has the same tier and no span is stored; ok is
	// false for a framework whose tiers cannot be computed ahead (a rule
	// reads the day itself), which is left out of the spans.
	TierBounds(framework string) (b TierBounds, ok bool)
	// TierChanges lists, in order, the days strictly within a framework's
	// TierBounds on which its tiers may change: each span begins on From
	// or one of them, and ends on one of them or Until. A store looks a
	// deployment's span on a day up by these keys.
	TierChanges(framework string) []string
	// TierFrameworks lists the projected frameworks, and TierNames every
	// tier a span may hold.
	TierFrameworks() []string
	TierNames() []string
}

// TierBounds are the days [From, Until) a framework is in force, and the
// tier of every deployment outside them.
type TierBounds struct {
	From, Until string
	Outside     string
}

// TierFilter selects the deployments whose tier under Framework on Day
// (YYYY-MM-DD) is one of Tiers.
type TierFilter struct {
	Framework string
	Tiers     []string
	Day       string
}
