-- PostgreSQL form of 015, which gives SQLite's FTS5 index prefix indexes.
-- A GIN index on a tsvector answers a prefix (word:*) by a range scan of
-- its sorted keys, and needs none: nothing to do.
SELECT 1;
