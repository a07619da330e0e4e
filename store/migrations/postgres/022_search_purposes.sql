-- PostgreSQL form of 022. The search text lists a deployment's purposes
-- after its capabilities, underscores made spaces, one a line
-- (store/project.go, searchText), so that "retail" finds a deployment for
-- retail loss prevention. A text written before lacks them, and they come
-- last: appending them gives the text the store writes now, byte for byte,
-- in the order of the state's list. The tsvector follows the body.
UPDATE deployments_fts f SET body = f.body || CASE WHEN f.body = '' THEN '' ELSE chr(10) END || p.text
FROM (SELECT e.seq, string_agg(replace(j.v, '_', ' '), chr(10) ORDER BY j.n) AS text
      FROM entities e, jsonb_array_elements_text(e.state::jsonb -> 'system' -> 'purposes') WITH ORDINALITY AS j(v, n)
      WHERE e.kind = 'deployment'
      GROUP BY e.seq) p
WHERE f.rowid = p.seq;

-- Their words join the deployment's, cut as 018 cuts the text; a word the
-- deployment's text held already is there. PostgreSQL keeps no
-- search_words.
INSERT INTO deployment_words (word, deployment_id)
SELECT DISTINCT translate(w, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), e.id
FROM entities e, jsonb_array_elements_text(e.state::jsonb -> 'system' -> 'purposes') j(v), regexp_split_to_table(j.v, '[^0-9A-Za-z\u0080-\U0010FFFF]+') w
WHERE e.kind = 'deployment' AND w <> ''
ON CONFLICT DO NOTHING;
