package export

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"oversight/ingest"
	"oversight/registry"
)

// tableColumns are the columns of the table export: a flat CSV for a
// spreadsheet, one column per common field, lists joined with "; ". Import
// does not read it; the csv export is the lossless one. A row imported from
// a published dataset names it and its row (origin) and carries the credit
// and licence it was imported under (origin_credit).
var tableColumns = []string{"id", "title", "jurisdiction", "place", "operator", "operator_kind", "status", "certainty", "year",
	"capabilities", "purposes", "vendors", "vendor_roles", "lenders", "instruments", "amounts", "currencies", "amount_years",
	"amount_usd_2021", "sources", "origin", "origin_credit"}

// writeTable writes the table export: one row per deployment, every cell
// escaped against spreadsheet formulas. Amounts are never added across
// currencies: each financing entry is one item of the amount, currency and
// year lists, in the same order; amount_usd_2021 sums the entries that give
// it.
func writeTable(ctx context.Context, w io.Writer, r Register, f registry.DeploymentFilter, tiers Tiers) error {
	cw := csv.NewWriter(w)
	header := tableColumns
	if tiers != nil {
		header = append(append(append([]string{}, header...), prefixed(tiers.FrameworkIDs())...), ingest.LaterColumn)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := r.EachDeployment(ctx, f, func(d *registry.Deployment) error {
		var vendors, roles, lenders, instruments, amounts, currencies, years, urls []string
		for _, v := range d.Vendors {
			vendors, roles = append(vendors, v.Vendor), append(roles, v.Role)
		}
		usd, usdN := 0.0, 0
		for _, fin := range d.Financing {
			lenders, instruments = append(lenders, fin.Lender), append(instruments, fin.Instrument)
			amount := ""
			if fin.Amount != nil {
				amount = strconv.FormatFloat(*fin.Amount, 'f', -1, 64)
			}
			year := ""
			if fin.Year != 0 {
				year = strconv.Itoa(fin.Year)
			}
			amounts, currencies, years = append(amounts, amount), append(currencies, fin.Currency), append(years, year)
			if fin.AmountUSD2021 != nil {
				usd += *fin.AmountUSD2021
				usdN++
			}
		}
		for _, s := range d.Sources {
			urls = append(urls, s.URL)
		}
		year, usdCell := "", ""
		if y := d.Year(); y != 0 {
			year = strconv.Itoa(y)
		}
		if usdN > 0 {
			usdCell = strconv.FormatFloat(usd, 'f', 0, 64)
		}
		origin, credit := "", ""
		if o := d.Origin; o != nil {
			origin = o.Dataset + " row " + o.Row
			credit = o.Attribution + " Licence: " + o.Licence + " (" + o.LicenceURL + ")."
		}
		j := func(xs []string) string { return strings.Join(xs, "; ") }
		rec := []string{d.ID, d.Title, d.Jurisdiction, d.Place.Name, d.Operator.Name, d.Operator.Kind, d.Status.Value, d.Certainty, year,
			j(d.System.Capabilities), j(d.System.Purposes), j(vendors), j(roles), j(lenders), j(instruments), j(amounts), j(currencies), j(years),
			usdCell, j(urls), origin, credit}
		if tiers != nil {
			of, later, err := tiers.Of(d)
			if err != nil {
				return err
			}
			rec = append(append(rec, of...), laterCell(tiers.FrameworkIDs(), later))
		}
		for i := range rec {
			rec[i] = ingest.EscapeCell(rec[i])
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func prefixed(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = ingest.TierColumnPrefix + id
	}
	return out
}
