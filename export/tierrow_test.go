package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
)

// TestRowWriter: a row of tiers is written as encoding/json writes the map
// of framework and tier, byte for byte, whatever the frameworks' order
// and whatever their names and tiers hold (escapes, HTML, non-ASCII).
func TestRowWriter(t *testing.T) {
	fws := []string{"eu-ai-act", "apac-baseline", "<b>&</b>", "zz", "a\"b\\c", "ä-law", "\u2028x", "a"}
	for _, tiers := range [][]string{
		{"prohibited", "high_risk", "minimal_risk", "", "not_applicable", "indeterminate", "regulated", "x"},
		{"<script>", "\x01\t\n", "é", "\u2029", "a&b", "\"q\"", "\\", "\xff"},
	} {
		want := map[string]string{}
		for i, fw := range fws {
			want[fw] = tiers[i]
		}
		wantJSON, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		r := newRowWriter(fws)
		for range 2 { // a second row of the same tiers reads them quoted once
			b.Reset()
			r.write(w, tiers)
			w.Flush()
			if !bytes.Equal(b.Bytes(), wantJSON) {
				t.Errorf("row %q:\n got %s\nwant %s", tiers, b.Bytes(), wantJSON)
			}
		}
	}
}
