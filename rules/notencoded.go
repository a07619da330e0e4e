package rules

import (
	_ "embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

// NotEncoded says why a framework holds a binding law but no rules: the
// register knows the law exists and binds its jurisdiction, but could not
// read the provisions that would decide a tier. Such a framework is
// evaluated as NotEncodedApplicability with no tier, so that a law the
// register has not read is never shown as asking nothing.
type NotEncoded struct {
	Reasons     []string `yaml:"reasons" json:"reasons"`         // see NotEncodedReasons
	Explanation string   `yaml:"explanation" json:"explanation"` // what was read, and what could not be
	Searched    string   `yaml:"searched" json:"searched"`       // the day its text was last searched for
	Sources     []string `yaml:"sources" json:"sources"`         // ids of the framework's sources that show it
}

// NotEncodedApplicability is the applicability of every result of a
// framework that is not encoded: the law may bind the deployment, but the
// register cannot say what it asks.
const NotEncodedApplicability = "not_encoded"

// Encoded reports whether the framework has rules to classify with.
func (fw *Framework) Encoded() bool { return fw.NotEncoded == nil }

//go:embed notencoded.yaml
var notEncodedFile []byte

// NotEncodedReason is one reason a law is not encoded, from notencoded.yaml.
type NotEncodedReason struct {
	ID      string `yaml:"id" json:"id"`
	Meaning string `yaml:"meaning" json:"meaning"`
}

var notEncodedReasons = sync.OnceValue(func() []NotEncodedReason {
	var v struct {
		Reasons []NotEncodedReason `yaml:"reasons"`
	}
	if err := yaml.UnmarshalWithOptions(notEncodedFile, &v, yaml.Strict()); err != nil {
		panic("rules: notencoded.yaml: " + err.Error())
	}
	return v.Reasons
})

// NotEncodedReasons lists the reasons a law may be left unencoded, in the
// order notencoded.yaml gives them.
func NotEncodedReasons() []NotEncodedReason { return notEncodedReasons() }

func notEncodedReasonIDs() []string {
	var ids []string
	for _, r := range NotEncodedReasons() {
		ids = append(ids, r.ID)
	}
	return ids
}

// notEncodedResult is the result of every document under a framework that
// is not encoded: no tier, no rules, and the explanation as its note.
func (fw *Framework) notEncodedResult() Result {
	return Result{Framework: fw.ID, Applicability: NotEncodedApplicability,
		Rules: []RuleResult{}, Conditions: []ConditionResult{}, Obligations: []ObligationResult{}, Missing: []string{},
		Note: "not encoded: " + fw.NotEncoded.Explanation}
}

// checkNotEncoded holds a framework that is not encoded to its contract:
// it names a law that binds somewhere, says why with reasons from the
// vocabulary and sources of its own, and has nothing that could classify
// (no rules file, tests, constants, derived expressions or default tier).
func (l *loader) checkNotEncoded(fsys fs.FS) {
	fw, ne := l.fw, l.fw.NotEncoded
	if len(fw.Binds) == 0 {
		l.metaErr("binds", "a framework that is not encoded names the jurisdictions its law binds")
	}
	if fw.DefaultTier != "" {
		l.metaErr("default_tier", "a framework that is not encoded has no default tier: it gives none")
	}
	if len(fw.Consts) > 0 || len(fw.Derived) > 0 {
		l.metaErr("not_encoded", "a framework that is not encoded has no consts or derived expressions")
	}
	if len(ne.Reasons) == 0 {
		l.metaErr("not_encoded.reasons", "not_encoded needs at least one reason (allowed: %s)", strings.Join(notEncodedReasonIDs(), ", "))
	}
	for i, r := range ne.Reasons {
		if !contains(notEncodedReasonIDs(), r) {
			l.metaErr(fmt.Sprintf("not_encoded.reasons[%d]", i), "reason %q is not allowed (allowed: %s)", r, strings.Join(notEncodedReasonIDs(), ", "))
		}
	}
	if strings.TrimSpace(ne.Explanation) == "" {
		l.metaErr("not_encoded", "not_encoded needs an explanation: what was read, and what could not be")
	}
	if ne.Searched == "" {
		l.metaErr("not_encoded", "not_encoded needs searched: the day its text was last searched for")
	}
	l.checkDate(l.meta, l.metaName, "not_encoded.searched", ne.Searched)
	if len(ne.Sources) == 0 {
		l.metaErr("not_encoded", "not_encoded needs sources: the framework's sources that show the law and what was read")
	}
	for i, id := range ne.Sources {
		if !contains(sourceIDs(fw), id) {
			l.metaErr(fmt.Sprintf("not_encoded.sources[%d]", i), "source %q is not among the framework's sources", id)
		}
	}
	for _, name := range []string{"rules.yaml", "tests"} {
		if _, err := fs.Stat(fsys, path.Join(fw.dir, name)); err == nil {
			l.metaErr("not_encoded", "a framework that is not encoded has no %s: encode the law, then drop not_encoded", name)
		}
	}
}

func sourceIDs(fw *Framework) []string {
	ids := make([]string, len(fw.Sources))
	for i, s := range fw.Sources {
		ids[i] = s.ID
	}
	return ids
}
