package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"oversight/registry"
)

// tCounts counts the current deployments by the attributes that trends,
// the vendor network and search counts group and filter by (migrations
// 013, 015 and 024). It is a projection of the log like the others, but of all the
// deployments together rather than of each: a write changes it by delta,
// -1 for the old state of each deployment it replaces or retracts and +1
// for each new one, and a row whose count falls to 0 is deleted.
var tCounts = &table{name: "deployment_counts", cols: []string{"jurisdiction", "year", "status", "certainty", "capabilities", "vendors", "lenders", "purposes", "n"}, key: 8}

// A countKey is one row's key in deployment_counts. Capabilities, vendors,
// lenders and purposes are lists kept as text: sorted, joined by spaces,
// each vendor as vendor:role, each lender as its id, or id:linked where no
// vendor role names it as financier (project links it as one). Slugs and
// vocabulary values hold neither character.
type countKey struct {
	jurisdiction string
	year         int64 // 0: undated
	status       string
	certainty    string
	capabilities string
	vendors      string
	lenders      string
	purposes     string
}

// countKeyOf returns the key of a deployment e whose projected rows are
// rows (project), and false for an entity of another kind. It reads the
// rows rather than the deployment where it can, so that the counts say
// exactly what the deployments, deployment_capabilities,
// deployment_vendors and deployment_purposes tables say, which is how
// migrations 013 and 024 compute them for an existing register; the lenders, which no table holds apart from
// other financiers, come from the deployment (lendersOf).
func countKeyOf(e registry.Entity, rows []row) (countKey, bool) {
	d, ok := e.(*registry.Deployment)
	if !ok {
		return countKey{}, false
	}
	var k countKey
	found := false
	var caps, vendors, purposes []string
	for _, r := range rows {
		switch r.t {
		case tDeployments:
			found = true
			k.jurisdiction, k.status, k.certainty = r.vals[1].(string), r.vals[3].(string), r.vals[4].(string)
			if y, ok := r.vals[5].(int64); ok {
				k.year = y
			}
		case tDepCaps:
			caps = append(caps, r.vals[1].(string))
		case tDepVendors:
			vendors = append(vendors, r.vals[1].(string)+":"+r.vals[2].(string))
		case tDepPurposes:
			purposes = append(purposes, r.vals[1].(string))
		}
	}
	slices.Sort(caps)
	slices.Sort(vendors)
	slices.Sort(purposes)
	k.capabilities, k.vendors, k.lenders = strings.Join(caps, " "), strings.Join(vendors, " "), lendersOf(d)
	k.purposes = strings.Join(purposes, " ")
	return k, found
}

// lendersOf returns the lenders column of a deployment: each lender its
// financing names, once, sorted, as migration 015 computes it from the
// state.
func lendersOf(d *registry.Deployment) string {
	var ls []string
	for _, f := range d.Financing {
		if f.Lender == "" {
			continue
		}
		l := f.Lender
		if !hasVendor(d, l) {
			l += ":linked"
		}
		if !slices.Contains(ls, l) {
			ls = append(ls, l)
		}
	}
	slices.Sort(ls)
	return strings.Join(ls, " ")
}

// countRows records that the deployment projected to rows enters (delta
// +1) or leaves (-1) the register in this transaction. The deltas are
// summed in memory and written by flush: an import of many deployments
// alike writes a few rows, not one statement a deployment.
func (w *txWriter) countRows(e registry.Entity, rows []row, delta int) {
	k, ok := countKeyOf(e, rows)
	if !ok {
		return
	}
	if w.counts == nil {
		w.counts = map[countKey]int{}
	}
	w.counts[k] += delta
}

// uncount records that a deployment the register holds leaves it: its
// current state, read before its rows are deleted, counts -1.
func (w *txWriter) uncount(id string) error {
	var state []byte
	if err := w.queryRow("SELECT state FROM entities WHERE kind = 'deployment' AND id = $1", id).Scan(&state); err != nil {
		return fmt.Errorf("deployment %s: read its state to count it out: %w", id, err)
	}
	e, err := registry.Decode("deployment", state)
	if err != nil {
		return fmt.Errorf("deployment %s: %w", id, err)
	}
	w.countRows(e, projectRest(e, 0), -1)
	return nil
}

