package ingest_test

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkReaderClassification measures reading past an export's
// classification: the tiers of 20,000 deployments under 30 frameworks,
// as `oversight export` writes them, around one deployment and one
// vendor. It reports the time a deployment's tiers take.
func BenchmarkReaderClassification(b *testing.B) {
	const n = 20000
	var doc strings.Builder
	doc.WriteString(`{"deployments": [{"id": "a"}], "classification": {"as_of": "2026-12-06", "frameworks": [`)
	for f := range 30 {
		if f > 0 {
			doc.WriteString(",")
		}
		fmt.Fprintf(&doc, `"framework-%02d"`, f)
	}
	doc.WriteString(`], "tiers": {`)
	for i := range n {
		if i > 0 {
			doc.WriteString(",")
		}
		fmt.Fprintf(&doc, `"synthetic-%08d": {`, i)
		for f := range 30 {
			if f > 0 {
				doc.WriteString(",")
			}
			fmt.Fprintf(&doc, `"framework-%02d": "prohibited_unless_conditions_met"`, f)
		}
		doc.WriteString("}")
	}
	doc.WriteString(`}}, "vendors": [{"id": "v"}]}`)
	name := writeFile(b, "export.json", []byte(doc.String()))
	for b.Loop() {
		got, _, err := readAll([]string{name}, "")
		if err != nil || len(got) != 2 {
			b.Fatal(len(got), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/deployment")
}
