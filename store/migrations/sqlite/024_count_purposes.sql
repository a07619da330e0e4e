-- deployment_counts keys its rows by purposes as well (store/counts.go),
-- so that a filter by purpose is summed from it like a filter by
-- technology: the search page's counts beside each choice, a page's plan
-- and whether a page is empty. purposes are the deployment's purposes,
-- sorted, joined by spaces, '' for none. A key column cannot be added in
-- place: the table is made again and filled from the projection tables.
-- The lenders are read from deployment_financing; only a deployment with
-- a lender has its state read, to tell whether a vendor role names the
-- lender as financier (else it is id:linked, as migration 015 wrote it).
CREATE TABLE deployment_counts_024 (
    jurisdiction TEXT NOT NULL,
    year         INTEGER NOT NULL,
    status       TEXT NOT NULL,
    certainty    TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    vendors      TEXT NOT NULL,
    lenders      TEXT NOT NULL,
    purposes     TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes)
) WITHOUT ROWID;

INSERT INTO deployment_counts_024 (jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes, n)
SELECT jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes, count(*) FROM (
    SELECT d.jurisdiction AS jurisdiction, coalesce(d.year, 0) AS year, d.status AS status, d.certainty AS certainty,
        coalesce((SELECT group_concat(c.capability, ' ' ORDER BY c.capability) FROM deployment_capabilities c WHERE c.deployment_id = d.id), '') AS capabilities,
        coalesce((SELECT group_concat(v.vendor_id || ':' || v.role, ' ' ORDER BY v.vendor_id || ':' || v.role) FROM deployment_vendors v WHERE v.deployment_id = d.id), '') AS vendors,
        coalesce((SELECT group_concat(l, ' ' ORDER BY l) FROM (
            SELECT DISTINCT f.lender || CASE WHEN EXISTS (
                SELECT 1 FROM entities e, json_each(e.state, '$.vendors') v
                WHERE e.kind = 'deployment' AND e.id = d.id AND v.value ->> '$.vendor' = f.lender AND v.value ->> '$.role' = 'financier'
            ) THEN '' ELSE ':linked' END AS l
            FROM deployment_financing f WHERE f.deployment_id = d.id AND f.lender IS NOT NULL
        )), '') AS lenders,
        coalesce((SELECT group_concat(p.purpose, ' ' ORDER BY p.purpose) FROM deployment_purposes p WHERE p.deployment_id = d.id), '') AS purposes
    FROM deployments d
) GROUP BY jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes;

DROP TABLE deployment_counts;
ALTER TABLE deployment_counts_024 RENAME TO deployment_counts;
