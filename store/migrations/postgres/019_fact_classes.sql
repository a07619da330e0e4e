-- PostgreSQL form of 019: the same tables and index (no WITHOUT ROWID), the
-- triggers as one function.
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
);

CREATE TABLE deployment_classes (
    deployment_id TEXT PRIMARY KEY,
    class         TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    year          INTEGER NOT NULL,
    certainty     TEXT NOT NULL,
    capabilities  TEXT NOT NULL,
    scale         BIGINT NOT NULL,
    people        BIGINT
);

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
    scale        BIGINT NOT NULL,  -- the sum of their scales
    people       INTEGER NOT NULL, -- deployments whose people covered is known
    people_sum   BIGINT NOT NULL,
    PRIMARY KEY (class, jurisdiction, year, certainty, capabilities)
);

-- class_counts is deployment_classes grouped, by delta on every change.
CREATE OR REPLACE FUNCTION count_deployment_class() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO class_counts (class, jurisdiction, year, certainty, capabilities, n, cameras, scale, people, people_sum)
        VALUES (NEW.class, NEW.jurisdiction, NEW.year, NEW.certainty, NEW.capabilities, 1,
            CASE WHEN NEW.scale >= 0 THEN 1 ELSE 0 END, greatest(NEW.scale, 0),
            CASE WHEN NEW.people IS NULL THEN 0 ELSE 1 END, coalesce(NEW.people, 0))
        ON CONFLICT (class, jurisdiction, year, certainty, capabilities) DO UPDATE SET n = class_counts.n + 1,
            cameras = class_counts.cameras + excluded.cameras, scale = class_counts.scale + excluded.scale,
            people = class_counts.people + excluded.people, people_sum = class_counts.people_sum + excluded.people_sum;
        RETURN NULL;
    END IF;
    UPDATE class_counts SET n = n - 1, cameras = cameras - CASE WHEN OLD.scale >= 0 THEN 1 ELSE 0 END,
        scale = scale - greatest(OLD.scale, 0), people = people - CASE WHEN OLD.people IS NULL THEN 0 ELSE 1 END,
        people_sum = people_sum - coalesce(OLD.people, 0)
    WHERE class = OLD.class AND jurisdiction = OLD.jurisdiction AND year = OLD.year AND certainty = OLD.certainty AND capabilities = OLD.capabilities;
    DELETE FROM class_counts WHERE class = OLD.class AND jurisdiction = OLD.jurisdiction AND year = OLD.year
        AND certainty = OLD.certainty AND capabilities = OLD.capabilities AND n = 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER deployment_classes_count AFTER INSERT OR DELETE ON deployment_classes
    FOR EACH ROW EXECUTE FUNCTION count_deployment_class();

-- A register that holds deployments gets its classes by projecting every
-- deployment's tiers again, which writes them: only the projector can
-- classify. Until then the index and scenarios classify as before.
DELETE FROM projections WHERE name = 'tiers';
