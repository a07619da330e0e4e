-- PostgreSQL form of 015: the same table (no WITHOUT ROWID), the lists
-- sorted by bytes (COLLATE "C") as Go sorts them.
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
);

INSERT INTO deployment_counts_015 (jurisdiction, year, status, certainty, capabilities, vendors, lenders, n)
SELECT jurisdiction, year, status, certainty, capabilities, vendors, lenders, count(*) FROM (
    SELECT d.jurisdiction AS jurisdiction, coalesce(d.year, 0) AS year, d.status AS status, d.certainty AS certainty,
        coalesce((SELECT string_agg(c.capability, ' ' ORDER BY c.capability COLLATE "C") FROM deployment_capabilities c WHERE c.deployment_id = d.id), '') AS capabilities,
        coalesce((SELECT string_agg(v.vendor_id || ':' || v.role, ' ' ORDER BY (v.vendor_id || ':' || v.role) COLLATE "C") FROM deployment_vendors v WHERE v.deployment_id = d.id), '') AS vendors,
        coalesce((SELECT string_agg(l, ' ' ORDER BY l COLLATE "C") FROM (
            SELECT DISTINCT (f ->> 'lender') || CASE WHEN EXISTS (
                SELECT 1 FROM jsonb_array_elements(e.state::jsonb -> 'vendors') v WHERE v ->> 'vendor' = f ->> 'lender' AND v ->> 'role' = 'financier'
            ) THEN '' ELSE ':linked' END AS l
            FROM jsonb_array_elements(e.state::jsonb -> 'financing') f WHERE coalesce(f ->> 'lender', '') <> ''
        ) ls), '') AS lenders
    FROM deployments d JOIN entities e ON e.kind = 'deployment' AND e.id = d.id
) m GROUP BY jurisdiction, year, status, certainty, capabilities, vendors, lenders;

DROP TABLE deployment_counts;
ALTER TABLE deployment_counts_015 RENAME TO deployment_counts;
ALTER TABLE deployment_counts RENAME CONSTRAINT deployment_counts_015_pkey TO deployment_counts_pkey;