// writeCounts adds the summed deltas to deployment_counts and deletes the
// rows they bring to 0. It runs after every insert of the transaction.
func (w *txWriter) writeCounts() error {
	for _, k := range sortedKeys(w.counts) {
		delta := w.counts[k]
		if delta == 0 {
			continue
		}
		err := w.exec(`INSERT INTO deployment_counts (jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes, n)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes) DO UPDATE SET n = deployment_counts.n + excluded.n`,
			k.jurisdiction, k.year, k.status, k.certainty, k.capabilities, k.vendors, k.lenders, k.purposes, delta)
		if err != nil {
			return fmt.Errorf("deployment_counts: %w", err)
		}
		if delta < 0 {
			err := w.exec(`DELETE FROM deployment_counts WHERE jurisdiction = $1 AND year = $2 AND status = $3 AND certainty = $4
AND capabilities = $5 AND vendors = $6 AND lenders = $7 AND purposes = $8 AND n = 0`, k.jurisdiction, k.year, k.status, k.certainty, k.capabilities, k.vendors, k.lenders, k.purposes)
			if err != nil {
				return fmt.Errorf("deployment_counts: %w", err)
			}
		}
	}
	clear(w.counts)
	return nil
}

// sortedKeys returns the keys of m in a fixed order, so that concurrent
// writers on PostgreSQL take the rows' locks in the same order.
func sortedKeys(m map[countKey]int) []countKey {
	keys := make([]countKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b countKey) int { return strings.Compare(a.text(), b.text()) })
	return keys
}

// text renders a key as one comparable string, as verify reports it.
func (k countKey) text() string {
	return fmt.Sprintf("%s %d %s %s [%s] [%s] [%s] [%s]", k.jurisdiction, k.year, k.status, k.certainty, k.capabilities, k.vendors, k.lenders, k.purposes)
}

