-- PostgreSQL form of 010: the same tables, in the same words, but that
-- PostgreSQL keeps every table apart from its key (no WITHOUT ROWID).
-- Tiers as a projection: each deployment's tier under each framework, one
-- row per interval of days [from_day, until_day) on which it holds within
-- the days the framework is in force, written with the deployment's
-- revision. The rows follow from the log and the
-- frameworks together, so they are not checked against the log alone:
-- projections records the version of the frameworks and facts they were
-- computed with, and the store projects every deployment again when it
-- differs (or is missing, after a write that could not classify).
CREATE TABLE deployment_tiers (
    deployment_id TEXT NOT NULL,
    framework     TEXT NOT NULL,
    tier          TEXT NOT NULL,
    from_day      TEXT NOT NULL,   -- YYYY-MM-DD; 0001-01-01 when open to the past
    until_day     TEXT NOT NULL,   -- YYYY-MM-DD, not included; 9999-12-31 when open
    PRIMARY KEY (deployment_id, framework, from_day)
);
CREATE INDEX deployment_tiers_tier ON deployment_tiers (framework, tier, deployment_id);

CREATE TABLE projections (
    name    TEXT PRIMARY KEY,
    version TEXT NOT NULL
);
