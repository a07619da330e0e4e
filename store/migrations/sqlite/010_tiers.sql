-- Tiers as a projection: each deployment's tier under each framework, one
-- row per interval of days [from_day, until_day) on which it holds within
-- the days the framework is in force, written with the deployment's
-- revision (WITHOUT ROWID: the key is the table, with no second copy).
-- The rows follow from the log and the frameworks together, so they are
-- not checked against the log alone: projections records the version of the frameworks and facts they were
-- computed with, and the store projects every deployment again when it
-- differs.
CREATE TABLE deployment_tiers (
    deployment_id TEXT NOT NULL,
    code          INTEGER NOT NULL,   -- framework and tier, in the codes of the version in projections
    from_day      INTEGER NOT NULL,   -- YYYYMMDD
    until_day     INTEGER NOT NULL,   -- YYYYMMDD, not included
    PRIMARY KEY (deployment_id, code, from_day)
) WITHOUT ROWID;
-- Covering: a tier filter reads the ids and days from the index alone.
CREATE INDEX deployment_tiers_code ON deployment_tiers (code, from_day, until_day, deployment_id);

-- Deployments whose tiers are not written yet: those of a write too large
-- to classify them all, or written without the projector's version.
-- ProjectTiers writes them; until none is left, tier filters classify.
CREATE TABLE tier_pending (
    deployment_id TEXT PRIMARY KEY
);

CREATE TABLE projections (
    name    TEXT PRIMARY KEY,
    version TEXT NOT NULL
);
