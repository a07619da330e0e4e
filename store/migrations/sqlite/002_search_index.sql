-- Search asks only for words matched as prefixes, one word a term, which
-- FTS5 answers without the positions of terms (detail = none). Without
-- them, and merging the index's segments less often (automerge 16 rather
-- than 4), an import writes much less: 1M synthetic deployments went from
-- 72 s to 62 s (docs/performance.md). Queries read a few more segments.
CREATE VIRTUAL TABLE deployments_fts_new USING fts5 (id UNINDEXED, body, tokenize = 'porter unicode61', detail = none);
INSERT INTO deployments_fts_new (deployments_fts_new, rank) VALUES ('automerge', 16);
INSERT INTO deployments_fts_new (rowid, id, body) SELECT rowid, id, body FROM deployments_fts;
DROP TABLE deployments_fts;
ALTER TABLE deployments_fts_new RENAME TO deployments_fts;
