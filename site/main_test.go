package site

import (
	"os"
	"testing"

	"oversight/internal/testenv"
)

// TestMain lets a request wait for its figures (testenv.PatientFigures):
// TestPagesNameRecords failed on main with 503 at load 40.
func TestMain(m *testing.M) {
	testenv.PatientFigures()
	os.Exit(m.Run())
}
