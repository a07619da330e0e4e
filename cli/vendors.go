package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"oversight/analysis"
	"oversight/registry"
)

// networkFlags are the filters and output format of vendors and trends.
type networkFlags struct {
	reg    registerFlags
	q      analysis.NetworkQuery
	format string
}

func (f *networkFlags) register(fs *flag.FlagSet) {
	f.reg.register(fs)
	fs.StringVar(&f.q.Subregion, "subregion", "", "only deployments in this subregion: "+registry.Subregions.String())
	fs.Func("jurisdiction", "only deployments in this jurisdiction, ISO alpha-2 (repeatable)", func(v string) error {
		f.q.Jurisdictions = append(f.q.Jurisdictions, strings.ToUpper(v))
		return nil
	})
	fs.Func("vendor-hq", "only deployments with a vendor, in any role, headquartered in this country, ISO alpha-2", func(v string) error {
		f.q.VendorHQ = strings.ToUpper(v)
		return nil
	})
	fs.StringVar(&f.q.Certainty, "certainty", "", "only deployments of this certainty: "+registry.Certainties.String())
	fs.StringVar(&f.q.Capability, "technology", "", "only deployments with this capability (see registry capabilities)")
	fs.IntVar(&f.q.YearFrom, "year-from", 0, "only deployments whose earliest dated event is in or after this year")
	fs.IntVar(&f.q.YearTo, "year-to", 0, "only deployments whose earliest dated event is in or before this year")
	fs.StringVar(&f.format, "format", "text", "output: text or json")
}

// run checks the flags, opens the register and calls build with it.
func (f *networkFlags) run(ctx context.Context, build func(analysis.NetworkRegister) (any, error), text func(io.Writer, any), stdout io.Writer) error {
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("--format %q: allowed: text, json", f.format)
	}
	if err := f.q.Validate(); err != nil {
		return err
	}
	db, err := f.reg.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	known := db.Known(ctx)
	for _, j := range f.q.Jurisdictions {
		if !known("jurisdiction", j) {
			return fmt.Errorf("--jurisdiction %q: not a jurisdiction of the register", j)
		}
	}
	v, err := build(db)
	if err != nil {
		return err
	}
	if f.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text(stdout, v)
	return nil
}

func vendorsCmd(fs *flag.FlagSet) runFunc {
	var f networkFlags
	f.register(fs)
	edges := fs.Int("edges", 20, "how many vendor → jurisdiction edges the text output lists")
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(args) > 0 {
			return errors.New("vendors takes no arguments")
		}
		return f.run(ctx, func(reg analysis.NetworkRegister) (any, error) {
			return analysis.BuildNetwork(ctx, reg, f.q)
		}, func(w io.Writer, v any) { writeNetwork(w, v.(*analysis.Network), *edges) }, stdout)
	}
}

func trendsCmd(fs *flag.FlagSet) runFunc {
	var f networkFlags
	f.register(fs)
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		if len(args) > 0 {
			return errors.New("trends takes no arguments")
		}
		return f.run(ctx, func(reg analysis.NetworkRegister) (any, error) {
			return analysis.Trends(ctx, reg, f.q)
		}, func(w io.Writer, v any) { writeTrends(w, v.(*analysis.TrendTable)) }, stdout)
	}
}

// queryWords are the words describeQuery says a filter with; a filter
// not named here is said with its parameter's name.
var queryWords = map[string]string{"vendor_hq": "vendor headquarters", "year_from": "from", "year_to": "to"}

