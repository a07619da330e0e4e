package store

import (
	"fmt"
	"strconv"
	"strings"

	"oversight/registry"
)

// A table is one projection table: its columns, and the column that holds
// the id of the entity each row belongs to.
type table struct {
	name    string
	cols    []string
	owner   string // column with the entity id
	kindCol bool   // rows of several kinds share the table; its first column is kind
	delete  string // statement deleting an entity's rows ($1 = id), when not by owner
	// key is how many leading columns make the primary key, which orders
	// the table for verify; 0 orders it by rowid instead.
	key int
	// numbers are the key's columns of integers, ordered as numbers; the
	// others are text, ordered by bytes.
	numbers []string
	// rows is how many rows one INSERT carries; 0 for batchRows.
	rows int
	// ignore: a row whose key the table holds already is not inserted.
	ignore bool
}

var (
	tEntities     = &table{name: "entities", cols: []string{"kind", "id", "seq", "state"}, owner: "id", kindCol: true, key: 2}
	tSources      = &table{name: "sources", cols: []string{"kind", "entity_id", "key", "url", "title", "publisher", "published", "accessed"}, owner: "entity_id", kindCol: true, key: 3}
	tJurisdiction = &table{name: "jurisdictions", cols: []string{"code", "name", "subregion"}, owner: "code", key: 1}
	tVendors      = &table{name: "vendors", cols: []string{"id", "name", "type", "headquarters", "ownership"}, owner: "id", key: 1}
	tInstruments  = &table{name: "instruments", cols: []string{"id", "jurisdiction", "type", "status"}, owner: "id", key: 1}
	tClaims       = &table{name: "claims", cols: []string{"id", "jurisdiction", "dataset", "indicator"}, owner: "id", key: 1}
	tDeployments  = &table{name: "deployments", cols: []string{"id", "jurisdiction", "title", "status", "certainty", "year", "cameras", "lat", "lon"}, owner: "id", key: 1}
	tDepVendors   = &table{name: "deployment_vendors", cols: []string{"deployment_id", "vendor_id", "role"}, owner: "deployment_id", key: 3}
	// tDepCaps carries the deployment's jurisdiction and year (migration
	// 020), which a trend table's cells of one technology are listed by.
	tDepCaps = &table{name: "deployment_capabilities", cols: []string{"deployment_id", "capability", "jurisdiction", "year"}, owner: "deployment_id", key: 2}
	// tDepPurposes lists each deployment's purposes (migration 023), which
	// a list filtered by purpose reads from its index (purpose,
	// deployment_id).
	tDepPurposes = &table{name: "deployment_purposes", cols: []string{"deployment_id", "purpose"}, owner: "deployment_id", key: 2}
	// tDepFinancing holds each deployment's financing entries (migration
	// 017), entry being the place in its list, so that the money and the
	// vendor network read the entries rather than every deployment's state.
	tDepFinancing = &table{name: "deployment_financing", cols: []string{"deployment_id", "entry", "lender", "instrument", "amount", "currency", "year", "amount_usd_2021", "aiddata_id"},
		owner: "deployment_id", key: 2, numbers: []string{"entry"}}
	// The search index's rowid is the seq of the deployment's latest
	// revision, so a row is found by rowid instead of by scanning the
	// unindexed id column. It must be deleted before the entities row.
	//
	// Its INSERTs carry 1,024 rows: SQLite's FTS5 writes the terms it
	// holds in memory to disk as a new segment whenever a statement of
	// several rows begins (its savepoint), and merges the segments as
	// they pile up. At 64 rows a statement that was 1,500 segments, most
	// of them merged again, for 100,000 deployments; its statements were
	// a fifth of an import's CPU (docs/performance.md).
	tDepFTS = &table{name: "deployments_fts", cols: []string{"rowid", "id", "body"}, owner: "id", rows: 1024,
		delete: "DELETE FROM deployments_fts WHERE rowid = (SELECT seq FROM entities WHERE kind = 'deployment' AND id = $1)"}
	// The words of the search text (words.go), listed by word in id
	// order; verify reads them by deployment, through the index
	// (deployment_id) that deletes them. A deployment has a few dozen
	// words, and their INSERTs carry 512 rows.
	tDepWords = &table{name: "deployment_words", cols: []string{"deployment_id", "word"}, owner: "deployment_id", key: 2, rows: 512}
)

