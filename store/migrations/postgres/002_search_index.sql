-- PostgreSQL form of 002. SQLite's 002 rebuilds its full-text index without
-- the positions of terms (FTS5 detail = none): search asks only for words
-- matched as prefixes, all of which must match, and never for a phrase.
-- The same holds for to_tsquery's & and :*, so the tsvector is stored
-- without positions (strip), as only phrase search and ranking read them.
-- The GIN index keeps no positions either way. FTS5's automerge has no
-- counterpart: a GIN index gathers new entries in a pending list by
-- default (fastupdate) instead of merging segments.
-- A generated column's expression cannot be altered before PostgreSQL 17,
-- so the column is dropped, with its index, and added again.
ALTER TABLE deployments_fts DROP COLUMN tsv;
ALTER TABLE deployments_fts ADD COLUMN tsv tsvector GENERATED ALWAYS AS (strip(to_tsvector('english', body))) STORED;
CREATE INDEX deployments_fts_tsv ON deployments_fts USING GIN (tsv);
