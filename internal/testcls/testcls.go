// Package testcls gives tests a classifier over the built-in frameworks.
// It is apart from internal/testreg so that analysis's own tests can open
// registers with testreg without importing analysis.
package testcls

import (
	"sync"
	"testing"

	"oversight/analysis"
	"oversight/data"
	"oversight/frameworks"
	"oversight/registry"
	"oversight/rules"
)

// builtin loads the built-in frameworks once per test binary: compiling
// their rules takes about 0.3 s, and a framework is only read once loaded.
var builtin = sync.OnceValues(frameworks.Load)

// New returns a classifier over the built-in frameworks, with curated fact
// documents keyed by deployment id.
func New(t testing.TB, facts map[string]*rules.Facts) *analysis.Classifier {
	t.Helper()
	fws, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	cls, err := analysis.NewClassifier(fws, facts)
	if err != nil {
		t.Fatal(err)
	}
	return cls
}

// Builtin returns the built-in dataset and its curated fact documents,
// read anew for each caller, which may change them.
func Builtin(t testing.TB) (*registry.Set, map[string]*rules.Facts) {
	t.Helper()
	set, err := data.Load()
	if err != nil {
		t.Fatal(err)
	}
	facts, err := data.Facts()
	if err != nil {
		t.Fatal(err)
	}
	return set, facts
}