// tSearchWords holds every word deployment_words ever held, which
// search_words_fts indexes (a trigger), on the engines that read words
// through it (dialect.words). It is no projection: a word is added, never
// removed, as a word no deployment holds any longer selects none; a row
// already there is left as it is (ignore).
//
// Its INSERTs carry 1,024 rows for the reason deployments_fts's do: the
// trigger writes into an FTS5 index, which flushes its terms as a new
// segment at the start of every statement. At 64 rows that flush and its
// merges were 4% of an import's CPU (docs/performance.md, "Import speed,
// 6 Dec (last)").
var tSearchWords = &table{name: "search_words", cols: []string{"word"}, ignore: true, rows: 1024}

// tRetractions holds the tombstones of retracted entities. Its rows come
// from the retracting revisions, not from a state: see tombstone.
var tRetractions = &table{name: "retractions", cols: []string{"kind", "id", "seq", "last_seq", "retracted_at", "author", "reason", "into_id"}, owner: "id", kindCol: true, key: 2}

// The log's own tables, written through the same batched inserts.
var (
	tRevisions  = &table{name: "revisions", cols: []string{"seq", "kind", "entity_id", "op", "author", "created_at", "record"}}
	tTreeHashes = &table{name: "tree_hashes", cols: []string{"idx", "hash"}}
	// tRevisionContent holds the salt and content of format-2 revisions
	// (registry.Format2), until a redaction deletes them.
	tRevisionContent = &table{name: "revision_content", cols: []string{"seq", "salt", "content"}}
)

// allTables lists every projection table, in the order verify reports them.
var allTables = []*table{tEntities, tSources, tJurisdiction, tVendors, tInstruments, tClaims, tDeployments, tDepVendors, tDepCaps, tDepPurposes, tDepFinancing, tDepFTS, tDepWords, tDepFacts, tRetractions}

// kindTables lists the tables that hold rows of each kind.
var kindTables = map[string][]*table{
	"jurisdiction": {tEntities, tSources, tJurisdiction},
	"vendor":       {tEntities, tSources, tVendors},
	"instrument":   {tEntities, tSources, tInstruments},
	"claim":        {tEntities, tSources, tClaims},
	"deployment":   {tDepFTS, tDepWords, tEntities, tSources, tDeployments, tDepVendors, tDepCaps, tDepPurposes, tDepFinancing, tTierPending, tDepClasses}, // and tiers: deleteTiers
	// A reply is found by its id, which its deployment and organisation
	// make (registry.ReplyID).
	"reply": {tEntities, tSources},
	"facts": {tEntities, tDepFacts},
}

// A row is one row of one projection table.
type row struct {
	t    *table
	vals []any
}

// project returns the rows an entity's state puts in the tables. It is the
// one definition of the projection: writes insert these rows, and verify
// compares the tables with them.
func project(e registry.Entity, seq int64, state []byte) []row {
	return append([]row{{tEntities, []any{e.Kind(), e.Key(), seq, string(state)}}}, projectRest(e, seq)...)
}

// projectRest is project without the entities row, which holds a copy of
// the state: verify compares that row through a digest of the state
// instead, and copying a million states for nothing was a gigabyte of
// garbage.
func projectRest(e registry.Entity, seq int64) []row { return projectRows(e, seq, true) }

