package frameworks

import "testing"

// TestGolden runs every framework's golden cases and requires that each
// rule is exercised by at least one of them.
func TestGolden(t *testing.T) {
	fws, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(fws) == 0 {
		t.Fatal("no frameworks")
	}
	for _, fw := range fws {
		t.Run(fw.ID, func(t *testing.T) {
			rep, err := fw.Test(FS())
			if err != nil {
				t.Fatal(err)
			}
			if !fw.Encoded() {
				// The loader refuses rules and tests beside not_encoded;
				// what is left to check is that it says why, with sources.
				if rep.Cases != 0 || len(fw.Rules) != 0 || len(fw.NotEncoded.Sources) == 0 {
					t.Fatalf("not encoded, yet %d cases, %d rules, %d sources for why", rep.Cases, len(fw.Rules), len(fw.NotEncoded.Sources))
				}
				return
			}
			if rep.Cases == 0 {
				t.Fatal("no golden cases")
			}
			for _, f := range rep.Failures {
				t.Error(f)
			}
			for _, id := range rep.Untested {
				t.Errorf("rule %s: no golden case fires it", id)
			}
			t.Logf("%d cases", rep.Cases)
		})
	}
}
