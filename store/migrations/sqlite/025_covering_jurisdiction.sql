-- The two indexes by jurisdiction carry each deployment's year, status and
-- certainty after its id: the same order, so every plan that read them
-- reads them still, and a filter of certainty or status beside a
-- jurisdiction is tested in the index rather than in each deployment's
-- row. The vendor network of documented deployments at 1M read about
-- 600,000 rows of the table, one seek each, to list a hundred deployments
-- a cell: 1.8 s of the server's CPU, 1.07 s of sqlite3's for its 140
-- statements, and 0.13 s with these indexes (docs/performance.md,
-- "Exports classified once a set of facts, and the cells of a certainty").
DROP INDEX IF EXISTS deployments_jurisdiction;
CREATE INDEX deployments_jurisdiction ON deployments (jurisdiction, id, year, status, certainty);
DROP INDEX IF EXISTS deployments_jurisdiction_year;
CREATE INDEX deployments_jurisdiction_year ON deployments (jurisdiction, year, id, status, certainty);