// describeQuery says in words which deployments a query selects, as
// " with subregion x; certainty y", or "" for all: every filter the query
// holds (analysis.NetworkQuery.Params).
func describeQuery(q analysis.NetworkQuery) string {
	var parts []string
	for _, p := range q.Params() {
		if p.Value == "" {
			continue
		}
		name := cmp.Or(queryWords[p.Name], p.Name)
		parts = append(parts, name+" "+strings.ReplaceAll(p.Value, ",", ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return " with " + strings.Join(parts, "; ")
}

func writeNetwork(w io.Writer, n *analysis.Network, maxEdges int) {
	fmt.Fprintf(w, "Vendor network of %d deployments%s.\n", n.DeploymentsTotal, describeQuery(n.Query))
	fmt.Fprintln(w, "Shares count a deployment for a country when at least one supplier (prime, equipment, software,")
	fmt.Fprintln(w, "integrator or operator support) is headquartered there; one deployment can count for several.")
	writeShares(w, "All selected", n.Overall)
	if len(n.BySubregion) > 1 {
		for _, s := range n.BySubregion {
			writeShares(w, s.Subregion, s)
		}
	}

	fmt.Fprintf(w, "\nVendor → jurisdiction edges (%d", len(n.Edges))
	if len(n.Edges) > maxEdges {
		fmt.Fprintf(w, "; the %d with most deployments", maxEdges)
	}
	fmt.Fprintln(w, "):")
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "VENDOR\tHQ\tJURISDICTION\tDEPLOYMENTS\tROLES\tTECHNOLOGIES")
	for i, e := range n.Edges {
		if i == maxEdges {
			break
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", e.Vendor, e.Headquarters, e.Jurisdiction, e.DeploymentsTotal,
			orDash(strings.Join(e.Roles, " ")), orDash(strings.Join(e.Technologies, " ")))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nLenders and donors (%d). USD-2021 sums only the entries that give a constant-2021 amount;\n", len(n.Lenders))
	fmt.Fprintln(w, "other amounts are listed in their own currency and never added:")
	tw = tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "LENDER\tHQ\tTYPE\tJURISDICTIONS\tDEPLOYMENTS\tUSD-2021\tNO AMOUNT\tAMOUNTS AS RECORDED")
	for _, l := range n.Lenders {
		usd := "-"
		if l.USD2021Flows > 0 {
			usd = fmt.Sprintf("%s (%d)", money(l.USD2021), l.USD2021Flows)
		}
		var amounts []string
		for _, fl := range l.Flows {
			if fl.Amount != nil {
				a := fl.Currency + " " + money(*fl.Amount)
				if fl.Year != 0 {
					a += fmt.Sprintf(" (%d)", fl.Year)
				}
				amounts = append(amounts, a)
			}
		}
		if more := l.FlowsTotal - len(l.Flows); more > 0 {
			amounts = append(amounts, fmt.Sprintf("… %d more entries in --format json", more))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\n", l.Vendor, l.Headquarters, l.Type, strings.Join(l.Jurisdictions, " "),
			l.DeploymentsTotal, usd, l.UnknownAmount, orDash(strings.Join(amounts, "; ")))
	}
	tw.Flush()
	if n.UnattributedTotal > 0 {
		fmt.Fprintf(w, "\n%d financing entries name no lender; --format json lists them.\n", n.UnattributedTotal)
	}
}

func writeShares(w io.Writer, title string, s analysis.Shares) {
	fmt.Fprintf(w, "\n%s: %d deployments; %d with a supplier of known headquarters", title, s.DeploymentsTotal, s.SuppliedTotal)
	if s.AlsoUnknownHQTotal > 0 {
		fmt.Fprintf(w, " (%d of them also one of unknown headquarters)", s.AlsoUnknownHQTotal)
	}
	fmt.Fprintf(w, ",\n  %d with suppliers of unknown headquarters only, %d with vendors of unknown role only, %d with no supplier recorded.\n",
		s.UnknownHQTotal, s.UnknownRoleTotal, s.NoSupplierTotal)
	if len(s.ByHQ) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "  HQ\tOF ALL\t\tOF KNOWN HQ\t\tDEPLOYMENTS")
	for _, h := range s.ByHQ {
		ids := strings.Join(h.Deployments, " ")
		if more := h.DeploymentsTotal - len(h.Deployments); more > 0 {
			ids += fmt.Sprintf(" … %d more", more)
		}
		fmt.Fprintf(tw, "  %s\t%d/%d\t%s\t%d/%d\t%s\t%s\n", h.Country, h.N, h.Of, pct(h.Share), h.N, h.OfKnown, pct(h.ShareOfKnown), ids)
	}
	tw.Flush()
}

func writeTrends(w io.Writer, t *analysis.TrendTable) {
	fmt.Fprintf(w, "Deployments per year (earliest dated event) of %d deployments%s.\n", t.Totals.Total, describeQuery(t.Query))
	fmt.Fprintln(w, "\nBy subregion:")
	writeTrendRows(w, "SUBREGION", t.Years, append(t.BySubregion, t.Totals))
	fmt.Fprintln(w, "\nBy technology (a deployment counts once for each of its capabilities):")
	writeTrendRows(w, "TECHNOLOGY", t.Years, append(t.ByTechnology, t.Totals))
}

func writeTrendRows(w io.Writer, key string, years []string, rows []analysis.TrendRow) {
	tw := tabwriter.NewWriter(w, 0, 2, 1, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t%s\tTOTAL\t\n", key, strings.Join(years, "\t"))
	for _, r := range rows {
		fmt.Fprint(tw, r.Key, "\t")
		for _, c := range r.Cells {
			fmt.Fprint(tw, c.N, "\t")
		}
		fmt.Fprint(tw, r.Total, "\t\n")
	}
	tw.Flush()
}

func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

// money writes an amount shortly: 28.3m, 1.10bn.
func money(v float64) string {
	switch {
	case v >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 2, 64) + "bn"
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "m"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