// projectRows is projectRest, with a deployment's rows of deployment_words
// only if words: verify digests them from the search text as one row a
// deployment (wordGroup), and a few dozen rows a deployment were most of
// its projection's garbage.
func projectRows(e registry.Entity, seq int64, words bool) []row {
	kind, id := e.Kind(), e.Key()
	var rows []row
	addSources := func(srcs []registry.Source) {
		for _, s := range srcs {
			rows = append(rows, row{tSources, []any{kind, id, s.Key, s.URL, null(s.Title), null(s.Publisher), null(s.Published.String()), null(s.Accessed.String())}})
		}
	}
	switch v := e.(type) {
	case *registry.Jurisdiction:
		rows = append(rows, row{tJurisdiction, []any{v.Code, v.Name, v.Subregion}})
		addSources(v.Sources)
	case *registry.Vendor:
		rows = append(rows, row{tVendors, []any{v.ID, v.Name, v.Type, null(v.Headquarters), v.Ownership}})
		addSources(v.Sources)
	case *registry.Instrument:
		rows = append(rows, row{tInstruments, []any{v.ID, v.Jurisdiction, v.Type, v.Status}})
		addSources(v.Sources)
	case *registry.Claim:
		rows = append(rows, row{tClaims, []any{v.ID, v.Jurisdiction, v.Dataset, v.Indicator}})
		addSources(v.Sources)
	case *registry.Reply:
		addSources(v.Sources)
	case *registry.FactDoc:
		rows = append(rows, row{tDepFacts, []any{v.ID, seq}})
	case *registry.Deployment:
		var year, cameras, lat, lon any
		if y := v.Year(); y != 0 {
			year = int64(y)
		}
		if v.Scale.Cameras != nil {
			cameras = *v.Scale.Cameras
		}
		if v.Place.Lat != nil {
			lat, lon = *v.Place.Lat, *v.Place.Lon
		}
		rows = append(rows, row{tDeployments, []any{v.ID, v.Jurisdiction, v.Title, v.Status.Value, v.Certainty, year, cameras, lat, lon}})
		for _, vr := range v.Vendors {
			rows = append(rows, row{tDepVendors, []any{v.ID, vr.Vendor, vr.Role}})
		}
		lenders := map[string]bool{}
		for _, f := range v.Financing {
			if f.Lender != "" && !hasVendor(v, f.Lender) && !lenders[f.Lender] {
				lenders[f.Lender] = true
				rows = append(rows, row{tDepVendors, []any{v.ID, f.Lender, "financier"}})
			}
		}
		for _, c := range v.System.Capabilities {
			rows = append(rows, row{tDepCaps, []any{v.ID, c, v.Jurisdiction, year}})
		}
		for _, p := range v.System.Purposes {
			rows = append(rows, row{tDepPurposes, []any{v.ID, p}})
		}
		for i, f := range v.Financing {
			rows = append(rows, row{tDepFinancing, []any{v.ID, int64(i), null(f.Lender), f.Instrument, floatOrNil(f.Amount), null(f.Currency),
				intOrNil(f.Year), floatOrNil(f.AmountUSD2021), intOrNil(f.AidDataID)}})
		}
		text := searchText(v)
		rows = append(rows, row{tDepFTS, []any{seq, v.ID, text}})
		if words {
			rows = append(rows, wordRows(v.ID, text)...)
		}
		addSources(v.Sources)
	}
	return rows
}

// hasVendor reports whether a deployment lists an organisation as a
// financier already, so that a lender is linked once.
func hasVendor(d *registry.Deployment, id string) bool {
	for _, vr := range d.Vendors {
		if vr.Vendor == id && vr.Role == "financier" {
			return true
		}
	}
	return false
}

// searchText is what full-text search matches a deployment on. The
// purposes come last, after the capabilities, so that migration 022 made
// the text of a register written before them by appending them.
func searchText(d *registry.Deployment) string {
	parts := []string{d.Title, d.Summary, d.Place.Name, d.Place.Subdivision, d.Operator.Name, d.System.Description, d.Notes}
	for _, v := range d.Vendors {
		parts = append(parts, strings.ReplaceAll(v.Vendor, "-", " "))
	}
	for _, c := range d.System.Capabilities {
		parts = append(parts, strings.ReplaceAll(c, "_", " "))
	}
	for _, p := range d.System.Purposes {
		parts = append(parts, strings.ReplaceAll(p, "_", " "))
	}
	var b strings.Builder
	for _, p := range parts {
		if p != "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(p)
		}
	}
	return b.String()
}

// null maps an empty string to SQL NULL: unknown is stored as NULL.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// floatOrNil maps an absent amount to SQL NULL.
func floatOrNil(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// intOrNil maps 0, which the registry writes for an absent year or record
// id, to SQL NULL.
func intOrNil(n int) any {
	if n == 0 {
		return nil
	}
	return int64(n)
}

// cell renders a column value the same way whichever driver returned it,
// so that verify compares values, not Go types.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "\x00"
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
