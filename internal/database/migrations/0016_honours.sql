-- 五创's honours: the kinds a unit awards (流动红旗窗口, 先进个人 …), each
-- saying who may be chosen, how many, for which period, and by which score.
CREATE TABLE honour_kinds (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    subject TEXT NOT NULL,
    places INTEGER NOT NULL,
    shortlist INTEGER NOT NULL,
    period_kind TEXT NOT NULL,
    indicator TEXT NOT NULL DEFAULT '',
    moves BOOLEAN NOT NULL DEFAULT FALSE,
    nominated BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, code)
);
