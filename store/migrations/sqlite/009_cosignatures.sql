-- Cosignatures: what the log's witnesses returned for its checkpoints
-- (C2SP tlog-witness): one note signature line a witness a checkpoint
-- size, served after the checkpoint's own signature. A witness signs a
-- checkpoint only if it is consistent with the last one it signed.
CREATE TABLE cosignatures (
    size    BIGINT NOT NULL,
    witness TEXT NOT NULL,   -- the witness's name, as its line gives it
    line    TEXT NOT NULL,   -- the signature line, with its newline
    PRIMARY KEY (size, witness)
);
