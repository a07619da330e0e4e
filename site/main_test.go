package site

import (
	"os"
	"testing"
	"time"

	"oversight/internal/memo"
)

// TestMain lets a request wait for the figures it needs. A page whose
// whole-register figures take longer than memo.MaxWait answers 503 "being
// computed" by design (memo's own tests check that); these tests judge the
// pages themselves, and on a 2-core machine under load 40 the figures of
// /countries/PK took longer than the 2 s a server waits (TestPagesNameRecords
// failed on main with 503), as web's browser tests found before.
func TestMain(m *testing.M) {
	memo.MaxWait = time.Minute
	os.Exit(m.Run())
}
