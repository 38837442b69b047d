-- Public ratings (好差评): five levels, one rating per case (and one
-- follow-up rating after a rectification), ratings of a person or window
-- without a case (unverified), the unit's list of reasons for bad ratings,
-- and the keys that sign rating devices' cookies.

CREATE TABLE ratings (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    target TEXT NOT NULL,
    case_id BIGINT REFERENCES cases (id),
    staff_id BIGINT REFERENCES staff (id),
    department_id BIGINT REFERENCES departments (id),
    level INTEGER NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    comment TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    verified BOOLEAN NOT NULL,
    followup BOOLEAN NOT NULL DEFAULT FALSE,
    source TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    valid BOOLEAN NOT NULL DEFAULT TRUE,
    comment_public BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL
);
-- 一事一评: one rating of a case, and one follow-up rating.
CREATE UNIQUE INDEX ratings_one_per_case ON ratings (case_id, followup) WHERE case_id IS NOT NULL;
CREATE INDEX ratings_unit_time ON ratings (unit_id, created_at);
CREATE INDEX ratings_staff ON ratings (unit_id, staff_id, created_at);
CREATE INDEX ratings_source ON ratings (unit_id, source, created_at);
CREATE INDEX ratings_address ON ratings (unit_id, address, created_at);

CREATE TABLE rating_reasons (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (unit_id, name)
);

CREATE TABLE signing_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);

-- 差评整改: every bad rating is verified, rectified (on the spot, on the
-- ledger with a deadline, or explained), followed up with the rater, and
-- closed; or appealed by the person rated and decided by the office.
CREATE TABLE rectifications (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    rating_id BIGINT NOT NULL UNIQUE REFERENCES ratings (id),
    staff_id BIGINT REFERENCES staff (id),
    department_id BIGINT REFERENCES departments (id),
    anonymous BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    due_at {{timestamp}} NOT NULL,
    verify_note TEXT NOT NULL DEFAULT '',
    verified_at {{timestamp}},
    method TEXT NOT NULL DEFAULT '',
    rectify_note TEXT NOT NULL DEFAULT '',
    ledger_due TEXT NOT NULL DEFAULT '',
    rectified_at {{timestamp}},
    followup_answer TEXT NOT NULL DEFAULT '',
    followup_note TEXT NOT NULL DEFAULT '',
    followed_at {{timestamp}},
    appeal_reason TEXT NOT NULL DEFAULT '',
    appeal_decision TEXT NOT NULL DEFAULT '',
    closed_at {{timestamp}},
    version INTEGER NOT NULL DEFAULT 1,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX rectifications_unit_state ON rectifications (unit_id, state);

CREATE TABLE rating_settings (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    token_days INTEGER NOT NULL,
    verify_days INTEGER NOT NULL,
    rectify_days INTEGER NOT NULL,
    ledger_days INTEGER NOT NULL,
    followup_days INTEGER NOT NULL,
    area_code TEXT NOT NULL DEFAULT ''
);

-- 意见箱: suggestions, complaints and praise from the public, with or
-- without a name, followed by a tracking code.
CREATE TABLE feedback (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    department_id BIGINT REFERENCES departments (id),
    name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new',
    assignee_id BIGINT REFERENCES staff (id),
    reply TEXT NOT NULL DEFAULT '',
    reply_public BOOLEAN NOT NULL DEFAULT FALSE,
    upheld BOOLEAN,
    address TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    replied_at {{timestamp}}
);
CREATE INDEX feedback_unit ON feedback (unit_id, created_at);
