package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"oversight/internal/testenv"
)

// TestIndexCommand runs the index on the built-in register: every
// jurisdiction appears, a user's weights change it, bad weights are
// refused naming the field, and the validation reads the AIGS workbook.
func TestIndexCommand(t *testing.T) {
	t.Parallel()
	data := builtinData(t)
	out := mustRun(t, "index", "--data", data, "--format", "csv", "--as-of", "2026-11-24")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 39 || rows[0][0] != "rank" || rows[1][0] != "1" {
		t.Fatalf("%d rows; first %v %v", len(rows), rows[0], rows[1])
	}

	weights, err := os.ReadFile("../../analysis/weights.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(t.TempDir(), "w.yaml")
	os.WriteFile(mine, []byte(strings.Replace(string(weights), "  context: 0.2", "  context: 0.0", 1)), 0o644)
	if other := mustRun(t, "index", "--data", data, "--format", "csv", "--as-of", "2026-11-24", "--weights", mine); other == out {
		t.Error("weights without context gave the same index")
	}
	os.WriteFile(mine, []byte(strings.Replace(string(weights), "  context: 0.2", "  context: 2", 1)), 0o644)
	if _, errs, err := run(t, "index", "--data", data, "--weights", mine); err == nil || !strings.Contains(errs, "components.context: 2 is outside 0 to 1") {
		t.Errorf("bad weights: %v %s", err, errs)
	}

	t.Run("validation against the AIGS sheet", func(t *testing.T) {
		b := mustRun(t, "index", "--data", data, "--validate", testenv.Shared(t, "data/aigs-2022/aigs_2022_sheet1.csv"))
		var rep struct {
			Validation []struct {
				Measure string
				N       int
				Pearson *float64
			}
		}
		if err := json.Unmarshal([]byte(b), &rep); err != nil {
			t.Fatal(err)
		}
		// Exposure and the deployments part against AIGS and the DRI, then
		// the ranked scores against both.
		if len(rep.Validation) != 6 || rep.Validation[0].N != 27 || rep.Validation[2].N != 27 || rep.Validation[0].Pearson == nil || rep.Validation[4].Pearson == nil {
			t.Errorf("validation: %+v", rep.Validation)
		}
	})
}
