-- A unit's own calendar days: local days off, or next year's notice before
-- a release ships it. They lay over the national table (calendar/national.csv).
CREATE TABLE calendar_days (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, day)
);
