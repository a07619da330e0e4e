-- A deployment's tier spans in the two forms their readers need, instead
-- of a table keyed by deployment and a covering index of the same rows
-- (at 1M, 1.39 GB and 1.35 GB):
--
-- deployment_spans holds each deployment's spans packed in one row
-- (store/tierspans.go: 10 bytes a span, its code, first day and the day
-- after its last, big-endian), which a page reads its tiers from, and a
-- write the keys of the deployment's rows below to delete.
CREATE TABLE deployment_spans (
    deployment_id TEXT PRIMARY KEY,
    spans         BLOB NOT NULL
) WITHOUT ROWID;
-- 32 is tierCodeWidth: code / 32 is the framework, whose spans come
-- together in order of their first day.
INSERT INTO deployment_spans (deployment_id, spans)
SELECT deployment_id, unhex(group_concat(printf('%04X%08X%08X', code, from_day, until_day), '' ORDER BY code / 32, from_day))
FROM deployment_tiers GROUP BY deployment_id;

-- deployment_tiers is the tier filter's index itself: keyed by code and
-- days, a filter reads the ids from its key alone.
CREATE TABLE deployment_tiers_021 (
    code          INTEGER NOT NULL,   -- framework and tier, in the codes of the version in projections
    from_day      INTEGER NOT NULL,   -- YYYYMMDD
    until_day     INTEGER NOT NULL,   -- YYYYMMDD, not included
    deployment_id TEXT NOT NULL,
    PRIMARY KEY (code, from_day, until_day, deployment_id)
) WITHOUT ROWID;
INSERT INTO deployment_tiers_021 (code, from_day, until_day, deployment_id)
SELECT code, from_day, until_day, deployment_id FROM deployment_tiers ORDER BY code, from_day, until_day, deployment_id;
DROP TABLE deployment_tiers;
ALTER TABLE deployment_tiers_021 RENAME TO deployment_tiers;
