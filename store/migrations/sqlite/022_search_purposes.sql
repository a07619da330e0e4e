-- The search text lists a deployment's purposes after its capabilities,
-- underscores made spaces, one a line (store/project.go, searchText), so
-- that "retail" finds a deployment for retail loss prevention. A text
-- written before lacks them, and they come last: appending them gives the
-- text the store writes now, byte for byte, in the order of the state's
-- list (json_each's key). Only current deployments hold a row, one for
-- the entity's latest revision.
--
-- The index is written anew, as 016 wrote it, rather than updated in
-- place: FTS5 updates a row by deleting its terms and adding them again,
-- and for the 98,614 deployments with purposes of a register of 100,000
-- that took twice the CPU of the new index's one pass (docs/performance.md,
-- "Purposes in the search text").
CREATE VIRTUAL TABLE deployments_fts_new USING fts5 (id UNINDEXED, body, tokenize = 'porter unicode61', detail = none, prefix = '2 3 4 5 6 7 8');
INSERT INTO deployments_fts_new (deployments_fts_new, rank) VALUES ('automerge', 16);
INSERT INTO deployments_fts_new (rowid, id, body)
SELECT f.rowid, f.id, f.body || coalesce(CASE WHEN f.body = '' THEN '' ELSE char(10) END
    || (SELECT group_concat(replace(j.value, '_', ' '), char(10) ORDER BY j.key)
        FROM entities e, json_each(e.state, '$.system.purposes') j
        WHERE e.kind = 'deployment' AND e.id = f.id), '')
FROM deployments_fts f;
DROP TABLE deployments_fts;
ALTER TABLE deployments_fts_new RENAME TO deployments_fts;

-- Their words join the deployment's (018). A purpose is a code of the
-- vocabulary (registry.Purposes): lower-case ASCII letters and digits
-- between underscores, which store's TestPurposeCodes holds to, so its
-- words are its pieces between underscores. A word the deployment's text
-- held already is there. search_words gains the words it lacked, which
-- its trigger indexes.
CREATE TEMP TABLE purpose_words AS
SELECT DISTINCT lower(w.value) AS word, e.id AS deployment_id
FROM entities e, json_each(e.state, '$.system.purposes') j, json_each('["' || replace(j.value, '_', '","') || '"]') w
WHERE e.kind = 'deployment' AND w.value <> '';
INSERT OR IGNORE INTO deployment_words (word, deployment_id) SELECT word, deployment_id FROM purpose_words;
INSERT INTO search_words (word)
SELECT DISTINCT word FROM purpose_words WHERE word NOT IN (SELECT word FROM search_words);
DROP TABLE purpose_words;
