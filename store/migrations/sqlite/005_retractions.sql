-- Tombstones of retracted records, projected from the log like the other
-- current-state tables: one row for each entity whose latest revision is a
-- retract. seq is that revision; last_seq the one holding the last state,
-- which stays readable in the log (NULL when the log holds none); into_id
-- the record of the same kind it was merged into, whose page the old id
-- redirects to (NULL for a plain retraction).
CREATE TABLE retractions (
    kind         TEXT NOT NULL,
    id           TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    last_seq     BIGINT,
    retracted_at TEXT NOT NULL,
    author       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    into_id      TEXT,
    PRIMARY KEY (kind, id)
);
