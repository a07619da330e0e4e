-- Fact documents as records (kind 'facts', keyed by their deployment's id):
-- their state is in entities like any record's; this table says which
-- revision of a deployment's facts is current, so that a list or an export
-- can cite "facts as of revision N" without decoding each document. It is a
-- projection of the log, rebuilt and verified with the other tables.
CREATE TABLE deployment_facts (
    deployment_id TEXT PRIMARY KEY,
    seq           INTEGER NOT NULL    -- the revision of the current fact document
);

-- A register written before this table holds no fact documents; one that
-- does (a test's, made at an older version) has its rows made here.
INSERT INTO deployment_facts (deployment_id, seq) SELECT id, seq FROM entities WHERE kind = 'facts';
