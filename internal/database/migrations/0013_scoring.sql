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

-- A period frozen by the office: the results and every value and veto fact
-- they were computed from, as they were. A correction after freezing is a
-- new version of the period, never an edit; published is when the portal
-- shows it (the latest published version is the one shown).
CREATE TABLE score_periods (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    version INTEGER NOT NULL,
    scheme_version INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    results TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    frozen_by TEXT NOT NULL DEFAULT '',
    frozen_at {{timestamp}} NOT NULL,
    published_at {{timestamp}},
    UNIQUE (unit_id, period, version)
);
