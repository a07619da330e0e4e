-- PostgreSQL form of 024: deployment_counts keyed by purposes as well,
-- made again and filled from the projection tables; the state is read
-- only for a deployment whose financing names a lender.
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
);

INSERT INTO deployment_counts_024 (jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes, n)
SELECT jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes, count(*) FROM (
    SELECT d.jurisdiction AS jurisdiction, coalesce(d.year, 0) AS year, d.status AS status, d.certainty AS certainty,
        coalesce((SELECT string_agg(c.capability, ' ' ORDER BY c.capability COLLATE "C") FROM deployment_capabilities c WHERE c.deployment_id = d.id), '') AS capabilities,
        coalesce((SELECT string_agg(v.vendor_id || ':' || v.role, ' ' ORDER BY (v.vendor_id || ':' || v.role) COLLATE "C") FROM deployment_vendors v WHERE v.deployment_id = d.id), '') AS vendors,
        coalesce((SELECT string_agg(l, ' ' ORDER BY l COLLATE "C") FROM (
            SELECT DISTINCT f.lender || CASE WHEN EXISTS (
                SELECT 1 FROM entities e, jsonb_array_elements(e.state::jsonb -> 'vendors') v
                WHERE e.kind = 'deployment' AND e.id = d.id AND v ->> 'vendor' = f.lender AND v ->> 'role' = 'financier'
            ) THEN '' ELSE ':linked' END AS l
            FROM deployment_financing f WHERE f.deployment_id = d.id AND f.lender IS NOT NULL
        ) ls), '') AS lenders,
        coalesce((SELECT string_agg(p.purpose, ' ' ORDER BY p.purpose COLLATE "C") FROM deployment_purposes p WHERE p.deployment_id = d.id), '') AS purposes
    FROM deployments d
) m GROUP BY jurisdiction, year, status, certainty, capabilities, vendors, lenders, purposes;

DROP TABLE deployment_counts;
ALTER TABLE deployment_counts_024 RENAME TO deployment_counts;
ALTER TABLE deployment_counts RENAME CONSTRAINT deployment_counts_024_pkey TO deployment_counts_pkey;
