-- 五创's frozen results. Freezing a period keeps its results and the values
-- they were computed from as they were; a correction is a new version of
-- the period beside the old one, never a change in place. One version of a
-- period at most is published (the portal's).
CREATE TABLE score_periods (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    version INTEGER NOT NULL,
    scheme_version INTEGER NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    published_at {{timestamp}},
    UNIQUE (unit_id, period, version)
);
