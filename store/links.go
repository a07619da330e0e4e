package store

import (
	"context"
	"database/sql"
	"strings"

	"oversight/registry"
)

// linkCondition renders a registry.Link as a condition on the deployment d
// of a statement: whether deployment_vendors, which holds the lenders its
// financing names as financiers too, links d to such an organisation. The
// organisation's headquarters are read from vendors; one the register does
// not hold has none, as analysis takes it.
func linkCondition(l registry.Link, arg func(any) string) string {
	conds := []string{"l.deployment_id = d.id"}
	if l.Vendor != "" {
		conds = append(conds, "l.vendor_id = "+arg(l.Vendor))
	}
	if len(l.Roles) > 0 {
		roles := make([]string, len(l.Roles))
		for i, r := range l.Roles {
			roles[i] = arg(r)
		}
		conds = append(conds, "l.role IN ("+strings.Join(roles, ", ")+")")
	}
	from := "deployment_vendors l"
	switch l.HQ {
	case "":
	case registry.KnownHQ:
		from += " JOIN vendors v ON v.id = l.vendor_id"
		conds = append(conds, "v.headquarters IS NOT NULL")
	case registry.UnknownHQ:
		from += " LEFT JOIN vendors v ON v.id = l.vendor_id"
		conds = append(conds, "v.headquarters IS NULL")
	default:
		from += " JOIN vendors v ON v.id = l.vendor_id"
		conds = append(conds, "v.headquarters = "+arg(l.HQ))
	}
	c := "EXISTS (SELECT 1 FROM " + from + " WHERE " + strings.Join(conds, " AND ") + ")"
	if l.Absent {
		c = "NOT " + c
	}
	return c
}

// EachFinancing calls fn for each financing entry of the deployments f
// selects (its jurisdictions, years and other filters; Match and Tier
// aside), in the order a walk over them meets the entries: by deployment
// id, then by place in the deployment's list. It reads
// deployment_financing, whose rows are as few as the entries, joined to the
// deployments they belong to; no deployment's state is decoded.
func (s *reader) EachFinancing(ctx context.Context, f registry.DeploymentFilter, fn func(registry.FinancingEntry) error) error {
	f.Match, f.Tier, f.Cursor = nil, nil, ""
	where, args, err := s.conditions(ctx, f, false)
	if err != nil {
		return err
	}
	q := withSearch(`SELECT f.deployment_id, d.jurisdiction, f.lender, f.instrument, f.amount, f.currency, f.year, f.amount_usd_2021, f.aiddata_id
FROM deployments d JOIN deployment_financing f ON f.deployment_id = d.id`, where)
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.q.QueryContext(ctx, q+" ORDER BY d.id, f.entry", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e registry.FinancingEntry
		var lender, currency sql.NullString
		var amount, usd sql.NullFloat64
		var year, aiddata sql.NullInt64
		if err := rows.Scan(&e.Deployment, &e.Jurisdiction, &lender, &e.Instrument, &amount, &currency, &year, &usd, &aiddata); err != nil {
			return err
		}
		e.Lender, e.Currency, e.Year, e.AidDataID = lender.String, currency.String, int(year.Int64), int(aiddata.Int64)
		if amount.Valid {
			e.Amount = &amount.Float64
		}
		if usd.Valid {
			e.AmountUSD2021 = &usd.Float64
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
