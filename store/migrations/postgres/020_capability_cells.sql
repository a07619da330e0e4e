-- PostgreSQL form of 020: the same columns and index.
-- Each capability row carries its deployment's jurisdiction and year (NULL
-- when undated, as in deployments), so that the first deployments of a
-- trend table's cell of one technology (store/counts.go, FirstDeployments)
-- are read from one index in id order, rather than by testing every
-- deployment of the jurisdiction and year for the capability.
ALTER TABLE deployment_capabilities ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT '';
ALTER TABLE deployment_capabilities ADD COLUMN year INTEGER;

UPDATE deployment_capabilities c SET jurisdiction = d.jurisdiction, year = d.year
FROM deployments d WHERE d.id = c.deployment_id;

CREATE INDEX deployment_capabilities_cells ON deployment_capabilities (jurisdiction, year, capability, deployment_id);
