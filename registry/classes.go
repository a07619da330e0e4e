package registry

// A deployment's fact class is what every framework reads of its facts:
// the value of each fact leaf a rule, a derived expression or an exception
// condition reads, and its jurisdiction. Deployments of one class get the
// same result from every framework on every day, so whole-register results
// that group deployments by their classification (the governance-gap index,
// scenarios) classify each class once, however many deployments share it.
// The store keeps each deployment's class with its tiers, written by the
// same projector, and counts of the deployments sharing a class and the
// other attributes those results read, so that neither reads every
// deployment.

// DeploymentClass is a deployment's class as a ClassProjector gives it.
type DeploymentClass struct {
	// Doc is the class: a fact document (JSON) holding only the leaves
	// the frameworks read, and deployment.jurisdiction. Equal classes are
	// equal bytes.
	Doc []byte
	// Scale is the deployment's scale as the index weighs it, in units of
	// ScaleUnit, from its number of cameras; -1 when the number is unknown.
	Scale int64
}

// ScaleUnit is the unit of DeploymentClass.Scale: a scale of 1 is
// ScaleUnit. Scales are kept as whole units so that sums of them are exact
// whatever order the deployments are added in.
const ScaleUnit = 1 << 40

// ClassProjector is a TierProjector that also gives deployments' classes.
// The class follows from the same inputs as the tiers, and its version is
// the TierVersion.
type ClassProjector interface {
	TierProjector
	DeploymentClass(d *Deployment, facts *FactDoc) DeploymentClass
}

// ClassCount is how many current deployments share one class and the
// attributes of the deployment itself that the index and scenarios read.
type ClassCount struct {
	Class        string // the class's digest, which ClassMembers takes
	Doc          []byte // DeploymentClass.Doc
	Jurisdiction string
	Year         int // Deployment.Year; 0 when undated
	Certainty    string
	Capabilities []string // sorted
	N            int
	// Cameras counts the deployments whose number of cameras is known,
	// and Scale sums their DeploymentClass.Scale.
	Cameras int
	Scale   int64
	// People counts the deployments whose number of people covered is
	// known, and PeopleSum sums it.
	People    int
	PeopleSum int64
}

// ClassMember is one deployment of a ClassCount, as ClassMembers lists
// them: what the class tables hold of it, so that listing the members
// reads no deployment.
type ClassMember struct {
	ID    string
	Scale int64 // DeploymentClass.Scale
}
