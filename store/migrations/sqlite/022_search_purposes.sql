-- The search text lists a deployment's purposes after its capabilities,
-- underscores made spaces, one a line (store/project.go, searchText), so
-- that "retail" finds a deployment for retail loss prevention. A text
-- written before lacks them, and they come last: appending them gives the
-- text the store writes now, byte for byte, in the order of the state's
-- list (json_each's key). Only current deployments hold a row, whose
-- rowid is their entity's seq.
UPDATE deployments_fts SET body = body || CASE WHEN body = '' THEN '' ELSE char(10) END || p.text
FROM (SELECT e.seq, group_concat(replace(j.value, '_', ' '), char(10) ORDER BY j.key) AS text
      FROM entities e, json_each(e.state, '$.system.purposes') j
      WHERE e.kind = 'deployment'
      GROUP BY e.seq) p
WHERE deployments_fts.rowid = p.seq;

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
