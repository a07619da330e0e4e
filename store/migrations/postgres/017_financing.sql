-- PostgreSQL form of 017: amounts in double precision, as Go reads them.
-- deployment_financing projects each deployment's financing entries
-- (store/project.go), so that the money and the vendor network read the
-- entries of the deployments they select, by lender or by deployment,
-- instead of decoding every deployment's state. entry is the entry's place
-- in the deployment's list, from 0; absent values are NULL, as the
-- projection writes them. Filled from each current deployment's state.
CREATE TABLE deployment_financing (
    deployment_id   TEXT NOT NULL,
    entry           BIGINT NOT NULL,
    lender          TEXT,
    instrument      TEXT NOT NULL,
    amount          DOUBLE PRECISION,
    currency        TEXT,
    year            BIGINT,
    amount_usd_2021 DOUBLE PRECISION,
    aiddata_id      BIGINT,
    PRIMARY KEY (deployment_id, entry)
);
CREATE INDEX deployment_financing_lender ON deployment_financing (lender, deployment_id);

INSERT INTO deployment_financing (deployment_id, entry, lender, instrument, amount, currency, year, amount_usd_2021, aiddata_id)
SELECT e.id, f.ord - 1, nullif(f.v ->> 'lender', ''), f.v ->> 'instrument', (f.v ->> 'amount')::double precision,
    nullif(f.v ->> 'currency', ''), nullif((f.v ->> 'year')::bigint, 0), (f.v ->> 'amount_usd_2021')::double precision,
    nullif((f.v ->> 'aiddata_id')::bigint, 0)
FROM entities e, jsonb_array_elements(e.state::jsonb -> 'financing') WITH ORDINALITY AS f(v, ord)
WHERE e.kind = 'deployment';
