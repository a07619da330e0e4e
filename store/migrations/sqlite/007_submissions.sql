-- Submissions: what anyone proposes to the register, waiting for review.
-- A submission is not part of the register until a reviewer accepts it;
-- then its record is logged as a revision (seq) under the reviewer's name
-- with the contributor's pseudonym. The contact, if one was left, is for
-- the reviewers only: it is never shown in public and never logged.
CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY,
    receipt_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the receipt token, shown once
    kind         TEXT NOT NULL,         -- new, change, correction or dispute
    target_id    TEXT,                  -- the deployment it concerns; NULL for a new one
    jurisdiction TEXT NOT NULL,
    pseudonym    TEXT NOT NULL,
    account      TEXT REFERENCES accounts (name),
    record       TEXT,                  -- the proposed deployment, in the import format
    evidence     TEXT NOT NULL,         -- JSON list of sources
    message      TEXT NOT NULL,
    contact      TEXT,
    state        TEXT NOT NULL,         -- pending, changes_requested, accepted or rejected
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    decided_by   TEXT,
    seq          BIGINT                 -- the revision it became, once accepted
);
CREATE INDEX submissions_queue ON submissions (state, jurisdiction, id);

-- Messages between reviewers and a contributor, shown on the receipt page,
-- and the reviewers' notes, which are not.
CREATE TABLE submission_messages (
    submission BIGINT NOT NULL REFERENCES submissions (id),
    n          INTEGER NOT NULL,
    author     TEXT NOT NULL,   -- a reviewer's name, or the pseudonym
    public     BOOLEAN NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (submission, n)
);
