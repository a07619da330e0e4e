-- PostgreSQL form of 023: the same table, filled from the current states,
-- and index.
-- A deployment's purposes, one row each, so that a list of deployments is
-- filtered by purpose (?purpose=) from an index, as by technology from
-- deployment_capabilities, rather than by reading every state.
CREATE TABLE deployment_purposes (
    deployment_id TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    PRIMARY KEY (deployment_id, purpose)
);

INSERT INTO deployment_purposes (deployment_id, purpose)
SELECT e.id, j.v
FROM entities e, jsonb_array_elements_text(e.state::jsonb -> 'system' -> 'purposes') j(v)
WHERE e.kind = 'deployment';

CREATE INDEX deployment_purposes_purpose ON deployment_purposes (purpose, deployment_id);
