package api

import (
	"os"
	"testing"
	"time"

	"oversight/internal/memo"
)

// TestMain lets a request wait for the figures it needs. A request whose
// whole-register figures take longer than memo.MaxWait answers 503 "being
// computed" by design (memo's own tests check that); these tests judge the
// answers themselves, and on a 2-core machine under load the scenario of
// TestScenarioPages (250 deployments) took longer than the 2 s a server
// waits and answered 503, as web's and site's tests found before.
func TestMain(m *testing.M) {
	memo.MaxWait = time.Minute
	os.Exit(m.Run())
}
