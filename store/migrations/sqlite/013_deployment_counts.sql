-- How many current deployments share each combination of the attributes
-- that trends, the vendor network and search counts group and filter by,
-- kept up to date by every write (store/counts.go): whole-register tables
-- sum these rows instead of reading every deployment. capabilities and
-- vendors are sorted lists joined by spaces, each vendor as vendor:role,
-- '' for none; year 0 is undated. A row whose count falls to 0 is deleted.
CREATE TABLE deployment_counts (
    jurisdiction TEXT NOT NULL,
    year         INTEGER NOT NULL,
    status       TEXT NOT NULL,
    certainty    TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    vendors      TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (jurisdiction, year, status, certainty, capabilities, vendors)
) WITHOUT ROWID;

-- The deployments behind one count are read in id order per jurisdiction
-- and year, from this index alone, stopping at the first hundred.
CREATE INDEX deployments_jurisdiction_year ON deployments (jurisdiction, year, id);

-- The counts of a register that already holds deployments, from the
-- projection tables, as countKeyOf computes them.
INSERT INTO deployment_counts (jurisdiction, year, status, certainty, capabilities, vendors, n)
SELECT jurisdiction, year, status, certainty, capabilities, vendors, count(*) FROM (
    SELECT d.jurisdiction AS jurisdiction, coalesce(d.year, 0) AS year, d.status AS status, d.certainty AS certainty,
        coalesce((SELECT group_concat(c.capability, ' ' ORDER BY c.capability) FROM deployment_capabilities c WHERE c.deployment_id = d.id), '') AS capabilities,
        coalesce((SELECT group_concat(v.vendor_id || ':' || v.role, ' ' ORDER BY v.vendor_id || ':' || v.role) FROM deployment_vendors v WHERE v.deployment_id = d.id), '') AS vendors
    FROM deployments d
) GROUP BY jurisdiction, year, status, certainty, capabilities, vendors;
