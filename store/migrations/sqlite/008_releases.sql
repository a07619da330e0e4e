-- Releases: named, dated points of the log, each with the signed checkpoint
-- of the log's size then. What a release holds is the register as of that
-- size, which the log reproduces and the checkpoint proves; its changelog
-- is the revisions since the release before.
CREATE TABLE releases (
    tag        TEXT PRIMARY KEY,   -- as a person names it, e.g. 2026-12
    size       INTEGER NOT NULL,   -- the log size it stands for
    signed     TEXT NOT NULL,      -- the signed checkpoint of that size
    notes      TEXT NOT NULL,      -- what the release says of itself
    created_at TEXT NOT NULL
);
CREATE INDEX releases_size ON releases (size);
