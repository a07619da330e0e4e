package data

import "testing"

// TestBuiltinValid loads the built-in register: every file parses, every
// record validates and every reference resolves.
func TestBuiltinValid(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d jurisdictions, %d vendors, %d instruments, %d deployments, %d claims",
		len(set.Jurisdictions), len(set.Vendors), len(set.Instruments), len(set.Deployments), len(set.Claims))
}
