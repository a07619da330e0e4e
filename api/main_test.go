package api

import (
	"os"
	"testing"

	"oversight/internal/testenv"
)

// TestMain lets a request wait for its figures (testenv.PatientFigures):
// TestScenarioPages answered 503 under load.
func TestMain(m *testing.M) {
	testenv.PatientFigures()
	os.Exit(m.Run())
}
