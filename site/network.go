package site

import (
	"bytes"
	"context"
	"encoding/csv"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"oversight/analysis"
	"oversight/ingest"
	"oversight/internal/memo"
)

// networkRows bounds the vendors the network page draws and lists: past it
// the page would outgrow a phone and 500 KB. The CSV lists every one.
const networkRows = analysis.ListMax

// vendorTable returns the vendor table of the deployments f selects,
// computed once per register state and filter (see memoize).
func (s *Site) vendorTable(ctx context.Context, rd Reader, f netFilter) (memo.Value[*analysis.VendorTable], error) {
	return memoize(s, ctx, rd, f.memoName("vendor-table"), func(ctx context.Context, rd Reader) (*analysis.VendorTable, error) {
		return analysis.BuildVendorTable(ctx, rd, f.Q)
	})
}

// network is the vendor network page: which vendors and lenders appear in
// which jurisdictions, drawn as a matrix, with the same rows as a table
// that links each vendor, country and count (to the search for its
// deployments), and as a CSV.
func (s *Site) network(w http.ResponseWriter, r *http.Request, rd Reader) error {
	ctx := r.Context()
	f, err := s.readNetFilter(r, rd)
	if err != nil {
		return err
	}
	v, err := s.vendorTable(ctx, rd, f)
	if err != nil {
		return err
	}
	t := v.Val
	form, err := s.netForm(ctx, rd, "/network", f)
	if err != nil {
		return err
	}
	rows := t.Rows[:min(len(t.Rows), networkRows)]
	palette := hqPalette(t.Rows)
	data := map[string]any{
		"Title": "Vendor network", "T": t, "Rows": rows, "Form": form, "F": f,
		"Matrix":   vendorMatrix(t, rows, palette),
		"Legend":   palette.legend(),
		"CSV":      template.URL("/network.csv" + f.with()),
		"API":      template.URL("/api/v1/network" + f.with()),
		"Trends":   template.URL("/trends" + f.with()),
		"Money":    template.URL("/money" + f.with()),
		"Search":   template.URL("/search" + f.with()),
		"Vendors":  len(t.Rows),
		"HQColour": palette.colour,
	}
	stale(w, data, v)
	s.render(w, r, http.StatusOK, "network", data)
	return nil
}

// networkCSVColumns are the columns of the network's CSV: the page's table
// in words, with the codes beside them for a program to join on.
var networkCSVColumns = []string{"vendor", "vendor_id", "headquarters", "headquarters_code", "ownership", "roles", "jurisdictions",
	"jurisdiction_codes", "deployments", "lenders", "lender_ids"}

// networkCSV is the network page's table as CSV, every row (the page shows
// the first networkRows), each cell escaped against spreadsheet formulas.
func (s *Site) networkCSV(w http.ResponseWriter, r *http.Request, rd Reader) error {
	f, err := s.readNetFilter(r, rd)
	if err != nil {
		return err
	}
	v, err := s.vendorTable(r.Context(), rd, f)
	if err != nil {
		return err
	}
	t := v.Val
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(networkCSVColumns)
	for _, row := range t.Rows {
		var where, codes, lenders, lenderIDs []string
		for i, n := range row.Cells {
			if n > 0 {
				where = append(where, countryName(t.Jurisdictions[i])+" ("+strconv.Itoa(n)+")")
				codes = append(codes, t.Jurisdictions[i])
			}
		}
		for _, l := range row.Lenders {
			lenders = append(lenders, l.Name+" ("+strconv.Itoa(l.Deployments)+")")
			lenderIDs = append(lenderIDs, l.Vendor)
		}
		hq := row.Headquarters
		if hq == analysis.UnknownValue {
			hq = ""
		}
		rec := []string{row.Name, row.Vendor, hqWords(row.Headquarters), hq, label("ownership", row.Ownership),
			rolesWords(row), strings.Join(where, "; "), strings.Join(codes, "; "), strconv.Itoa(row.DeploymentsTotal),
			strings.Join(lenders, "; "), strings.Join(lenderIDs, "; ")}
		for i := range rec {
			rec[i] = ingest.EscapeCell(rec[i])
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="vendor-network.csv"`)
	if v.Stale {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.Write(b.Bytes())
	return nil
}

// hqWords names a headquarters country, or says it is unknown.
func hqWords(code string) string {
	if code == analysis.UnknownValue || code == "" {
		return "unknown"
	}
	return countryName(code)
}

// rolesWords says what a vendor did in the row's deployments: its roles,
// and "lender" where a financing entry names it but no role says so.
func rolesWords(row analysis.VendorRow) string {
	words := make([]string, 0, len(row.Roles)+1)
	for _, r := range row.Roles {
		words = append(words, label("vendor role", r))
	}
	if row.Lends && !slices.ContainsFunc(row.Roles, func(r string) bool { return slices.Contains(analysis.LenderRoles, r) }) {
		words = append(words, "lender")
	}
	return strings.Join(words, ", ")
}
