-- deployment_financing projects each deployment's financing entries
-- (store/project.go), so that the money and the vendor network read the
-- entries of the deployments they select, by lender or by deployment,
-- instead of decoding every deployment's state. entry is the entry's place
-- in the deployment's list, from 0; absent values are NULL, as the
-- projection writes them. Filled from each current deployment's state.
CREATE TABLE deployment_financing (
    deployment_id   TEXT NOT NULL,
    entry           INTEGER NOT NULL,
    lender          TEXT,
    instrument      TEXT NOT NULL,
    amount          REAL,
    currency        TEXT,
    year            INTEGER,
    amount_usd_2021 REAL,
    aiddata_id      INTEGER,
    PRIMARY KEY (deployment_id, entry)
) WITHOUT ROWID;
CREATE INDEX deployment_financing_lender ON deployment_financing (lender, deployment_id);

INSERT INTO deployment_financing (deployment_id, entry, lender, instrument, amount, currency, year, amount_usd_2021, aiddata_id)
SELECT e.id, f.key, nullif(f.value ->> '$.lender', ''), f.value ->> '$.instrument', f.value ->> '$.amount',
    nullif(f.value ->> '$.currency', ''), nullif(f.value ->> '$.year', 0), f.value ->> '$.amount_usd_2021', nullif(f.value ->> '$.aiddata_id', 0)
FROM entities e, json_each(e.state, '$.financing') f
WHERE e.kind = 'deployment';
