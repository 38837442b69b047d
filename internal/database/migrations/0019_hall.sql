-- 电子显示屏: the hall's screens, each a device with a token (only its
-- SHA-256 kept), a layout and the panels it rotates through; and the
-- notices the office publishes on them.
CREATE TABLE screens (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    layout TEXT NOT NULL,
    panels TEXT NOT NULL,
    interval_seconds INTEGER NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    last_seen_at {{timestamp}},
    revoked_at {{timestamp}}
);
CREATE INDEX screens_unit ON screens (unit_id);

CREATE TABLE hall_notices (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    withdrawn_at {{timestamp}}
);
CREATE INDEX hall_notices_unit ON hall_notices (unit_id, ends_on);
