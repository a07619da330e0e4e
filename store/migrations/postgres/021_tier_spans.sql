-- PostgreSQL form of 021: a deployment's tier spans packed in one row of
-- deployment_spans (store/tierspans.go: 10 bytes a span, its code, first
-- day and the day after its last, big-endian, as int2send and int4send
-- write them), and deployment_tiers keyed as the tier filter reads it,
-- with no second index of the same rows. PostgreSQL keeps a table apart
-- from its key, so the filter's rows are there twice still: the heap
-- and its primary key.
CREATE TABLE deployment_spans (
    deployment_id TEXT PRIMARY KEY,
    spans         BYTEA NOT NULL
);
-- 32 is tierCodeWidth: code / 32 is the framework, whose spans come
-- together in order of their first day.
INSERT INTO deployment_spans (deployment_id, spans)
SELECT deployment_id, string_agg(int2send(code::smallint) || int4send(from_day) || int4send(until_day), ''::bytea ORDER BY code / 32, from_day)
FROM deployment_tiers GROUP BY deployment_id;

DROP INDEX deployment_tiers_code;
ALTER TABLE deployment_tiers DROP CONSTRAINT deployment_tiers_pkey;
ALTER TABLE deployment_tiers ADD PRIMARY KEY (code, from_day, until_day, deployment_id);
