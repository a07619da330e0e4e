-- PostgreSQL form of 001: the same tables, with BYTEA, DOUBLE PRECISION and a tsvector search index.
-- The log: revisions, the Merkle tree's stored hashes, signed checkpoints,
-- and its head, which every writer locks first.
CREATE TABLE log_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
);
INSERT INTO log_head (id, size) VALUES (1, 0);

CREATE TABLE revisions (
    seq        BIGINT PRIMARY KEY,
    kind       TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    op         TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    record     TEXT NOT NULL
);
CREATE INDEX revisions_entity ON revisions (kind, entity_id, seq);

CREATE TABLE tree_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);

CREATE TABLE checkpoints (
    size   BIGINT PRIMARY KEY,
    signed TEXT NOT NULL
);

-- Current state, projected from the log. Everything below can be rebuilt
-- from the revisions and is checked against them by verify.
CREATE TABLE entities (
    kind  TEXT NOT NULL,
    id    TEXT NOT NULL,
    seq   BIGINT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE jurisdictions (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    subregion TEXT NOT NULL
);

CREATE TABLE vendors (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    headquarters TEXT,
    ownership    TEXT NOT NULL
);
CREATE INDEX vendors_headquarters ON vendors (headquarters);

CREATE TABLE instruments (
    id           TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    type         TEXT NOT NULL,
    status       TEXT NOT NULL
);

CREATE TABLE claims (
    id           TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    dataset      TEXT NOT NULL,
    indicator    TEXT NOT NULL
);
CREATE INDEX claims_jurisdiction ON claims (jurisdiction);

CREATE TABLE deployments (
    id           TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL,
    title        TEXT NOT NULL,
    status       TEXT NOT NULL,
    certainty    TEXT NOT NULL,
    year         INTEGER,
    cameras      BIGINT,
    lat          DOUBLE PRECISION,
    lon          DOUBLE PRECISION
);
CREATE INDEX deployments_jurisdiction ON deployments (jurisdiction, id);
CREATE INDEX deployments_year ON deployments (year);

CREATE TABLE deployment_vendors (
    deployment_id TEXT NOT NULL,
    vendor_id     TEXT NOT NULL,
    role          TEXT NOT NULL,
    PRIMARY KEY (deployment_id, vendor_id, role)
);
CREATE INDEX deployment_vendors_vendor ON deployment_vendors (vendor_id);

CREATE TABLE deployment_capabilities (
    deployment_id TEXT NOT NULL,
    capability    TEXT NOT NULL,
    PRIMARY KEY (deployment_id, capability)
);
CREATE INDEX deployment_capabilities_capability ON deployment_capabilities (capability);

CREATE TABLE sources (
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    key       TEXT NOT NULL,
    url       TEXT NOT NULL,
    title     TEXT,
    publisher TEXT,
    published TEXT,
    accessed  TEXT,
    PRIMARY KEY (kind, entity_id, key)
);
CREATE INDEX sources_url ON sources (url);

-- The search index. rowid is the seq of the deployment's latest revision,
-- as in SQLite's FTS5 table; the tsvector is derived from body, so verify
-- compares only rowid, id and body.
CREATE TABLE deployments_fts (
    rowid BIGINT PRIMARY KEY,
    id    TEXT NOT NULL,
    body  TEXT NOT NULL,
    tsv   tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED
);
CREATE INDEX deployments_fts_tsv ON deployments_fts USING GIN (tsv);
