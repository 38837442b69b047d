-- The leading group's reports (领导小组工作报告): each generation of a
-- period's report kept whole, as JSON, so that what was discussed can be
-- opened again as it was; a later one of the same period is a new version.
CREATE TABLE leader_reports (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    period TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, period, version)
);
