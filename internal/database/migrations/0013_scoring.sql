-- 五创's scoring scheme. A scheme is data and never changes in place: each
-- change is a new version of the unit's scheme, and the highest is in force.
CREATE TABLE score_schemes (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, version)
);
