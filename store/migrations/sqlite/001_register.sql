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
    hash BLOB NOT NULL
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
    lat          REAL,
    lon          REAL
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

CREATE VIRTUAL TABLE deployments_fts USING fts5 (id UNINDEXED, body, tokenize = 'porter unicode61');
