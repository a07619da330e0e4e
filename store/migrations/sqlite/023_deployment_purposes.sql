-- A deployment's purposes, one row each, so that a list of deployments is
-- filtered by purpose (?purpose=) from an index, as by technology from
-- deployment_capabilities, rather than by reading every state. Filled from
-- the current states; a purpose is listed once in a state (registry's
-- validation refuses a duplicate).
CREATE TABLE deployment_purposes (
    deployment_id TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    PRIMARY KEY (deployment_id, purpose)
);

INSERT INTO deployment_purposes (deployment_id, purpose)
SELECT e.id, j.value
FROM entities e, json_each(e.state, '$.system.purposes') j
WHERE e.kind = 'deployment';

CREATE INDEX deployment_purposes_purpose ON deployment_purposes (purpose, deployment_id);
