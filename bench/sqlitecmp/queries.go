package main

import "strings"

// from is the start of every hand-written statement: the current state of
// each deployment, by its projected row.
const from = "SELECT e.state FROM deployments d JOIN entities e ON e.kind = 'deployment' AND e.id = d.id WHERE "

// Statements that two queries share, the first page and the next.
const (
	jurTechYears = from + "d.jurisdiction = 'IN' AND d.year BETWEEN 2015 AND 2020 AND EXISTS (SELECT 1 FROM deployment_capabilities c WHERE c.deployment_id = d.id AND c.capability = 'cctv') /*cursor*/ ORDER BY d.id LIMIT 50"
	vendor       = from + "d.id IN (SELECT deployment_id FROM deployment_vendors WHERE vendor_id = 'huawei') /*cursor*/ ORDER BY d.id LIMIT 50"
	text         = from + "d.id IN (SELECT id FROM deployments_fts WHERE deployments_fts MATCH '\"border\"*') /*cursor*/ ORDER BY d.id LIMIT 50"
)

// queries are distinct filtered pages, with the statement a person would
// write in SQLite for each; /*cursor*/ is where a page after the first
// gives the last id of the one before. The values are those of the
// synthetic register (oversight gen): common and rare, as bench/qplans
// picks them at 100k.
var queries = []query{
	{"plain list", "", "SELECT e.state FROM entities e WHERE e.kind = 'deployment' /*cursor*/ ORDER BY e.id LIMIT 50", false},
	{"one jurisdiction", "jurisdiction=IN", from + "d.jurisdiction = 'IN' /*cursor*/ ORDER BY d.id LIMIT 50", false},
	{"three jurisdictions", "jurisdiction=PK,IN,MM", from + "d.jurisdiction IN ('PK', 'IN', 'MM') /*cursor*/ ORDER BY d.id LIMIT 50", false},
	{"jurisdiction + technology + years", "jurisdiction=IN&technology=cctv&year_from=2015&year_to=2020", jurTechYears, false},
	{"the same, page 2", "jurisdiction=IN&technology=cctv&year_from=2015&year_to=2020", jurTechYears, true},
	{"subregion + rare technology", "subregion=oceania&technology=place_based_predictive_policing",
		from + "d.jurisdiction IN (SELECT code FROM jurisdictions WHERE subregion = 'oceania') AND d.id IN (SELECT deployment_id FROM deployment_capabilities WHERE capability = 'place_based_predictive_policing') /*cursor*/ ORDER BY d.id LIMIT 50", false},
	{"rare technology + rare status", "technology=place_based_predictive_policing&status=suspended",
		from + "d.status = 'suspended' AND d.id IN (SELECT deployment_id FROM deployment_capabilities WHERE capability = 'place_based_predictive_policing') /*cursor*/ ORDER BY d.id LIMIT 50", false},
	{"vendor", "vendor=huawei", vendor, false},
	{"vendor, page 2", "vendor=huawei", vendor, true},
	{"vendor headquarters + status", "vendor_hq=CN&status=active",
		from + "d.status = 'active' AND d.id IN (SELECT dv.deployment_id FROM deployment_vendors dv JOIN vendors v ON v.id = dv.vendor_id WHERE v.headquarters = 'CN') /*cursor*/ ORDER BY d.id LIMIT 50", false},
	{"rare certainty", "certainty=unconfirmed", from + "d.certainty = 'unconfirmed' /*cursor*/ ORDER BY d.id LIMIT 50", false},
	{"two jurisdictions + vendor", "jurisdiction=IN,PG&vendor=huawei",
		from + "d.jurisdiction IN ('IN', 'PG') AND d.id IN (SELECT deployment_id FROM deployment_vendors WHERE vendor_id = 'huawei') /*cursor*/ ORDER BY d.id LIMIT 50", false},
	{"text", "q=border", text, false},
	{"text, page 2", "q=border", text, true},
	{"text + jurisdiction", "q=border&jurisdiction=IN",
		from + "d.jurisdiction = 'IN' AND d.id IN (SELECT id FROM deployments_fts WHERE deployments_fts MATCH '\"border\"*') /*cursor*/ ORDER BY d.id LIMIT 50", false},
	{"subregion + years, page 2", "subregion=south_asia&year_from=2015&year_to=2020",
		from + "d.jurisdiction IN (SELECT code FROM jurisdictions WHERE subregion = 'south_asia') AND d.year BETWEEN 2015 AND 2020 /*cursor*/ ORDER BY d.id LIMIT 50", true},
}

// after returns stmt for the page after the deployment id: the cursor
// written into the statement as a quoted literal, by the key it is ordered
// by (the plain list reads entities alone). Bound as a parameter instead,
// the id leaves SQLite's planner a worse plan for some (subregion + years
// took minutes a page).
func after(stmt, id string) string {
	key := "d.id"
	if !strings.Contains(stmt, "deployments d") {
		key = "e.id"
	}
	return strings.Replace(stmt, "/*cursor*/", "AND "+key+" > '"+strings.ReplaceAll(id, "'", "''")+"'", 1)
}
