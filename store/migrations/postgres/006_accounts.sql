-- PostgreSQL form of 006: the same tables, in the same words.
-- Accounts of the people who review and write the register, and of those
-- who answer for an organisation it names. None of this enters the log:
-- what an account writes is logged under its name, but who holds one is
-- the operator's business, and rebuild and verify leave these tables be.
-- Times are RFC 3339 in UTC, as elsewhere.
CREATE TABLE accounts (
    name          TEXT PRIMARY KEY,  -- sign-in name and the pseudonym its revisions carry
    role          TEXT NOT NULL,     -- contributor, reviewer or admin
    password_hash TEXT NOT NULL,     -- argon2id, PHC string form
    org_kind      TEXT,              -- vendor or operator, when linked to one
    org_id        TEXT,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT               -- a disabled account signs in no more
);

-- Signed-in browsers. The cookie holds the token; only its SHA-256 is kept,
-- so that a copy of the database signs nobody in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES accounts (name),
    csrf       TEXT NOT NULL,  -- the form token of this session
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account);

-- API tokens, kept hashed as sessions are; scope lists what a token may
-- do, space-separated.
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES accounts (name),
    label      TEXT NOT NULL,
    scope      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_account ON api_tokens (account);
