package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"oversight/analysis"
	"oversight/ingest"
)

func indexCmd(fs *flag.FlagSet) runFunc {
	var r registerFlags
	r.register(fs)
	var ff frameworkFlags
	fs.StringVar(&ff.asOf, "as-of", "", "date the index is computed at, YYYY-MM-DD (default: today)")
	weights := fs.String("weights", "", "a weights file to use instead of the built-in one (see analysis/weights.yaml)")
	format := fs.String("format", "json", "output: json (index, sensitivity, series) or csv (one row per jurisdiction)")
	validate := fs.String("validate", "", "the AIGS 2022 workbook sheet as CSV: correlate exposure with its technology count and Digital Repression Index")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if *format != "json" && *format != "csv" {
			return fmt.Errorf("--format %q: allowed: json, csv", *format)
		}
		w, err := analysis.DefaultWeights()
		if *weights != "" {
			b, rerr := os.ReadFile(*weights)
			if rerr != nil {
				return rerr
			}
			w, err = analysis.ParseWeights(*weights, b)
		}
		if err != nil {
			return err
		}
		asOf, c, _, err := ff.load()
		if err != nil {
			return err
		}
		db, err := r.open(ctx, true)
		if err != nil {
			return err
		}
		defer db.Close()
		rep, err := analysis.IndexReport(ctx, db, c, w, asOf)
		if err != nil {
			return err
		}
		if *validate != "" {
			b, err := os.ReadFile(*validate)
			if err != nil {
				return err
			}
			dri, err := ingest.DigitalRepression(*validate, b)
			if err != nil {
				return err
			}
			v := *rep // the classifier keeps rep; validate a copy
			v.Validate(dri, "Digital Repression Index 2021")
			rep = &v
		}
		if *format == "json" {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		}
		return writeIndexCSV(stdout, rep)
	}
}

func writeIndexCSV(w io.Writer, rep *analysis.Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"rank", "code", "name", "subregion", "score", "coverage", "exposure", "safeguard_gap", "context",
		"deployments", "median_rank", "rank_p5", "rank_p95", "robust", "method_version", "as_of"})
	stab := map[string]analysis.Stability{}
	for _, s := range rep.Sensitivity.Jurisdictions {
		stab[s.Code] = s
	}
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 3, 64)
	}
	for _, s := range rep.Index.Jurisdictions {
		st, ok := stab[s.Code]
		row := []string{strconv.Itoa(s.Rank), s.Code, s.Name, s.Subregion, num(s.Score), strconv.FormatFloat(s.Coverage, 'f', 3, 64),
			num(s.Components["exposure"].Value), num(s.Components["safeguards"].Value), num(s.Components["context"].Value),
			strconv.Itoa(s.DeploymentsTotal), "", "", "", "", rep.Index.Version, rep.Index.AsOf}
		if ok {
			row[10], row[11], row[12], row[13] = strconv.Itoa(st.MedianRank), strconv.Itoa(st.Low), strconv.Itoa(st.High), strconv.FormatBool(st.Robust)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
