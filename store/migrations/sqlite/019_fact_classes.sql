-- Fact classes (store/classes.go): each deployment's class, the facts every
-- framework reads, written with its tiers; the documents once each; and
-- how many deployments share a class and the attributes the index and
-- scenarios read, which they sum instead of classifying every deployment.
-- capabilities is a sorted list joined by spaces; year 0 is undated;
-- scale is in units of 2^40 (registry.ScaleUnit), -1 where the number of
-- cameras is unknown; people is the number of people covered, or NULL.
CREATE TABLE fact_classes (
    class TEXT PRIMARY KEY,
    doc   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE deployment_classes (
    deployment_id TEXT PRIMARY KEY,
    class         TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    year          INTEGER NOT NULL,
    certainty     TEXT NOT NULL,
    capabilities  TEXT NOT NULL,
    scale         INTEGER NOT NULL,
    people        INTEGER
) WITHOUT ROWID;

-- The deployments of one count, heaviest first, for the index's lists.
CREATE INDEX deployment_classes_members ON deployment_classes (class, jurisdiction, year, certainty, capabilities, scale DESC, deployment_id);

CREATE TABLE class_counts (
    class        TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    year         INTEGER NOT NULL,
    certainty    TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    n            INTEGER NOT NULL,
    cameras      INTEGER NOT NULL, -- deployments whose scale is known
    scale        INTEGER NOT NULL, -- the sum of their scales
    people       INTEGER NOT NULL, -- deployments whose people covered is known
    people_sum   INTEGER NOT NULL,
    PRIMARY KEY (class, jurisdiction, year, certainty, capabilities)
) WITHOUT ROWID;

-- class_counts is deployment_classes grouped, by delta on every change.
CREATE TRIGGER deployment_classes_in AFTER INSERT ON deployment_classes BEGIN
    INSERT INTO class_counts (class, jurisdiction, year, certainty, capabilities, n, cameras, scale, people, people_sum)
    VALUES (new.class, new.jurisdiction, new.year, new.certainty, new.capabilities, 1, new.scale >= 0, max(new.scale, 0),
        new.people IS NOT NULL, coalesce(new.people, 0))
    ON CONFLICT (class, jurisdiction, year, certainty, capabilities) DO UPDATE SET n = n + 1, cameras = cameras + excluded.cameras,
        scale = scale + excluded.scale, people = people + excluded.people, people_sum = people_sum + excluded.people_sum;
END;

CREATE TRIGGER deployment_classes_out AFTER DELETE ON deployment_classes BEGIN
    UPDATE class_counts SET n = n - 1, cameras = cameras - (old.scale >= 0), scale = scale - max(old.scale, 0),
        people = people - (old.people IS NOT NULL), people_sum = people_sum - coalesce(old.people, 0)
    WHERE class = old.class AND jurisdiction = old.jurisdiction AND year = old.year AND certainty = old.certainty AND capabilities = old.capabilities;
    DELETE FROM class_counts WHERE class = old.class AND jurisdiction = old.jurisdiction AND year = old.year
        AND certainty = old.certainty AND capabilities = old.capabilities AND n = 0;
END;

-- A register that holds deployments gets its classes by projecting every
-- deployment's tiers again, which writes them: only the projector can
-- classify. Until then the index and scenarios classify as before.
DELETE FROM projections WHERE name = 'tiers';