// DeploymentCounts returns every row of deployment_counts: how many current
// deployments share each combination of jurisdiction, year, status,
// certainty, capabilities, vendors, lenders and purposes. The table has a
// row per combination the register holds, not per deployment.
func (s *reader) DeploymentCounts(ctx context.Context) ([]registry.DeploymentCount, error) {
	rows, err := s.q.QueryContext(ctx, "SELECT jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes, n FROM deployment_counts")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []registry.DeploymentCount
	for rows.Next() {
		var c registry.DeploymentCount
		var caps, vendors, lenders, purposes string
		if err := rows.Scan(&c.Jurisdiction, &c.Year, &c.Status, &c.Certainty, &caps, &vendors, &lenders, &purposes, &c.N); err != nil {
			return nil, err
		}
		c.Capabilities, c.Purposes = strings.Fields(caps), strings.Fields(purposes)
		for _, v := range strings.Fields(vendors) {
			id, role, _ := strings.Cut(v, ":")
			c.Vendors = append(c.Vendors, registry.VendorRole{Vendor: id, Role: role})
		}
		for _, l := range strings.Fields(lenders) {
			id, linked := strings.CutSuffix(l, ":linked")
			c.Lenders = append(c.Lenders, registry.CountLender{Vendor: id, Linked: linked})
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// maxParts is how many parts a statement of FirstDeployments holds at most
// where its cells are read a year at a time: SQLite allows 500 terms in a
// compound SELECT (SQLITE_MAX_COMPOUND_SELECT); the register's 38
// jurisdictions over eight years are 304.
const maxParts = 400

// FirstDeployments returns the ids of the first limit deployments in id
// order that f selects (its jurisdictions, Match and Tier aside) within
// any of the cells: the examples behind one count of a whole-register
// table, which cannot be summed. Each cell is read in id order, up to its
// own limit: from the index (jurisdiction, year, id) of migration 013,
// which carries status and certainty since 025 so that a filter of either
// is tested there rather than in each deployment's row, or,
// for a cell of one year and one capability, from the index (jurisdiction,
// year, capability, deployment_id) of migration 020. The cells
// are merged in one statement, so that only the ids returned leave the
// database.
func (s *reader) FirstDeployments(ctx context.Context, f registry.DeploymentFilter, cells []registry.Cell, limit int) ([]string, error) {
	if len(cells) == 0 || limit <= 0 {
		return nil, nil
	}
	st, err := s.firstStatement(ctx, f, cells, limit)
	if err != nil {
		return nil, err
	}
	return queryStrings(ctx, s.q, st.SQL, st.Args...)
}

// firstStatement is the statement FirstDeployments runs, for cells and a
// limit that are not empty.
func (s *reader) firstStatement(ctx context.Context, f registry.DeploymentFilter, cells []registry.Cell, limit int) (Statement, error) {
	// The filter's technology is tested here, as a cell's is: a cell of
	// that technology, or of none, is then read from the technology's
	// index, where a test of each deployment of the cell's year read
	// most of a trend table of a common technology at 1M (1.9 s of the
	// server's CPU, docs/performance.md, "Every route at 1M").
	capability := f.Capability
	f.Match, f.Tier, f.Cursor, f.Jurisdictions, f.Capability = nil, nil, "", nil, ""
	where, args, err := s.conditions(ctx, f, false)
	if err != nil {
		return Statement{}, err
	}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var parts []string
	part := func(c registry.Cell) string {
		w := slices.Clip(where)
		if capability != "" && c.Capability == "" && !c.NoCapability {
			c.Capability = capability
		} else if capability != "" && c.Capability != capability {
			w = append(w, "EXISTS (SELECT 1 FROM deployment_capabilities l WHERE l.deployment_id = d.id AND l.capability = "+arg(capability)+")")
		}
		from, id, alias := "deployments d", "d.id", "d"
		byCapability := c.Capability != "" && !c.AnyYear && len(registry.SearchWords(f.Q)) == 0
		if byCapability {
			from, id, alias = "deployment_capabilities c", "c.deployment_id", "c"
			if len(w) > 0 || len(c.Links) > 0 {
				from += " JOIN deployments d ON d.id = c.deployment_id"
			}
		}
		w = append(w, alias+".jurisdiction = "+arg(c.Jurisdiction))
		switch {
		case c.AnyYear:
		case c.Year == 0:
			w = append(w, alias+".year IS NULL")
		default:
			w = append(w, alias+".year = "+arg(c.Year))
		}
		for _, l := range c.Links {
			w = append(w, linkCondition(l, arg))
		}
		switch {
		case byCapability:
			w = append(w, "c.capability = "+arg(c.Capability))
		case c.Capability != "":
			w = append(w, "EXISTS (SELECT 1 FROM deployment_capabilities c WHERE c.deployment_id = d.id AND c.capability = "+arg(c.Capability)+")")
		}
		if c.NoCapability {
			w = append(w, "NOT EXISTS (SELECT 1 FROM deployment_capabilities c WHERE c.deployment_id = d.id)")
		}
		if c.Limit >= limit {
			// Merged as it is read: SQLite walks the part in id order
			// beside the others and stops where the list ends. Cut at
			// its limit in a subquery, it read its hundred whatever the
			// list took of it, and sorted them: a trend table of a
			// technology at 100k read some 3,500 rows a cell to list 100
			// (docs/performance.md, "Parts merged as they are read").
			return withSearch(fmt.Sprintf("SELECT %s AS id FROM %s WHERE %s", id, from, strings.Join(w, " AND ")), w)
		}
		// Fewer than the list: cut at its limit, so that a part that
		// tests its rows stops at its last match rather than read its
		// range to the end while the list waits for another.
		return withSearch(fmt.Sprintf("SELECT id FROM (SELECT %[1]s AS id FROM %[2]s WHERE %[3]s ORDER BY %[1]s LIMIT %[4]d) p%[5]d", id, from, strings.Join(w, " AND "), max(c.Limit, 0), len(parts)), w)
	}
	// A cell of every year under a filter of a few years is read as one
	// part a year, each in id order from the index (jurisdiction, year,
	// id) and merged with the others as it is read: as one part, SQLite
	// read every deployment of the jurisdiction in those years and sorted
	// them to keep a hundred (the network of South-East Asia in 2014-2020
	// at 1M: 3.5 s of the server's CPU; docs/performance.md, "Every route
	// at 1M"). Each part holds the cell's deployments of its year, so
	// together they hold the cell's first. A cell cut short of the list's
	// length holds no more than it reads: its parts would read as much,
	// each a statement's part more.
	years := fewYears(f.YearFrom, f.YearTo)
	if len(cells)*len(years) > maxParts {
		years = nil
	}
	for _, c := range cells {
		if !c.AnyYear || years == nil || c.Limit < limit {
			parts = append(parts, part(c))
			continue
		}
		for _, y := range years {
			c.AnyYear, c.Year = false, y
			parts = append(parts, part(c))
		}
	}
	q := strings.Join(parts, " UNION ALL ") + fmt.Sprintf(" ORDER BY id LIMIT %d", limit)
	return Statement{SQL: q, Args: args}, nil
}
