-- deployment_counts keys its rows by lenders as well (store/counts.go),
-- so that the vendor network is summed from it too: the organisations a
-- deployment's financing names as lender, each once, sorted, joined by
-- spaces, '' for none; a lender no vendor role names as financier is
-- written id:linked (deployment_vendors holds it as financier only because
-- the financing names it). A key column cannot be added in place: the
-- table is made again and filled from the projection tables, and the
-- lenders from each deployment's state.
CREATE TABLE deployment_counts_015 (
    jurisdiction TEXT NOT NULL,
    year         INTEGER NOT NULL,
    status       TEXT NOT NULL,
    certainty    TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    vendors      TEXT NOT NULL,
    lenders      TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (jurisdiction, year, status, certainty, capabilities, vendors, lenders)
) WITHOUT ROWID;

INSERT INTO deployment_counts_015 (jurisdiction, year, status, certainty, capabilities, vendors, lenders, n)
SELECT jurisdiction, year, status, certainty, capabilities, vendors, lenders, count(*) FROM (
    SELECT d.jurisdiction AS jurisdiction, coalesce(d.year, 0) AS year, d.status AS status, d.certainty AS certainty,
        coalesce((SELECT group_concat(c.capability, ' ' ORDER BY c.capability) FROM deployment_capabilities c WHERE c.deployment_id = d.id), '') AS capabilities,
        coalesce((SELECT group_concat(v.vendor_id || ':' || v.role, ' ' ORDER BY v.vendor_id || ':' || v.role) FROM deployment_vendors v WHERE v.deployment_id = d.id), '') AS vendors,
        coalesce((SELECT group_concat(l, ' ' ORDER BY l) FROM (
            SELECT DISTINCT f.value ->> '$.lender' || CASE WHEN EXISTS (
                SELECT 1 FROM json_each(e.state, '$.vendors') v WHERE v.value ->> '$.vendor' = f.value ->> '$.lender' AND v.value ->> '$.role' = 'financier'
            ) THEN '' ELSE ':linked' END AS l
            FROM json_each(e.state, '$.financing') f WHERE coalesce(f.value ->> '$.lender', '') <> ''
        )), '') AS lenders
    FROM deployments d JOIN entities e ON e.kind = 'deployment' AND e.id = d.id
) GROUP BY jurisdiction, year, status, certainty, capabilities, vendors, lenders;

DROP TABLE deployment_counts;
ALTER TABLE deployment_counts_015 RENAME TO deployment_counts;
