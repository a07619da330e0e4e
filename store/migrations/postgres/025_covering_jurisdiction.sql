-- PostgreSQL form of 025: the columns carried, not keyed (INCLUDE), so
-- that an index-only scan tests them.
DROP INDEX IF EXISTS deployments_jurisdiction;
CREATE INDEX deployments_jurisdiction ON deployments (jurisdiction, id) INCLUDE (year, status, certainty);
DROP INDEX IF EXISTS deployments_jurisdiction_year;
CREATE INDEX deployments_jurisdiction_year ON deployments (jurisdiction, year, id) INCLUDE (status, certainty);
