-- PostgreSQL form of 011.
-- Record format 2 (registry/content.go): a revision's leaf commits to a
-- salted hash of its content (reason, contributor, state), which is kept
-- here, beside the log, rather than in the leaf. Redaction deletes a row
-- and leaves the leaf, the tree and every proof as they were. Revisions
-- written before this migration are format 1: their records hold their
-- content and have no row here.
CREATE TABLE revision_content (
    seq     BIGINT PRIMARY KEY,
    salt    BYTEA NOT NULL,
    content TEXT NOT NULL
);
